/**
 * Starts the built app (out/main/index.js) under a real Electron with Playwright's `_electron` driver,
 * in a fresh user-data folder, pointed at the fake Realtime server, with Chromium's fake microphone
 * playing a speech WAV. Shared by the electron-tier tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';

export const root = join(import.meta.dirname, '..', '..');
const mainEntry = join(root, 'out', 'main', 'index.js');

export interface LaunchedApp {
  app: ElectronApplication;
  page: Page;
  userData: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  binary: string;
  baseURL: string;
  caPath: string;
  /** 16-bit PCM WAV the fake microphone plays once (Chromium's --use-file-for-fake-audio-capture). */
  fakeMicWav: string;
}

/** Chromium/Electron switches on the command line: Electron passes them to Chromium (DESIGN §7 flags). */
export function electronSwitches(fakeMicWav: string): string[] {
  const switches = [
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${fakeMicWav}%noloop`,
    '--autoplay-policy=no-user-gesture-required',
    '--disable-gpu',
  ];
  // CI runners cannot set up chrome-sandbox (it must be SUID root) and Ubuntu 24.04 forbids the
  // unprivileged user namespaces Chromium falls back to. The renderer still runs with `sandbox: true`
  // in its web preferences (no Node, only the preload's bridge), which the tests check.
  if (process.platform === 'linux') switches.push('--no-sandbox');
  return switches;
}

export function ensureBuilt(): void {
  if (existsSync(mainEntry) && existsSync(join(root, 'out', 'preload', 'index.cjs')) && existsSync(join(root, 'out', 'renderer', 'index.html'))) return;
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

export async function launchEarshot(options: LaunchOptions): Promise<LaunchedApp> {
  ensureBuilt();
  const userData = mkdtempSync(join(tmpdir(), 'earshot-electron-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  const app = await electron.launch({
    executablePath: options.binary,
    args: [...electronSwitches(options.fakeMicWav), mainEntry],
    env: {
      ...env,
      EARSHOT_USER_DATA: userData,
      EARSHOT_SHOW_WINDOW: '1',
      EARSHOT_TEST_HOOKS: '1',
      OPENAI_API_KEY: 'sk-test-electron-tier-0123456789',
      OPENAI_BASE_URL: options.baseURL,
      // Honoured by Electron's main process (docs/api/environment-variables.md, NODE_EXTRA_CA_CERTS)
      // unless the nodeOptions fuse is off, which it is only in packaged builds.
      NODE_EXTRA_CA_CERTS: options.caPath,
    },
  });
  const page = await app.firstWindow();
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[renderer] ${message.text()}`);
  });
  await page.waitForFunction(() => typeof window.earshot === 'object');
  await page.getByTestId('state').waitFor({ timeout: 30_000 });
  return {
    app,
    page,
    userData,
    async close() {
      await app.close().catch(() => undefined);
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/**
 * Another application holding a global shortcut: a second Electron process that registers
 * `accelerator` and stays up until stopped. Resolves once it says whether it got the shortcut.
 */
export async function holdShortcutElsewhere(binary: string, accelerator: string): Promise<{ registered: boolean; stop: () => void }> {
  const script = join(import.meta.dirname, 'fixtures', 'hold-shortcut.cjs');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  const child: ChildProcess = spawn(binary, [...(process.platform === 'linux' ? ['--no-sandbox'] : []), script], {
    env: { ...env, EARSHOT_TAKE_SHORTCUT: accelerator },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const answer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the shortcut holder said nothing in 30 s (${out})`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = /^(registered|refused)$/m.exec(out)?.[1];
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.on('exit', (code) => reject(new Error(`the shortcut holder exited with ${code} (${out})`)));
  });
  return { registered: answer === 'registered', stop: () => child.kill() };
}
