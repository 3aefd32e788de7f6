/**
 * Screen capture under the strict stand-in Electron: first the stand-in's own model of
 * desktopCapturer, nativeImage's resize/toPNG and systemPreferences.getMediaAccessStatus('screen')
 * (each pinned to the electron/electron source or doc named in desktop-capturer.cjs), then the app's
 * adapter (main/app/screen-capture.ts) behind the core's ScreenLooker per platform: names listed
 * without pixels, thumbnails for the picker, one capture scaled per OpenAI's sizing, macOS consent
 * refused or not yet given, and the button that opens System Settings.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as Electron from 'electron';
import type { Notice } from '../../../preload/contract.ts';
import { createScreenCapture, MAC_SCREEN_RECORDING_SETTINGS, PICKER_THUMBNAIL } from '../../../main/app/screen-capture.ts';
import { ScreenLooker } from '../../../main/tools/screen/screen-looker.ts';
import { MemoryIndicator } from '../../support/memory-screen.ts';
import { pngSize } from '../../support/png.ts';

const require = createRequire(import.meta.url);
const standinPath = require.resolve('../../support/electron-standin/electron-standin.cjs');

interface Hands {
  desktop: { id: string; name: string; size: { width: number; height: number } }[];
  screenAccess: string;
  screenPrompts: number;
  capturerCalls: { types: string[]; thumbnailSize: { width: number; height: number } }[];
  resizes: { from: unknown; to: unknown; quality: string }[];
  calls: string[];
}
const hands = (): Hands => (globalThis as unknown as { __standin: Hands }).__standin;

/** A fresh copy of the stand-in modelling one OS's Electron, ready, with an empty call log. */
async function standin(platform: string, env: Record<string, string> = {}): Promise<typeof Electron> {
  const cache = require.cache;
  const cached = cache[standinPath];
  Reflect.deleteProperty(cache, standinPath);
  const saved = { ...process.env };
  Object.assign(process.env, { STANDIN_PLATFORM: platform, ...env });
  let electron: typeof Electron;
  try {
    electron = require(standinPath) as typeof Electron;
  } finally {
    for (const key of ['STANDIN_PLATFORM', ...Object.keys(env)]) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    if (cached) cache[standinPath] = cached;
  }
  await electron.app.whenReady();
  const h = hands();
  h.desktop = [
    { id: 'screen:0:0', name: 'Entire Screen', size: { width: 2560, height: 1440 } },
    { id: 'window:4200:0', name: 'Terminal — build', size: { width: 1280, height: 800 } },
    { id: 'window:4201:0', name: 'Invoice.pdf — Preview', size: { width: 900, height: 1200 } },
  ];
  h.capturerCalls.length = 0;
  h.resizes.length = 0;
  h.screenPrompts = 0;
  return electron;
}

function adapter(electron: typeof Electron, platform: NodeJS.Platform) {
  const port = createScreenCapture({ desktopCapturer: electron.desktopCapturer, systemPreferences: electron.systemPreferences, shell: electron.shell, platform });
  const indicator = new MemoryIndicator();
  const notices: Notice[] = [];
  const looker = new ScreenLooker({ port, indicator, detail: () => 'auto', notice: (n) => notices.push(n) });
  return { port, indicator, notices, looker };
}

describe('the stand-in’s desktopCapturer', () => {
  it('rejects without a types array; thumbnails fit thumbnailSize with the aspect kept (even larger than the source); 0 × 0 captures nothing', async () => {
    const { desktopCapturer } = await standin('linux');
    await expect(desktopCapturer.getSources({} as Electron.SourcesOptions)).rejects.toThrow('Invalid options');
    const small = await desktopCapturer.getSources({ types: ['screen', 'window'] });
    expect(small.map((s) => [s.id, s.thumbnail.getSize()])).toEqual([
      ['screen:0:0', { width: 150, height: 84 }],
      ['window:4200:0', { width: 150, height: 94 }],
      ['window:4201:0', { width: 113, height: 150 }],
    ]);
    const big = await desktopCapturer.getSources({ types: ['window'], thumbnailSize: { width: 4000, height: 4000 } });
    expect(big[0]?.thumbnail.getSize()).toEqual({ width: 4000, height: 2500 });
    const none = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } });
    expect(none.map((s) => [s.name, s.thumbnail.isEmpty()])).toEqual([['Entire Screen', true]]);
    expect(() => (none[0] as unknown as Record<string, unknown>)['appIconUrl']).toThrow('stand-in Electron does not model DesktopCapturerSource.appIconUrl');
  });

  it('macOS without consent: rejects with the plain string "Failed to get sources." (not an Error); not-determined prompts once', async () => {
    const { desktopCapturer, systemPreferences } = await standin('darwin', { STANDIN_SCREEN_ACCESS: 'not-determined' });
    expect(systemPreferences.getMediaAccessStatus('screen')).toBe('not-determined');
    expect(systemPreferences.getMediaAccessStatus('microphone')).toBe('granted');
    const failure = await desktopCapturer.getSources({ types: ['screen'] }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(failure).toBe('Failed to get sources.');
    expect(hands().screenPrompts).toBe(1);
    const win = await standin('win32');
    expect(win.systemPreferences.getMediaAccessStatus('screen')).toBe('granted');
    const linux = await standin('linux');
    expect(linux.systemPreferences.getMediaAccessStatus).toBeUndefined();
  });

  it('nativeImage.resize keeps the aspect with one side given; toPNG is a real PNG of the image’s size', async () => {
    const { desktopCapturer } = await standin('linux');
    const [source] = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 1280, height: 1280 } });
    const image = source?.thumbnail as Electron.NativeImage;
    expect(image.getSize()).toEqual({ width: 1280, height: 720 });
    const half = image.resize({ width: 640 });
    expect(half.getSize()).toEqual({ width: 640, height: 360 });
    expect(pngSize(half.toPNG())).toEqual({ width: 640, height: 360 });
    expect(half.toDataURL()).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });
});

describe('the screen-capture adapter under the stand-in', () => {
  it('Linux: names without pixels, picker thumbnails, one capture at the size the detail needs', async () => {
    const electron = await standin('linux');
    const { port, looker, indicator, notices } = adapter(electron, 'linux');
    expect(port.permission()).toBe('granted');
    expect(port.openPermissionSettings).toBeUndefined();
    const names = await port.listSources(['screen', 'window'], { thumbnails: false });
    expect(names.map((s) => [s.kind, s.name, s.thumbnailDataUrl])).toEqual([
      ['screen', 'Entire Screen', null],
      ['window', 'Terminal — build', null],
      ['window', 'Invoice.pdf — Preview', null],
    ]);
    expect(hands().capturerCalls.at(-1)?.thumbnailSize).toEqual({ width: 0, height: 0 });
    const picker = await looker.sources();
    expect(hands().capturerCalls.at(-1)?.thumbnailSize).toEqual(PICKER_THUMBNAIL);
    expect(picker.map((s) => pngSize(Buffer.from((s.thumbnailDataUrl ?? '').split(',')[1] ?? '', 'base64')))).toEqual([
      { width: 320, height: 180 },
      { width: 320, height: 200 },
      { width: 150, height: 200 },
    ]);
    const looked = await looker.look({ sourceId: 'screen:0:0' });
    // Asked at the 2048 box (2048 × 1152), then scaled so the short side is 768: 1365 × 768.
    expect(hands().capturerCalls.at(-1)).toEqual({ types: ['screen'], thumbnailSize: { width: 2048, height: 2048 } });
    expect(hands().resizes).toEqual([{ from: { width: 2048, height: 1152 }, to: { width: 1365, height: 768 }, quality: 'best' }]);
    expect(looked).toMatchObject({ sourceName: 'Entire Screen', width: 1365, height: 768 });
    expect(pngSize(Buffer.from(looked.image.dataUrl.split(',')[1] ?? '', 'base64'))).toEqual({ width: 1365, height: 768 });
    expect(indicator.log).toEqual(['begin Entire Screen', 'end Entire Screen captured']);
    expect(notices.at(-1)?.message).toBe('Earshot looked at Entire Screen.');
  });

  it('a window that closed between the picker and the capture: a clear message, the indicator off again', async () => {
    const electron = await standin('linux');
    const { port, indicator } = adapter(electron, 'linux');
    hands().desktop = hands().desktop.filter((s) => s.id !== 'window:4201:0');
    await expect(port.capture('window:4201:0', { width: 2048, height: 2048 }, (s) => s)).rejects.toThrow('that screen or window is no longer there');
    expect(indicator.log).toEqual([]);
  });

  it('macOS, recording denied: explained, nothing asked of desktopCapturer, and the button opens Privacy & Security → Screen Recording', async () => {
    const electron = await standin('darwin', { STANDIN_SCREEN_ACCESS: 'denied' });
    const { port, looker, notices } = adapter(electron, 'darwin');
    expect(port.permission()).toBe('denied');
    await expect(looker.look({ which: 'screen' })).rejects.toThrow(/System Settings → Privacy & Security → Screen Recording/);
    expect(hands().capturerCalls).toEqual([]);
    expect(notices.at(-1)).toMatchObject({ level: 'error', subject: 'screen', button: 'open-screen-settings' });
    await looker.openPermissionSettings();
    expect(hands().calls.at(-1)).toBe(`openExternal ${MAC_SCREEN_RECORDING_SETTINGS}`);
  });

  it('macOS, not asked yet: the first try shows the system prompt and fails with a readable Error; once granted it works', async () => {
    const electron = await standin('darwin', { STANDIN_SCREEN_ACCESS: 'not-determined' });
    const { looker, indicator } = adapter(electron, 'darwin');
    const error = await looker.look({ which: 'screen' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('The desktop did not list screens or windows: Failed to get sources.');
    expect(hands().screenPrompts).toBe(1);
    expect(indicator.log).toEqual([]);
    hands().screenAccess = 'granted';
    expect((await looker.look({ which: 'window', windowName: 'terminal' })).sourceName).toBe('Terminal — build');
  });
});
