/**
 * Test side of run-main.ts: builds the bundles when they are missing, starts the built main bundle
 * under the strict stand-in Electron in a child process, and exchanges JSON lines with it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
/** The checkout whose built bundles run: STANDIN_APP_ROOT (an export of another commit) or this one. */
export const appRoot = process.env.STANDIN_APP_ROOT ?? repoRoot;

/** Builds out/ with electron-vite if the main or preload bundle is missing. */
export function ensureBuilt(): void {
  if (existsSync(join(appRoot, 'out', 'main', 'index.js')) && existsSync(join(appRoot, 'out', 'preload', 'index.cjs'))) return;
  const build = spawnSync(process.execPath, [join(appRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: appRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

export interface Line {
  type: string;
  [key: string]: unknown;
}

export interface StandinApp {
  child: ChildProcessWithoutNullStreams;
  lines: Line[];
  stderr: () => string;
  send(command: string): void;
  /** Resolves with the first line (already seen or new) of this type that passes the predicate. */
  waitFor(type: string, timeoutMs?: number, predicate?: (line: Line) => boolean): Promise<Line>;
  /** Asks for a report and returns it. */
  report(): Promise<Line>;
  stop(): Promise<void>;
}

export function startStandinApp(env: Record<string, string>, args: string[] = []): StandinApp {
  const child = spawn(process.execPath, ['--import', './test/support/electron-standin/register.ts', 'test/support/electron-standin/run-main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Line);
    } catch {
      return; // the app's own console output
    }
    for (const w of [...waiters]) w();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
    for (const w of [...waiters]) w();
  });
  const waitFor = (type: string, timeoutMs = 20_000, predicate: (line: Line) => boolean = () => true, from = 0): Promise<Line> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines.slice(from).find((l) => l.type === type && predicate(l));
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (exited) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`the stand-in app exited before '${type}' (exit ${child.exitCode}): ${err.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no '${type}' from the stand-in app within ${timeoutMs} ms: ${err.slice(-3000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    child,
    lines,
    stderr: () => err,
    send: (command) => void child.stdin.write(`${command}\n`),
    waitFor: (type, timeoutMs, predicate) => waitFor(type, timeoutMs, predicate),
    async report() {
      const from = lines.length;
      child.stdin.write('report\n');
      return waitFor('report', 10_000, () => true, from);
    },
    async stop() {
      if (exited) return;
      child.stdin.write('exit\n');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
