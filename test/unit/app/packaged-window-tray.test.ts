/**
 * The app as a packaged build lays it out (issue 9, defect 5): process.resourcesPath holds only what
 * electron-builder.yml's extraResources copies there. Under the strict stand-in every icon the app
 * loads must exist (Electron quietly shows nothing for a missing one: nativeImage.createFromPath
 * returns an empty image), and a packaged build sets its own application menu (Electron's default one
 * offers DevTools).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot, ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

interface Report extends Line {
  images: { path: string; purpose: string; empty: boolean }[];
  applicationMenu: { set: boolean; menu: string | null };
  calls: string[];
}

/** electron-builder.yml's extraResources entries ({ from, to } pairs, the only form the file uses). */
function extraResources(yml: string): { from: string; to: string }[] {
  const block = /^extraResources:\n((?:[ \t]+.*\n)+)/m.exec(yml)?.[1] ?? '';
  const entries: { from: string; to: string }[] = [];
  for (const m of block.matchAll(/-\s*from:\s*(\S+)\s*\n\s*to:\s*(\S+)/g)) entries.push({ from: m[1] ?? '', to: m[2] ?? '' });
  return entries;
}

let app: StandinApp;
let report: Report;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'earshot-packaged-'));
  const resources = join(dir, 'resources');
  mkdirSync(resources);
  for (const { from, to } of extraResources(readFileSync(join(appRoot, 'electron-builder.yml'), 'utf8'))) {
    cpSync(join(appRoot, from), join(resources, to), { recursive: true });
  }
  mkdirSync(join(dir, 'userData'));
  app = startStandinApp({ EARSHOT_USER_DATA: join(dir, 'userData'), DISPLAY: '', OPENAI_API_KEY: 'sk-standin-packaged-0123456789', STANDIN_PACKAGED: '1', STANDIN_RESOURCES_PATH: resources });
  await app.waitFor('ready', 30_000);
  report = (await app.report()) as Report;
}, 60_000);

afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a packaged build (resources as electron-builder.yml lays them out)', () => {
  it('every icon the app loads is in the packaged resources (window icon and tray)', () => {
    expect(report.images.map((i) => i.purpose)).toContain('BrowserWindow icon');
    expect(report.images.filter((i) => i.empty)).toEqual([]);
  });

  it('sets its own application menu, without DevTools', () => {
    expect(report.applicationMenu.set).toBe(true);
    expect(report.applicationMenu.menu ?? '').not.toMatch(/toggleDevTools|toggledevtools/i);
  });

  it.skip('calls app.setAppUserModelId with the builder appId on Windows', () => {
    // skipped: setAppUserModelId on win32: simulating win32 under the stand-in would also run the
    // app's Windows key hook (the real uiohook without a Windows input system); the electron tier and
    // CI on Windows cover it.
  });
});
console.log('skipped: setAppUserModelId on win32: simulating win32 would start the real uiohook hook on a platform it cannot run on here; covered by CI on Windows');
