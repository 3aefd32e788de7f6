/**
 * The stand-in Electron itself: each behaviour Earshot's tests rely on, pinned against what Electron
 * 45 does (the source of each is named in test/support/electron-standin/*.cjs). A lenient stand-in
 * let every test pass while the real app could not start; these keep it strict.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Electron from 'electron';

process.env.STANDIN_TAKEN_ACCELERATORS = 'Control+Shift+K';
process.env.STANDIN_DECRYPT_DELAY_MS = '300';
const require = createRequire(import.meta.url);
const electron = require('../../support/electron-standin/electron-standin.cjs') as typeof Electron;
const { app, BrowserWindow, MessageChannelMain, ipcMain, nativeImage, globalShortcut, protocol, safeStorage, session } = electron;

interface Record_ {
  drops: { channel: string; reason: string }[];
  images: { path: string; empty: boolean }[];
  nullPortMessages: number;
}
const record = (globalThis as unknown as { __standin: Record_ }).__standin;

interface PageWindow {
  api?: {
    invoke: (channel: string) => Promise<unknown>;
    listen: (channel: string) => void;
    heard: () => { channel: string; payload: unknown }[];
    port: () => boolean;
    post: (bytes: ArrayBuffer, transfer: boolean) => number;
    received: () => unknown[];
  };
  history: { pushState: (s: null, t: string, url: string) => void };
}

const dir = mkdtempSync(join(tmpdir(), 'standin-self-'));
const preload = join(dir, 'preload.cjs');
// A sandboxed preload written the way the real one is: ipcRenderer behind contextBridge.
writeFileSync(
  preload,
  `const { contextBridge, ipcRenderer } = require('electron');
  const heard = [];
  const received = [];
  let port = null;
  ipcRenderer.on('port', (event) => { port = event.ports[0]; port.onmessage = (m) => received.push(m.data); });
  contextBridge.exposeInMainWorld('api', {
    invoke: (channel) => ipcRenderer.invoke(channel),
    listen: (channel) => ipcRenderer.on(channel, (_e, payload) => heard.push({ channel, payload })),
    heard: () => heard,
    port: () => port !== null,
    post: (bytes, transfer) => { port.postMessage({ data: bytes }, transfer ? [bytes] : []); return bytes.byteLength; },
    received: () => received,
  });`,
);
const icon = join(import.meta.dirname, '..', '..', '..', 'resources', 'tray', 'idleTemplate.png');
let page: PageWindow | null = null;
let win: InstanceType<typeof BrowserWindow>;
const navigations: { details: { url: string; isSameDocument: boolean; isMainFrame: boolean }; legacy: unknown[] }[] = [];
const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // Before ready: registerSchemesAsPrivileged works, a window cannot be made yet.
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  expect(() => new BrowserWindow({})).toThrow('Cannot create BrowserWindow before app is ready');
  await app.whenReady();
  session.defaultSession.protocol.handle('app', async () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }));
  (globalThis as unknown as { __standinPage: (w: PageWindow) => void }).__standinPage = (w) => {
    page = w;
  };
  win = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } });
  win.webContents.on('did-start-navigation', (details: { url: string; isSameDocument: boolean; isMainFrame: boolean }, ...legacy: unknown[]) => navigations.push({ details, legacy }));
  await win.loadURL('app://earshot/index.html');
});

afterAll(() => {
  for (const w of BrowserWindow.getAllWindows()) w.destroy();
});

describe('the stand-in Electron is as strict as Electron 45', () => {
  it('throws on any API it does not model, naming it', () => {
    expect(() => (app as unknown as { setBadgeCount: unknown }).setBadgeCount).toThrow('stand-in Electron does not model app.setBadgeCount');
    expect(() => (electron as unknown as { powerMonitor: unknown }).powerMonitor).toThrow('stand-in Electron does not model electron.powerMonitor');
    expect(() => (win.webContents as unknown as { openDevTools: unknown }).openDevTools).toThrow('stand-in Electron does not model WebContents.openDevTools');
  });

  it('protocol.registerSchemesAsPrivileged throws after ready, with Electron’s message', () => {
    expect(() => protocol.registerSchemesAsPrivileged([{ scheme: 'late' }])).toThrow('protocol.registerSchemesAsPrivileged should be called before app is ready');
  });

  it('ipcMain.handle twice on one channel throws Electron’s message', () => {
    ipcMain.handle('twice', () => 1);
    expect(() => ipcMain.handle('twice', () => 2)).toThrow("Attempted to register a second handler for 'twice'");
  });

  it('invoke with no handler rejects with Electron’s exact message; with one, it answers', async () => {
    await expect(page?.api?.invoke('nobody')).rejects.toThrow("Error invoking remote method 'nobody': Error: No handler registered for 'nobody'");
    ipcMain.handle('answer', () => ({ n: 42 }));
    await expect(page?.api?.invoke('answer')).resolves.toEqual({ n: 42 });
  });

  it('webContents.send before the page listens is lost (recorded), after it is delivered', async () => {
    win.webContents.send('early', 1);
    await tick();
    expect(record.drops).toContainEqual({ channel: 'early', reason: 'no ipcRenderer listener yet' });
    page?.api?.listen('early');
    win.webContents.send('early', 2);
    await tick();
    expect(page?.api?.heard()).toEqual([{ channel: 'early', payload: 2 }]);
  });

  it('a transferred ArrayBuffer from a renderer port reaches MessagePortMain as data === null (#34905)', async () => {
    const { port1, port2 } = new MessageChannelMain();
    const got: unknown[] = [];
    port1.on('message', (e: { data: unknown }) => got.push(e.data));
    win.webContents.postMessage('port', null, [port2]);
    await tick();
    expect(page?.api?.port()).toBe(true);
    const bytes = Uint8Array.from([1, 2, 3, 250]).buffer;
    page?.api?.post(bytes, true);
    await tick();
    expect(got).toEqual([]); // nothing before start()
    port1.start();
    await tick();
    expect(got).toEqual([null]);
    expect(record.nullPortMessages).toBe(1);

    // Without a transfer list the bytes are copied and arrive as an ArrayBuffer (v8_util.cc), byte-exact.
    page?.api?.post(Uint8Array.from([9, 8, 7, 6, 5, 4]).buffer, false);
    await tick();
    const copied = got[1] as { data: unknown };
    expect(copied.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(copied.data as ArrayBuffer)]).toEqual([9, 8, 7, 6, 5, 4]);

    // And main → renderer: what main posts arrives intact in the page's port.
    port1.postMessage({ pcm: Uint8Array.from([7, 7, 1]).buffer });
    await tick();
    const back = page?.api?.received().at(-1) as { pcm: ArrayBuffer };
    expect(Object.prototype.toString.call(back.pcm)).toBe('[object ArrayBuffer]');
    expect([...new Uint8Array(back.pcm)]).toEqual([7, 7, 1]);
  });

  it('MessagePortMain and webContents.postMessage transfer ports only, with Electron’s errors', () => {
    const { port1, port2 } = new MessageChannelMain();
    expect(() => port1.postMessage('x', [new ArrayBuffer(4)] as never)).toThrow('Port at index 0 is not a valid port');
    expect(() => port1.postMessage('x', [port1])).toThrow('Port at index 0 contains the source port.');
    expect(() => win.webContents.postMessage('port', null, [new ArrayBuffer(2)] as never)).toThrow('Invalid value for transfer');
    port2.close();
  });

  it('emits did-start-navigation with Electron 45’s signature, for same-document navigations too', async () => {
    expect(navigations[0]?.details).toMatchObject({ url: 'app://earshot/index.html', isSameDocument: false, isMainFrame: true });
    page?.history.pushState(null, '', '#settings');
    await tick();
    const last = navigations.at(-1);
    expect(last?.details).toMatchObject({ url: 'app://earshot/index.html#settings', isSameDocument: true, isMainFrame: true });
    expect(last?.legacy.slice(0, 3)).toEqual(['app://earshot/index.html#settings', true, true]);
  });

  it('nativeImage.createFromPath of a missing file is an empty image, and recorded', () => {
    const missing = nativeImage.createFromPath(join(dir, 'nope.png'));
    expect(missing.isEmpty()).toBe(true);
    expect(missing.getSize()).toEqual({ width: 0, height: 0 });
    const real = nativeImage.createFromPath(icon);
    expect(real.isEmpty()).toBe(false);
    expect(real.getSize().width).toBeGreaterThan(0);
    real.setTemplateImage(true);
    expect(real.isTemplateImage()).toBe(true);
    expect(record.images).toContainEqual(expect.objectContaining({ path: join(dir, 'nope.png'), empty: true }));
  });

  it('getLoginItemSettings honours args on Windows (and Linux has no login items)', () => {
    app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
    expect(app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin).toBe(process.platform !== 'linux');
    // A second copy of the stand-in modelling Windows.
    const path = require.resolve('../../support/electron-standin/electron-standin.cjs');
    const cache = require.cache;
    const cached = cache[path];
    Reflect.deleteProperty(cache, path);
    process.env.STANDIN_PLATFORM = 'win32';
    const windows = (require(path) as typeof Electron).app;
    delete process.env.STANDIN_PLATFORM;
    if (cached) cache[path] = cached;
    windows.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
    expect(windows.getLoginItemSettings().openAtLogin).toBe(false);
    expect(windows.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin).toBe(true);
  });

  it('globalShortcut.register returns false for an accelerator another app holds, and it is not registered', () => {
    expect(globalShortcut.register('Control+Shift+K', () => undefined)).toBe(false);
    expect(globalShortcut.isRegistered('Control+Shift+K')).toBe(false);
    expect(globalShortcut.register('Control+Alt+Space', () => undefined)).toBe(true);
    expect(globalShortcut.isRegistered('Control+Alt+Space')).toBe(true);
    // The same app registering it again is refused too (GlobalAcceleratorListener::RegisterAccelerator).
    expect(globalShortcut.register('Control+Alt+Space', () => undefined)).toBe(false);
    expect(globalShortcut.isRegistered('Control+Alt+Space')).toBe(true);
  });

  it('safeStorage.decryptStringAsync waits like a keyring prompt and round-trips', async () => {
    const blob = await safeStorage.encryptStringAsync('sk-secret');
    const t0 = performance.now();
    const { result } = await safeStorage.decryptStringAsync(blob);
    expect(result).toBe('sk-secret');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await expect(safeStorage.decryptStringAsync(Buffer.from('plain'))).rejects.toThrow('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  });
});
