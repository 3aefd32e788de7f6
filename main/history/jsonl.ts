/**
 * JSON Lines on disk: tolerant reading (a torn or damaged line is skipped and counted, the rest is
 * kept) and appending that never rewrites a file, repairing a torn last line by starting a new one.
 */
import { appendFile, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import type { z } from 'zod';

export interface JsonLinesRead<T> {
  records: T[];
  /** Lines that were not valid JSON or did not match the schema. */
  skipped: number;
}

export function parseJsonLines<T>(text: string, schema: z.ZodType<T>): JsonLinesRead<T> {
  const records: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped += 1;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped };
}

export async function readJsonLines<T>(path: string, schema: z.ZodType<T>): Promise<JsonLinesRead<T> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseJsonLines(text, schema);
}

/** Whether a non-empty file lacks its final newline (the last write was torn). */
export async function endsTorn(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Appends records to one file in call order. The first append to a file checks for a torn last
 * line and starts a fresh line, so a new record never glues onto half of an old one.
 *
 * A failed append (ENOSPC on a full disk, EIO…) loses nothing: whatever part of it reached the file
 * is cut off again, its lines stay in memory, and they are written, in order, before the next
 * record (or by `retry()`). The promise of the failed append still rejects, so the caller can tell
 * the user.
 */
export class JsonLinesAppender {
  #queue: Promise<void> = Promise.resolve();
  #checked = false;
  /** Lines not yet on disk because a write failed, oldest first. */
  #unwritten: string[] = [];
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    return this.#enqueue(line);
  }

  /** Writes the lines a failed append left in memory (rejects if it fails again). */
  retry(): Promise<void> {
    return this.#enqueue(null);
  }

  /** How many records wait in memory for a failed write to be retried. */
  get pending(): number {
    return this.#unwritten.length;
  }

  #enqueue(line: string | null): Promise<void> {
    const run = this.#queue.then(async () => {
      if (line !== null) this.#unwritten.push(line);
      if (this.#unwritten.length === 0) return;
      let prefix = '';
      if (!this.#checked) {
        if (await endsTorn(this.path)) prefix = '\n';
        this.#checked = true;
      }
      const sizeBefore = await stat(this.path).then(
        (s) => s.size,
        () => null,
      );
      try {
        await appendFile(this.path, prefix + this.#unwritten.join(''), { encoding: 'utf8', mode: 0o600 });
        this.#unwritten = [];
      } catch (error) {
        // Part of the text may have reached the file before the disk filled up: cut it off again so
        // no record is half-written or written twice when the lines are retried.
        await (sizeBefore === null ? rm(this.path, { force: true }) : truncate(this.path, sizeBefore)).catch(() => {
          this.#checked = false; // could not cut it: the next write starts on a fresh line
        });
        throw error;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every append so far has been tried. */
  flush(): Promise<void> {
    return this.#queue;
  }
}
