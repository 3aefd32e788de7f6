/**
 * The e2e tier's setup for benchmarks: the BUILT renderer (out/renderer) in Debian's Chromium with
 * its fake microphone (`--use-file-for-fake-audio-capture`), its bridge over the test WebSocket to the
 * real main core in this Node process (test/support/core-host.ts), which talks TLS to the fake
 * Realtime server — in this process too, so the fake's records (`at`, performance.now()) and main's
 * key presses are on ONE clock.
 *
 * The page gets two observers, installed by init scripts before the app's code runs; neither changes
 * what the app does:
 *  - the worklet's messages to the page are seen as they arrive (MessagePort's `onmessage` setter is
 *    wrapped; the app sets `duplexNode.port.onmessage`): the first capture frame of each turn (its
 *    `at`, Date.now() in the worklet when the 20 ms frame completed), `first` (the player's first
 *    sample; the app stamps its reportPlayback.firstSampleAt at the same moment) and `stopped`;
 *  - an output tap: whatever the app connects to `context.destination` is also connected to a small
 *    AudioWorklet of ours that counts the non-zero samples that leave the graph, and stamps the
 *    quantum where sound starts and the first silent quantum after it (Date.now() on the audio thread
 *    while that quantum is rendered). It outputs silence into the destination, so nothing audible is
 *    added. Loading it from a blob: URL needs the page's CSP bypassed (`bypassCSP`, a Playwright
 *    context option); the app's own CSP is otherwise what it ships.
 *
 * Clocks: page times (Date.now() in the page and its worklets, and performance.timeOrigin + now()) are
 * mapped to this process's clock (performance.timeOrigin + performance.now()) by round trips through
 * page.evaluate: the offset of the round trip with the smallest RTT, so each mapped time is within
 * ±RTT/2 (plus Date.now()'s 1 ms) of the truth. `clock()` re-measures it; benches print both ends.
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissingReason, launchChromium } from '../support/browser.ts';
import { buildTestPreload } from '../support/build-test-preload.ts';
import { startCoreHost, type CoreHost } from '../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime, type FakeRealtimeOptions } from '../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { serveBuiltRenderer, type RendererServer } from '../support/renderer-server.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
const API_KEY = 'sk-test-bench-e2e-0a1b2c3d4e5f6a7b8c';

/** This process's clock as epoch ms (high resolution). */
export const nodeNow = (): number => performance.timeOrigin + performance.now();
/** A fake record's `at` (performance.now() of this process) as epoch ms. */
export const fakeAt = (at: number): number => performance.timeOrigin + at;

export interface TapEvent {
  type: 'start' | 'end';
  /** Context frame of the first non-zero sample (start) / of the first silent quantum (end). */
  frame: number;
  /** Date.now() on the audio thread when that quantum was rendered. */
  at: number;
  /** end: non-zero samples counted between start and end. */
  count?: number;
}

export interface PageRecords {
  firstFrames: Array<{ turnId: string; at: number; samples: number }>;
  /** Samples of every frame the worklet posted, per turn. */
  frameSamples: Record<string, number>;
  firsts: Array<{ itemId: string; frame: number; pageAt: number }>;
  stopped: Array<{ requestId: string; itemId: string | null; renderedSamples: number; pageAt: number }>;
  tap: TapEvent[];
}

const TAP_PROCESSOR = `
class BenchTap extends AudioWorkletProcessor {
  constructor() { super(); this.sounding = false; this.count = 0; this.silent = 0; this.silentFrame = 0; this.silentAt = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    let nz = 0, first = -1;
    if (ch) for (let i = 0; i < ch.length; i++) if (ch[i] > 1e-4 || ch[i] < -1e-4) { nz++; if (first < 0) first = i; }
    if (nz > 0) {
      if (!this.sounding) { this.sounding = true; this.count = 0; this.port.postMessage({ type: 'start', frame: currentFrame + first, at: Date.now() }); }
      this.count += nz; this.silent = 0;
    } else if (this.sounding) {
      if (this.silent === 0) { this.silentFrame = currentFrame; this.silentAt = Date.now(); }
      this.silent++;
      if (this.silent >= 12) { this.sounding = false; this.port.postMessage({ type: 'end', frame: this.silentFrame, at: this.silentAt, count: this.count }); }
    }
    return true;
  }
}
registerProcessor('earshot-bench-tap', BenchTap);
`;

/** Installed before the app's code: the worklet-message observer and the output tap. */
export const OBSERVER_SCRIPT = `(() => {
  const rec = { firstFrames: [], frameSamples: {}, firsts: [], stopped: [], tap: [] };
  Object.defineProperty(window, '__benchRecords', { value: rec });
  const observe = (d) => {
    if (!d || typeof d !== 'object') return;
    if (d.type === 'frame') {
      rec.frameSamples[d.turnId] = (rec.frameSamples[d.turnId] || 0) + d.pcm.byteLength / 2;
      if (d.seq === 0) rec.firstFrames.push({ turnId: d.turnId, at: d.at, samples: d.pcm.byteLength / 2 });
    } else if (d.type === 'first') rec.firsts.push({ itemId: d.itemId, frame: d.frame, pageAt: performance.timeOrigin + performance.now() });
    else if (d.type === 'stopped') rec.stopped.push({ requestId: d.requestId, itemId: d.itemId, renderedSamples: d.renderedSamples, pageAt: performance.timeOrigin + performance.now() });
  };
  const desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true, enumerable: desc.enumerable,
    get() { return desc.get.call(this); },
    set(fn) {
      if (typeof fn !== 'function') { desc.set.call(this, fn); return; }
      desc.set.call(this, function (event) { try { observe(event.data); } catch (e) {} return fn.call(this, event); });
    },
  });
  const connect = AudioNode.prototype.connect;
  const tapUrl = URL.createObjectURL(new Blob([${JSON.stringify(TAP_PROCESSOR)}], { type: 'text/javascript' }));
  const tapped = new WeakSet();
  AudioNode.prototype.connect = function (destination, ...rest) {
    const result = connect.call(this, destination, ...rest);
    if (destination instanceof AudioDestinationNode && !tapped.has(this) && !this.__benchTap) {
      tapped.add(this);
      const source = this;
      const context = this.context;
      context.audioWorklet.addModule(tapUrl).then(() => {
        const tap = new AudioWorkletNode(context, 'earshot-bench-tap', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
        tap.__benchTap = true;
        tap.port.onmessage = (event) => rec.tap.push(event.data);
        connect.call(source, tap);
        connect.call(tap, context.destination);
        window.__benchTapReady = true;
      }, (error) => { window.__benchTapError = String(error); });
    }
    return result;
  };
})();`;

export interface ClockMap {
  /** page Date.now() − node epoch ms, at the smallest round trip. */
  dateOffset: number;
  /** page performance.timeOrigin + now() − node epoch ms. */
  perfOffset: number;
  /** The smallest round trip, ms: mapped times are within ±rtt/2 (+1 ms for Date.now()). */
  rtt: number;
}

export interface E2eRig {
  fake: FakeRealtime;
  host: CoreHost;
  browser: Browser;
  page: Page;
  server: RendererServer;
  chromiumVersion: string;
  clock(): Promise<ClockMap>;
  /** The page's records so far. */
  records(): Promise<PageRecords>;
  /** Page Date.now() (worklets too) → node epoch ms. */
  fromPageDate(t: number): number;
  /** Page performance.timeOrigin + now() → node epoch ms. */
  fromPagePerf(t: number): number;
  state(): string;
  close(): Promise<void>;
}

/** Why the e2e benches cannot run here, or null. */
export function e2eMissingReason(): string | null {
  return chromiumMissingReason();
}

/** Builds out/ with electron-vite when the renderer bundle is missing or older than a renderer source. */
export function ensureBuiltRenderer(): void {
  const index = join(repoRoot, 'out', 'renderer', 'index.html');
  let stale = !existsSync(index);
  if (!stale) {
    const builtAt = statSync(index).mtimeMs;
    const newer = spawnSync('find', [join(repoRoot, 'renderer'), join(repoRoot, 'preload'), '-newer', index, '-type', 'f'], { encoding: 'utf8' });
    stale = (newer.stdout ?? '').trim() !== '' && builtAt > 0;
  }
  if (!stale) return;
  console.log('building out/ (electron-vite build): the renderer bundle is missing or older than its sources');
  const build = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

export async function startE2eRig(options: { fake: FakeRealtimeOptions; settings: Record<string, unknown> }): Promise<E2eRig> {
  await ensureFixtures();
  ensureBuiltRenderer();
  const preload = await buildTestPreload();
  const fake = await startFakeRealtime(options.fake);
  const server = await serveBuiltRenderer(join(repoRoot, 'out', 'renderer'));
  const host = await startCoreHost({
    httpServer: server.server,
    pageOrigin: server.url,
    apiKey: API_KEY,
    baseURL: fake.baseURL,
    caPath: fake.caPath,
    settings: { turnMode: 'hold', ...options.settings },
  });
  const browser = await launchChromium({ fakeMicWav: fixturePath('speech-60s-44k-stereo.wav') });
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[renderer] ${message.text()}`);
  });
  await page.addInitScript(`window.__EARSHOT_TEST_TRANSPORT_URL__ = ${JSON.stringify(host.transportUrl)};`);
  await page.addInitScript(preload);
  await page.addInitScript(OBSERVER_SCRIPT);
  await page.goto(server.url);
  await page.getByTestId('state').waitFor();
  const deadline = Date.now() + 10_000;
  while (host.transport.connectedClients() === 0) {
    if (Date.now() > deadline) throw new Error('the renderer did not connect');
    await new Promise((r) => setTimeout(r, 25));
  }
  let map: ClockMap = { dateOffset: 0, perfOffset: 0, rtt: Infinity };
  const clock = async (): Promise<ClockMap> => {
    let best: ClockMap = { dateOffset: 0, perfOffset: 0, rtt: Infinity };
    for (let i = 0; i < 25; i++) {
      const t0 = nodeNow();
      const [d, p] = await page.evaluate(() => [Date.now(), performance.timeOrigin + performance.now()] as const);
      const t1 = nodeNow();
      const mid = (t0 + t1) / 2;
      if (t1 - t0 < best.rtt) best = { dateOffset: d - mid, perfOffset: p - mid, rtt: t1 - t0 };
    }
    map = best;
    return best;
  };
  await clock();
  return {
    fake,
    host,
    browser,
    page,
    server,
    chromiumVersion: browser.version(),
    clock,
    records: () => page.evaluate(() => (window as unknown as { __benchRecords: PageRecords }).__benchRecords),
    fromPageDate: (t) => t - map.dateOffset,
    fromPagePerf: (t) => t - map.perfOffset,
    state: () => host.core.status().state,
    async close() {
      await browser.close();
      await host.close();
      await server.close();
      await fake.close();
    },
  };
}

export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000, pollMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Milliseconds of microphone audio the fake received in input_audio_buffer.append events from index `since`. */
export function appendedMs(fake: FakeRealtime, since = 0): number {
  const bytes = fake
    .events('input_audio_buffer.append')
    .slice(since)
    .reduce((sum, e) => sum + Buffer.from(String(e['audio']), 'base64').length, 0);
  return bytes / 2 / 24;
}
