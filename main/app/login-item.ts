/**
 * Start at login on all three systems, each through its own path, with everything it touches
 * passed in (platform, Electron's app, paths, environment) so a unit test runs each path:
 *
 * - **Windows**: `app.setLoginItemSettings({ openAtLogin, args: ['--hidden'] })`, read back with
 *   `getLoginItemSettings({ args })`: Windows reports openAtLogin only when asked with the same
 *   `path` and `args` that were set (docs/api/app.md, `getLoginItemSettings`). The login start
 *   passes HIDDEN_ARG, so the app stays in the tray (launch.ts).
 * - **macOS**: `setLoginItemSettings({ openAtLogin })` — `args` and `path` are Windows-only there
 *   (docs/api/app.md) — and a start at login is recognised by `wasOpenedAtLogin` (macOS only,
 *   same page). macOS may ask the person to approve the item (`status: 'requires-approval'`).
 * - **Linux**: Electron has no login-item API there (docs/api/app.md marks both methods macOS and
 *   Windows); the app writes an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/earshot.desktop`
 *   (XDG Autostart Specification), launching the AppImage when run from one (`$APPIMAGE`) with
 *   HIDDEN_ARG. A person can switch an entry off in their desktop's startup settings without deleting
 *   it (`Hidden=true`, or GNOME's `X-GNOME-Autostart-enabled=false`): that counts as off.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HIDDEN_ARG } from './launch.ts';

/** The same args for set and get (Windows compares them, see above). */
export const LOGIN_ARGS: readonly string[] = [HIDDEN_ARG];

/** The autostart file's name (the one earlier versions wrote, so switching off still finds it). */
export const AUTOSTART_FILE_NAME = 'earshot.desktop';

/** What login-item.ts uses of Electron's `app` (docs/api/app.md). */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean; status?: string };
}

export interface LoginItemPorts {
  platform: string;
  app: LoginItemApp;
  /** process.execPath: the app's executable (the Electron binary when not packaged). */
  execPath: string;
  /** The app folder to pass to Electron when not packaged (`electron <appPath>`); null when packaged. */
  appPath: string | null;
  env: { XDG_CONFIG_HOME?: string | undefined; APPIMAGE?: string | undefined };
  homeDir: string;
}

export interface LoginItem {
  set(enabled: boolean): Promise<void>;
  get(): Promise<boolean>;
  /** Whether this process was started at login (and should stay in the tray). */
  startedAtLogin(argv: readonly string[]): boolean;
  /** Linux: where the autostart entry lives (null elsewhere). */
  readonly autostartPath: string | null;
}

/**
 * One argument of a Desktop Entry `Exec` line: quoted, with `"`, `` ` ``, `$` and `\` escaped by a
 * backslash, and `%` doubled (Desktop Entry Specification, "The Exec key").
 */
function execArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg.replace(/%/g, '%%');
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Earshot',
    'Comment=Push-to-talk voice assistant',
    `Exec=${[...command, HIDDEN_ARG].map(execArg).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/** An autostart entry is off when the person switched it off (it stays on disk). */
export function autostartEnabled(entry: string): boolean {
  return !/^\s*Hidden\s*=\s*true\s*$/im.test(entry) && !/^\s*X-GNOME-Autostart-enabled\s*=\s*false\s*$/im.test(entry);
}

export function createLoginItem(ports: LoginItemPorts): LoginItem {
  if (ports.platform === 'linux') {
    const configHome = ports.env.XDG_CONFIG_HOME || join(ports.homeDir, '.config');
    const file = join(configHome, 'autostart', AUTOSTART_FILE_NAME);
    const command = ports.env.APPIMAGE ? [ports.env.APPIMAGE] : ports.appPath ? [ports.execPath, ports.appPath] : [ports.execPath];
    return {
      autostartPath: file,
      async set(enabled) {
        if (enabled) {
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, desktopEntry(command), 'utf8');
        } else {
          await rm(file, { force: true });
        }
      },
      async get() {
        try {
          return autostartEnabled(await readFile(file, 'utf8'));
        } catch {
          return false;
        }
      },
      startedAtLogin: (argv) => argv.includes(HIDDEN_ARG),
    };
  }
  if (ports.platform === 'darwin') {
    return {
      autostartPath: null,
      set: async (enabled) => ports.app.setLoginItemSettings({ openAtLogin: enabled }),
      get: async () => ports.app.getLoginItemSettings().openAtLogin,
      startedAtLogin: (argv) => argv.includes(HIDDEN_ARG) || ports.app.getLoginItemSettings().wasOpenedAtLogin === true,
    };
  }
  return {
    autostartPath: null,
    set: async (enabled) => ports.app.setLoginItemSettings({ openAtLogin: enabled, args: [...LOGIN_ARGS] }),
    get: async () => ports.app.getLoginItemSettings({ args: [...LOGIN_ARGS] }).openAtLogin,
    startedAtLogin: (argv) => argv.includes(HIDDEN_ARG),
  };
}
