/**
 * Start at login: app.setLoginItemSettings on macOS and Windows; an XDG autostart .desktop file on
 * Linux, where Electron has no login-item API. A login start passes HIDDEN_ARG so the app stays in
 * the tray (see launch.ts).
 */
import { mkdir, rm, writeFile, access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { HIDDEN_ARG } from './launch.ts';

/** The same args for set and get: on Windows `getLoginItemSettings` compares `path` and `args`
 * with what was set, and reports openAtLogin false when they differ (docs/api/app.md). */
const LOGIN_ARGS = [HIDDEN_ARG];

function autostartFile(): string {
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'autostart', 'earshot.desktop');
}

export function desktopEntry(execPath: string): string {
  const exec = process.env.APPIMAGE ?? execPath;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Earshot',
    'Comment=Push-to-talk voice assistant',
    `Exec="${exec.replace(/"/g, '\\"')}" ${HIDDEN_ARG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export async function setStartAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'linux') {
    const file = autostartFile();
    if (enabled) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, desktopEntry(process.execPath), 'utf8');
    } else {
      await rm(file, { force: true });
    }
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: LOGIN_ARGS });
}

export async function getStartAtLogin(): Promise<boolean> {
  if (process.platform === 'linux') {
    try {
      await access(autostartFile());
      return true;
    } catch {
      return false;
    }
  }
  return app.getLoginItemSettings({ args: LOGIN_ARGS }).openAtLogin;
}
