/**
 * The player in real Chromium: a known signal fed in irregular bursts through the bridge, the
 * output tapped by a worklet right after the session's output node and compared sample by sample.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { openHarness, type HarnessPage } from './browser-page.ts';
import { buildAndServePages, type PageServer } from './page-server.ts';
import { fromBase64Pcm16 } from './signal.ts';

const skip = chromiumMissingReason();
if (skip) console.log(`browser playback tests skipped: ${skip}`);

let server: PageServer;
let h: HarnessPage;
beforeAll(async () => {
  if (skip) return;
  server = await buildAndServePages();
  h = await openHarness(server, {}, { tap: true });
});
afterAll(async () => {
  await h?.close();
  await server?.close();
});

/** Deterministic irregular bursts: odd sizes (1, 7, 127, 129 …), 0–25 ms apart, ahead of real time. */
function bursts(total: number, seed: number): { samples: number; delayMs: number }[] {
  const sizes = [4800, 1, 7, 127, 129, 480, 2047, 3000, 5, 960, 7001, 333, 128, 4096];
  const out: { samples: number; delayMs: number }[] = [];
  let sent = 0;
  let i = seed;
  while (sent < total) {
    // The first burst is half a second, as a server streaming ahead of real time gives the player
    // before it could starve; after it the bursts are irregular in size and spacing.
    const n = Math.min(out.length === 0 ? 12_000 : (sizes[i % sizes.length] ?? 480), total - sent);
    out.push({ samples: n, delayMs: out.length === 0 ? 0 : (i * 7) % 26 });
    sent += n;
    i++;
  }
  return out;
}

function firstNonZero(x: Int16Array): number {
  return x.findIndex((v) => v !== 0);
}

function lastNonZero(x: Int16Array): number {
  for (let i = x.length - 1; i >= 0; i--) if (x[i] !== 0) return i;
  return -1;
}

describe.skipIf(skip)('player worklet in Chromium', () => {
  test('bursts ahead of real time play gap-free and sample-exact, two items back to back, 0 underruns', async () => {
    const { page } = h;
    await page.evaluate(() => window.harness.armTap());
    const before = (await page.evaluate(() => window.harness.stats()))?.underruns ?? 0;
    const a = 24000 * 2 + 77;
    const b = 24000 + 5;
    const feedA = page.evaluate((bs) => window.harness.feedKnownSignal('item-a', bs, 0), bursts(a, 0));
    await feedA;
    const feedB = page.evaluate((bs) => window.harness.feedKnownSignal('item-b', bs, 1), bursts(b, 3));
    await page.evaluate(() => window.harness.endOfItem('item-a'));
    await feedB;
    await page.evaluate(() => window.harness.endOfItem('item-b'));
    const finalA = await page.evaluate(() => window.harness.waitReport({ itemId: 'item-a', final: true }));
    const finalB = await page.evaluate(() => window.harness.waitReport({ itemId: 'item-b', final: true }));
    const firstA = await page.evaluate(() => window.harness.waitReport({ itemId: 'item-a' }));
    await page.waitForTimeout(200);
    const tap = await page.evaluate(() => window.harness.tapped());
    const out = fromBase64Pcm16(tap.pcmBase64);
    const expectA = fromBase64Pcm16(await page.evaluate((n) => window.harness.knownSignalBase64(n, 0), a));
    const expectB = fromBase64Pcm16(await page.evaluate((n) => window.harness.knownSignalBase64(n, 1), b));
    const start = firstNonZero(out);
    const end = lastNonZero(out);
    const rendered = out.subarray(start, end + 1);
    let mismatches = 0;
    for (let i = 0; i < a; i++) if (rendered[i] !== expectA[i]) mismatches++;
    for (let i = 0; i < b; i++) if (rendered[a + i] !== expectB[i]) mismatches++;
    const stats = await page.evaluate(() => window.harness.stats());
    const underruns = (stats?.underruns ?? 0) - before;
    console.log(
      `playback bursts: item-a sent=${a} reported=${(finalA.input as { renderedSamples: number }).renderedSamples}, ` +
        `item-b sent=${b} reported=${(finalB.input as { renderedSamples: number }).renderedSamples}, tapped span=${rendered.length} ` +
        `(expected ${a + b}), sample mismatches=${mismatches}, underruns=${underruns}, ` +
        `first report has firstSampleAt=${typeof (firstA.input as { firstSampleAt?: number }).firstSampleAt === 'number'}`,
    );
    expect((finalA.input as { renderedSamples: number }).renderedSamples).toBe(a);
    expect((finalB.input as { renderedSamples: number }).renderedSamples).toBe(b);
    expect(rendered.length).toBe(a + b);
    expect(mismatches).toBe(0);
    expect(underruns).toBe(0);
    expect(typeof (firstA.input as { firstSampleAt?: number }).firstSampleAt).toBe('number');
  });

  test('audio that arrives late is counted as an underrun and still played in full', async () => {
    const { page } = h;
    const before = (await page.evaluate(() => window.harness.stats()))?.underruns ?? 0;
    // The late chunk is long (500 ms), so the separate end-of-item message cannot arrive after it ran out.
    await page.evaluate(() => window.harness.feedKnownSignal('item-late', [{ samples: 2400, delayMs: 0 }, { samples: 12_000, delayMs: 400 }], 2));
    await page.evaluate(() => window.harness.endOfItem('item-late'));
    const final = await page.evaluate(() => window.harness.waitReport({ itemId: 'item-late', final: true }));
    const after = (await page.evaluate(() => window.harness.stats()))?.underruns ?? 0;
    console.log(`playback late burst: underruns counted=${after - before}, rendered=${(final.input as { renderedSamples: number }).renderedSamples}/14400`);
    expect(after - before).toBe(1);
    expect((final.input as { renderedSamples: number }).renderedSamples).toBe(14_400);
  });

  test('stop during playback: silent from the next quantum, exact count reported, late chunks dropped', async () => {
    const { page } = h;
    await page.evaluate(() => window.harness.armTap());
    const total = 24000 * 5;
    await page.evaluate((n) => window.harness.feedKnownSignal('item-stop', [{ samples: n, delayMs: 0 }], 4), total);
    await page.waitForTimeout(1000);
    const stop = await page.evaluate(() => window.harness.stopPlayback('req-1'));
    const report = await page.evaluate(() => window.harness.waitReport({ requestId: 'req-1' }));
    // A chunk main had already sent before it learned of the stop must not sound.
    await page.evaluate(() => window.harness.feedKnownSignal('item-stop', [{ samples: 4800, delayMs: 0 }], 9));
    await page.waitForTimeout(300);
    const tap = await page.evaluate(() => window.harness.tapped());
    const out = fromBase64Pcm16(tap.pcmBase64);
    const start = firstNonZero(out);
    const end = lastNonZero(out);
    const tappedCount = end - start + 1;
    const expected = fromBase64Pcm16(await page.evaluate((n) => window.harness.knownSignalBase64(n, 4), total));
    let mismatches = 0;
    for (let i = 0; i < tappedCount; i++) if (out[start + i] !== expected[i]) mismatches++;
    const reported = (report.input as { renderedSamples: number; itemId: string }).renderedSamples;
    const lastAudibleFrame = tap.startFrame + end;
    const answerMs = report.at - stop.at;
    console.log(
      `playback stop: reported=${reported} tapped=${tappedCount} (diff ${reported - tappedCount} samples), ` +
        `last audible frame − context frame at the stop call = ${lastAudibleFrame - stop.frame} samples ` +
        `(${(((lastAudibleFrame - stop.frame) / 24000) * 1000).toFixed(1)} ms; the audio thread renders ahead of currentTime), ` +
        `stop → report ${answerMs.toFixed(1)} ms, mismatches before the stop=${mismatches}`,
    );
    expect((report.input as { itemId: string }).itemId).toBe('item-stop');
    expect(Math.abs(reported - tappedCount)).toBeLessThanOrEqual(128);
    expect(mismatches).toBe(0);
    // How fast is the benchmark's to say (test/bench/audio-latency.ts); here only that it answers
    // within a bound no loaded machine reaches while the player works.
    expect(answerMs).toBeLessThan(2000);
  });
});
