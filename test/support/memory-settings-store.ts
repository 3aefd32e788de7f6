/**
 * In-memory KeyValueStorePort that keeps the "file" as text, so tests can put garbage bytes in it
 * and read back exactly what a backup copied.
 */
import type { KeyValueStorePort } from '../../main/settings/settings-service.ts';

export class MemorySettingsStore implements KeyValueStorePort {
  readonly path: string;
  readonly files = new Map<string, string>();
  failCopy = false;
  failWrite = false;
  writes = 0;

  constructor(path = '/virtual/settings.json', initial?: string) {
    this.path = path;
    if (initial !== undefined) this.files.set(path, initial);
  }

  read(): unknown {
    const text = this.files.get(this.path);
    if (text === undefined) return undefined;
    return JSON.parse(text) as unknown;
  }

  write(value: Record<string, unknown>): void {
    if (this.failWrite) throw new Error('EROFS: read-only file system');
    this.writes += 1;
    this.files.set(this.path, JSON.stringify(value, null, '\t'));
  }

  copyTo(destination: string): void {
    if (this.failCopy) throw new Error('EACCES: permission denied');
    const text = this.files.get(this.path);
    if (text === undefined) throw new Error('ENOENT');
    if (this.files.has(destination)) throw new Error('EEXIST');
    this.files.set(destination, text);
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  backups(): string[] {
    return [...this.files.keys()].filter((key) => key !== this.path);
  }
}
