/**
 * Start at login, each platform's own code path (main/app/login-item.ts), against the strict
 * stand-in's `app` for that platform (its login-item model follows docs/api/app.md, including
 * Windows comparing `args`) and, on Linux, real autostart files that are then launched the way a
 * desktop session would: the Exec line is parsed per the Desktop Entry Specification and run.
 * A start at login stays hidden in the tray (launch.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Electron from 'electron';
import { createLoginItem, type LoginItemApp } from '../../../main/app/login-item.ts';
import { HIDDEN_ARG, startView } from '../../../main/app/launch.ts';

const require = createRequire(import.meta.url);
const standinPath = require.resolve('../../support/electron-standin/electron-standin.cjs');

/** A fresh copy of the stand-in modelling another OS's Electron (STANDIN_PLATFORM). */
function standinApp(platform: string, env: Record<string, string> = {}): Electron.App {
  const cache = require.cache;
  const cached = cache[standinPath];
  Reflect.deleteProperty(cache, standinPath);
  const saved = { ...process.env };
  Object.assign(process.env, { STANDIN_PLATFORM: platform, ...env });
  try {
    return (require(standinPath) as typeof Electron).app;
  } finally {
    for (const key of ['STANDIN_PLATFORM', ...Object.keys(env)]) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    if (cached) cache[standinPath] = cached;
  }
}

const record = (): { loginItems: unknown[] } => (globalThis as unknown as { __standin: { loginItems: unknown[] } }).__standin;
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'earshot-login-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The Exec line as a desktop session splits it (Desktop Entry Specification, "The Exec key"). */
function execArgv(entry: string): string[] {
  const exec = /^Exec=(.*)$/m.exec(entry)?.[1] ?? '';
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i] ?? '';
    if (quoted && c === '\\') {
      current += exec[++i] ?? '';
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (c === ' ' && !quoted) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args.map((a) => a.replace(/%%/g, '%'));
}

describe('Windows: login item with --hidden, read back with the same args', () => {
  it('turns on, is seen as on only when asked with the args it was set with, and turns off', async () => {
    const app = standinApp('win32');
    const before = record().loginItems.length;
    const item = createLoginItem({ platform: 'win32', app, execPath: process.execPath, appPath: null, env: {}, homeDir: tempDir() });
    expect(await item.get()).toBe(false);
    await item.set(true);
    expect(record().loginItems.slice(before)).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG] }]);
    expect(await item.get()).toBe(true);
    // The pitfall the shared LOGIN_ARGS avoid: asked without the args, Windows says "off".
    expect(app.getLoginItemSettings().openAtLogin).toBe(false);
    await item.set(false);
    expect(await item.get()).toBe(false);
    expect(item.autostartPath).toBeNull();
  });

  it('a login start carries --hidden and stays in the tray', () => {
    const item = createLoginItem({ platform: 'win32', app: standinApp('win32'), execPath: process.execPath, appPath: null, env: {}, homeDir: tempDir() });
    const argv = ['C:\\Program Files\\Earshot\\Earshot.exe', HIDDEN_ARG];
    expect(item.startedAtLogin(argv)).toBe(true);
    expect(startView({ argv, openedAtLogin: item.startedAtLogin(argv), firstLaunch: false })).toBeNull();
    expect(startView({ argv: argv.slice(0, 1), openedAtLogin: item.startedAtLogin(argv.slice(0, 1)), firstLaunch: false })).toBe('transcript');
  });
});

describe('macOS: openAtLogin, and wasOpenedAtLogin read at start', () => {
  it('sets openAtLogin without the Windows-only args, and reads it back', async () => {
    const app = standinApp('darwin');
    const before = record().loginItems.length;
    const item = createLoginItem({ platform: 'darwin', app, execPath: process.execPath, appPath: null, env: {}, homeDir: tempDir() });
    await item.set(true);
    expect(record().loginItems.slice(before)).toEqual([{ openAtLogin: true }]);
    expect(await item.get()).toBe(true);
    await item.set(false);
    expect(await item.get()).toBe(false);
  });

  it('a start by the login item stays hidden; a start by the person shows the window', () => {
    const byLogin = createLoginItem({ platform: 'darwin', app: standinApp('darwin', { STANDIN_OPENED_AT_LOGIN: '1' }), execPath: process.execPath, appPath: null, env: {}, homeDir: tempDir() });
    const byHand = createLoginItem({ platform: 'darwin', app: standinApp('darwin'), execPath: process.execPath, appPath: null, env: {}, homeDir: tempDir() });
    const argv = ['/Applications/Earshot.app/Contents/MacOS/Earshot'];
    expect(startView({ argv, openedAtLogin: byLogin.startedAtLogin(argv), firstLaunch: false })).toBeNull();
    expect(startView({ argv, openedAtLogin: byHand.startedAtLogin(argv), firstLaunch: false })).toBe('transcript');
    // The first start shows onboarding whatever started it.
    expect(startView({ argv, openedAtLogin: byLogin.startedAtLogin(argv), firstLaunch: true })).toBe('onboarding');
  });
});

describe('Linux: an XDG autostart entry', () => {
  /** Records what a login start passes: a stand-in for the app that writes its argv to a file. */
  function fakeApp(dir: string): { script: string; argvFile: string } {
    const argvFile = join(dir, 'argv.json');
    const script = join(dir, 'Earshot $HOME "dev".cjs');
    writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));`);
    return { script, argvFile };
  }

  it('writes $XDG_CONFIG_HOME/autostart/earshot.desktop whose Exec starts the app with --hidden', async () => {
    const dir = tempDir();
    const { script, argvFile } = fakeApp(dir);
    const before = record().loginItems.length;
    const item = createLoginItem({ platform: 'linux', app: standinApp('linux'), execPath: process.execPath, appPath: script, env: { XDG_CONFIG_HOME: join(dir, 'config') }, homeDir: join(dir, 'home') });
    expect(await item.get()).toBe(false);
    await item.set(true);
    expect(item.autostartPath).toBe(join(dir, 'config', 'autostart', 'earshot.desktop'));
    const entry = readFileSync(item.autostartPath ?? '', 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(entry).toContain('\nX-GNOME-Autostart-enabled=true\n');
    expect(await item.get()).toBe(true);
    // Launch it as the session would: the path with a space, "$" and quotes survives, and --hidden arrives.
    const argv = execArgv(entry);
    expect(argv).toEqual([process.execPath, script, HIDDEN_ARG]);
    const run = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual([HIDDEN_ARG]);
    // Electron's login-item API is not used on Linux (it has none there).
    expect(record().loginItems.length).toBe(before);
  });

  it('counts an entry the person switched off in their startup settings as off, and removes it on off', async () => {
    const dir = tempDir();
    const item = createLoginItem({ platform: 'linux', app: standinApp('linux'), execPath: '/usr/bin/earshot', appPath: null, env: {}, homeDir: dir });
    await item.set(true);
    expect(item.autostartPath).toBe(join(dir, '.config', 'autostart', 'earshot.desktop'));
    const file = item.autostartPath ?? '';
    const entry = readFileSync(file, 'utf8');
    expect(execArgv(entry)).toEqual(['/usr/bin/earshot', HIDDEN_ARG]);
    writeFileSync(file, entry.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(await item.get()).toBe(false);
    writeFileSync(file, `${entry}Hidden=true\n`);
    expect(await item.get()).toBe(false);
    await item.set(false);
    expect(await item.get()).toBe(false);
    await item.set(false); // already off: no error
  });

  it('from an AppImage, the entry launches the AppImage', async () => {
    const dir = tempDir();
    const item = createLoginItem({ platform: 'linux', app: standinApp('linux'), execPath: '/tmp/.mount_Earsh/earshot', appPath: null, env: { APPIMAGE: '/home/ana/Apps/Earshot 1.0.AppImage' }, homeDir: dir });
    await item.set(true);
    expect(execArgv(readFileSync(item.autostartPath ?? '', 'utf8'))).toEqual(['/home/ana/Apps/Earshot 1.0.AppImage', HIDDEN_ARG]);
    expect(item.startedAtLogin(['/home/ana/Apps/Earshot 1.0.AppImage', HIDDEN_ARG])).toBe(true);
  });
});

// The type the app passes is Electron's own App; keep the port honest about it.
const _check: LoginItemApp = standinApp('linux');
void _check;
