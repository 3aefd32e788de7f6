/**
 * Where the Electron binary is, if this machine has one. The `electron` npm package only records
 * the path of a binary it downloaded; on machines that cannot download it there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(): string | null {
  const fromEnv = process.env.EARSHOT_ELECTRON_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const pkg = join(import.meta.dirname, '..', '..', 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  // The same lookup as the electron package: ELECTRON_OVERRIDE_DIST_PATH, else its own dist folder.
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
