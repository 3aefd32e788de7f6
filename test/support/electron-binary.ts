/**
 * An Electron binary for the electron tier, fetched when it can be. Electron ≥ 42 does not download its
 * binary at `npm install` (node_modules/electron/install.js runs on first use), so a fresh clone has
 * none: this asks the same launcher `npm start` uses (scripts/electron-app.mjs `binary`), which looks
 * for one (ELECTRON_EXEC_PATH, ELECTRON_OVERRIDE_DIST_PATH, node_modules/electron/dist) and otherwise
 * runs the electron package's own installer under a time limit. The result is the binary's path, or
 * the one-line reason there is none (e.g. "fetch failed: getaddrinfo ENOTFOUND github.com").
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export type ElectronBinary = { binary: string; reason?: undefined } | { binary?: undefined; reason: string };

/** How long the tier waits for a first download (EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS overrides it). */
const DOWNLOAD_TIMEOUT_MS = Number(process.env.EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS) > 0 ? Number(process.env.EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS) : 5 * 60_000;

let pending: Promise<ElectronBinary> | null = null;

export function obtainElectronBinary(): Promise<ElectronBinary> {
  pending ??= new Promise<ElectronBinary>((resolve) => {
    const fromEnv = process.env.EARSHOT_ELECTRON_PATH;
    if (fromEnv) {
      resolve(existsSync(fromEnv) ? { binary: fromEnv } : { reason: `EARSHOT_ELECTRON_PATH is ${fromEnv}, which does not exist` });
      return;
    }
    execFile(
      process.execPath,
      [join(root, 'scripts', 'electron-app.mjs'), 'binary'],
      { cwd: root, env: { ...process.env, EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS: String(DOWNLOAD_TIMEOUT_MS) }, timeout: DOWNLOAD_TIMEOUT_MS + 30_000 },
      (error, stdout, stderr) => {
        const binary = stdout.trim().split('\n').at(-1)?.trim() ?? '';
        if (!error && binary && existsSync(binary)) resolve({ binary });
        else {
          const line = stderr.trim().split('\n').at(-1)?.trim() ?? '';
          const reason = /could not be downloaded \((.+)\)\. Connect/.exec(line)?.[1] ?? line.replace(/^Earshot cannot open: /, '');
          resolve({ reason: reason || `the launcher ended with ${error?.code ?? error?.signal ?? 'no binary path'}` });
        }
      },
    );
  });
  return pending;
}
