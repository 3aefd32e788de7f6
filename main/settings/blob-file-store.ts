/**
 * BlobStorePort on a file (the encrypted API key under user data). Written to a temporary file and
 * renamed, owner-only permissions, so a crash never leaves half a blob.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobStorePort } from './secrets-service.ts';

export function createFileBlobStore(path: string): BlobStorePort {
  return {
    async read() {
      try {
        return await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(data) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, data, { mode: 0o600 });
      await rename(temp, path);
    },
    async remove() {
      await rm(path, { force: true });
    },
  };
}
