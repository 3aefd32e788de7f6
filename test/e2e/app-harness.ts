/**
 * The whole app for e2e tests of the window: the fake Realtime server, the built renderer served the
 * way app:// serves it, the real core over the test WebSocket transport, and Debian's Chromium with a
 * fake microphone. Each test file starts one and opens pages on it at the window's real size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { buildTestPreload } from '../support/build-test-preload.ts';
import { startCoreHost, type CoreHost } from '../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime, type FakeRealtimeOptions } from '../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { MemoryIndicator, MemoryScreen, type DesktopSource } from '../support/memory-screen.ts';
import { serveBuiltRenderer, type RendererServer } from '../support/renderer-server.ts';

export const root = join(import.meta.dirname, '..', '..');
export const API_KEY = 'sk-test-e2e-window-5a4b3c2d1e0f9a8b';
/** The window's real size (main/app/windows.ts). */
export const WINDOW = { width: 420, height: 640 };

export interface AppHarness {
  fake: FakeRealtime;
  server: RendererServer;
  host: CoreHost;
  browser: Browser;
  filesRoot: string;
  preload: string;
  /** The desktop the core may look at, when the app was started with `screen` (else null). */
  screen: { port: MemoryScreen; indicator: MemoryIndicator } | null;
  open(options?: { width?: number; height?: number; scheme?: 'light' | 'dark'; zoom?: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * How long an e2e test waits for work that goes through Chromium and the core (a click saved, a card
 * shown, a focus moved). Generous on purpose: on a loaded 2-core CI machine these take seconds, and
 * the tests prove that they happen, not how fast (test/bench measures speed).
 */
export const E2E_WAIT = 15_000;

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function appendedMs(fake: FakeRealtime, since = 0): number {
  const bytes = fake
    .events('input_audio_buffer.append')
    .slice(since)
    .reduce((sum, e) => sum + Buffer.from(String(e.audio), 'base64').length, 0);
  return bytes / 2 / 24;
}

/** One push-to-talk turn through the same functions the global shortcut calls. */
export async function talk(app: AppHarness, speakMs = 400): Promise<void> {
  const before = app.fake.events('input_audio_buffer.append').length;
  const done = app.fake.events('response.done').length;
  app.host.core.hotkeyDown();
  await until(() => appendedMs(app.fake, before) >= speakMs, 15_000, 'microphone audio at the server');
  app.host.core.hotkeyUp();
  await until(() => app.fake.events('response.done').length > done, 20_000, 'the answer');
}

export async function stateOf(page: Page): Promise<string | null> {
  return page.getByTestId('state').getAttribute('data-state');
}

export function buildRendererIfMissing(): void {
  if (existsSync(join(root, 'out', 'renderer', 'index.html'))) return;
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

/** A desktop worth picking from: two screens and three windows (one portrait), with thumbnails the size main asks for. */
export const DEMO_DESKTOP: DesktopSource[] = [
  { id: 'screen:1:0', kind: 'screen', name: 'Entire Screen', size: { width: 1920, height: 1080 } },
  { id: 'screen:2:0', kind: 'screen', name: 'Screen 2', size: { width: 2560, height: 1440 } },
  { id: 'window:11:0', kind: 'window', name: 'Terminal — npm test', size: { width: 1200, height: 800 } },
  { id: 'window:12:0', kind: 'window', name: 'Quarterly report.pdf — Preview', size: { width: 900, height: 1200 } },
  { id: 'window:13:0', kind: 'window', name: 'Inbox (3) — Mail', size: { width: 1440, height: 900 } },
];

export async function startApp(
  options: { apiKey?: string; settings?: Record<string, unknown>; fake?: FakeRealtimeOptions; screen?: DesktopSource[] } = {},
): Promise<AppHarness> {
  await ensureFixtures();
  mkdirSync(join(root, '.tmp'), { recursive: true });
  buildRendererIfMissing();
  const preload = await buildTestPreload();
  const fake = await startFakeRealtime({ speedup: 8, ...options.fake });
  const server = await serveBuiltRenderer(join(root, 'out', 'renderer'));
  const filesRoot = mkdtempSync(join(tmpdir(), 'earshot-e2e-window-'));
  writeFileSync(join(filesRoot, 'shopping.txt'), 'milk\neggs\n');
  const indicator = new MemoryIndicator();
  const screen = options.screen ? { port: new MemoryScreen(options.screen, indicator), indicator } : null;
  if (screen) screen.port.thumbnailBox = { width: 320, height: 200 };
  const host = await startCoreHost({
    ...(screen ? { screen: { capture: screen.port, indicator: screen.indicator } } : {}),
    httpServer: server.server,
    pageOrigin: server.url,
    apiKey: options.apiKey ?? API_KEY,
    baseURL: fake.baseURL,
    caPath: fake.caPath,
    settings: { turnMode: 'hold', allowedFolders: [filesRoot], micWarmSeconds: 60, ...options.settings },
  });
  const browser = await launchChromium({ fakeMicWav: fixturePath('speech-60s-44k-stereo.wav') });
  const app: AppHarness = {
    fake,
    server,
    host,
    browser,
    filesRoot,
    preload,
    screen,
    async open(o = {}) {
      const zoom = o.zoom ?? 1;
      const context = await browser.newContext({
        // Page zoom at 200 % is a CSS viewport half the window's pixels, drawn at twice the scale:
        // a 420 px window lays out in 210 CSS px (WCAG 1.4.10 reflow).
        viewport: { width: Math.round((o.width ?? WINDOW.width) / zoom), height: Math.round((o.height ?? WINDOW.height) / zoom) },
        deviceScaleFactor: zoom,
        colorScheme: o.scheme ?? 'light',
      });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') console.log(`[renderer] ${message.text()}`);
      });
      page.on('pageerror', (e) => console.log(`[renderer] page error: ${e.message}`));
      await page.addInitScript(`window.__EARSHOT_TEST_TRANSPORT_URL__ = ${JSON.stringify(host.transportUrl)};`);
      await page.addInitScript(preload);
      const clients = host.transport.connectedClients();
      await page.goto(server.url);
      await page.getByTestId('state').waitFor();
      await until(() => host.transport.connectedClients() > clients, 10_000, 'the renderer to connect');
      return page;
    },
    async close() {
      await browser.close();
      await host.close();
      await server.close();
      await fake.close();
      rmSync(filesRoot, { recursive: true, force: true });
    },
  };
  return app;
}
