/**
 * The tray as the BUILT main bundle sets it under the strict stand-in Electron: the icon variant for
 * the panel's theme at the desktop's size, switched when the system theme changes (nativeTheme
 * 'updated'), a Template image as on macOS, and a tooltip and menu that name the hotkey, engine and
 * mode. Every image it loads must exist (Electron shows an empty image for a missing file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

interface Report extends Line {
  tray: { tooltip: string | null; items: string[] };
  trayImages: { path: string; template: boolean; size: { width: number; height: number } }[];
  images: { path: string; empty: boolean }[];
}

let app: StandinApp | null = null;
let userData = '';
afterEach(async () => {
  await app?.stop();
  app = null;
  if (userData) rmSync(userData, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<Report> {
  ensureBuilt();
  userData = mkdtempSync(join(tmpdir(), 'earshot-tray-theme-'));
  app = startStandinApp({ EARSHOT_USER_DATA: userData, DISPLAY: '', OPENAI_API_KEY: 'sk-standin-tray-0123456789abcdef', ...env }, ['--hidden']);
  await app.waitFor('ready', 30_000);
  return (await app.report()) as Report;
}

const lastIcon = (r: Report): { file: string; template: boolean; width: number } => {
  const image = r.trayImages.at(-1);
  return { file: basename(image?.path ?? ''), template: image?.template ?? false, width: image?.size.width ?? 0 };
};

describe('the tray fits the panel (built bundle, strict stand-in)', () => {
  it('Linux (GNOME): the 24 px light-panel icon, the dark-panel one after the theme turns dark', async () => {
    const r = await start({ XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', STANDIN_DARK: '0' });
    expect(lastIcon(r)).toEqual({ file: 'idle-linux24-on-light.png', template: false, width: 24 });
    expect(r.tray.tooltip).toBe('Earshot — ready · press Control+Alt+Space to talk');
    expect(r.tray.items.slice(0, 3)).toEqual(['Engine: Realtime · gpt-realtime-2.1', 'Talk (Control+Alt+Space)', 'Turn mode: press to talk']);
    app?.send('theme dark');
    await app?.waitFor('theme-changed');
    const after = (await app?.report()) as Report;
    expect(lastIcon(after)).toEqual({ file: 'idle-linux24-on-dark.png', template: false, width: 24 });
    expect(after.images.filter((i) => i.empty)).toEqual([]);
  }, 40_000);

  it('Linux (KDE Plasma) starting dark: the 22 px dark-panel icon', async () => {
    const r = await start({ XDG_CURRENT_DESKTOP: 'KDE', STANDIN_DARK: '1' });
    expect(lastIcon(r)).toEqual({ file: 'idle-linux22-on-dark.png', template: false, width: 22 });
  }, 40_000);

  it('as on macOS: the Template image, marked as one, whatever the theme', async () => {
    const r = await start({ STANDIN_PROCESS_PLATFORM: 'darwin', STANDIN_DARK: '1' });
    expect(lastIcon(r)).toEqual({ file: 'idleTemplate.png', template: true, width: 16 });
    expect(r.images.filter((i) => i.empty)).toEqual([]);
  }, 40_000);
});
