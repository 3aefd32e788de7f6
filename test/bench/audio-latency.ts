/**
 * Audio benchmark in real Chromium (run: node test/bench/audio-latency.ts). Prints:
 *  - capture → bridge: from the moment the capture worklet completes a 20 ms frame to the call of
 *    bridge.audio.sendCapture (worklet Date.now() vs page clock, 1 ms resolution);
 *  - main → first rendered sample: from the chunk handed to the renderer by the bridge to the
 *    first sample rendered, as reported in reportPlayback.firstSampleAt (p50/p95 over 40 items);
 *  - stop → silent: from the stop command to the player's answer (it is silent from then on);
 *  - CPU of the renderer process (where the worklets run) and of Chromium's audio service, idle and
 *    while streaming both ways (capture turn + continuous playback), from /proc: only this run's
 *    Chromium (descendants of this process), with a per-thread breakdown; runtimes from schedstat.
 * The bridge here is the in-page fake; Electron's IPC hop to main adds its own (measured by the
 * e2e/electron tiers).
 */
import { availableParallelism, loadavg } from 'node:os';
import { launchChromium } from '../support/browser.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { buildAndServePages } from '../browser/page-server.ts';
import { percentile } from '../browser/signal.ts';
import { chromiumProcesses, cpuOver, threadCpu } from './proc-cpu.lib.ts';
import { series, startRun, writeResults } from './bench-results.lib.ts';

const run = startRun();

const fmt = (xs: number[]): string => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

await ensureFixtures();
const server = await buildAndServePages();
const browser = await launchChromium({ fakeMicWav: fixturePath('speech-60s-44k-stereo.wav') });
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/harness.html`);
  await page.waitForFunction(() => 'harness' in window);
  await page.evaluate(() => window.harness.init({ warmMs: 60_000 }));
  await page.evaluate(() => window.harness.warmUp());
  const procs = chromiumProcesses();

  // Idle (mic warm, nothing streaming).
  await page.waitForTimeout(500);
  const loadStart = loadavg()[0] ?? NaN;
  const [idleRenderer, idleThreads] = await Promise.all([cpuOver(procs.renderer, 6000), threadCpu(procs.renderer, 6000)]);
  // The same with no meter on screen: no level messages outside turns.
  await page.evaluate(() => window.harness.setMeterVisible(false));
  await page.waitForTimeout(300);
  const [hiddenRenderer, hiddenThreads] = await Promise.all([cpuOver(procs.renderer, 6000), threadCpu(procs.renderer, 6000)]);
  await page.evaluate(() => window.harness.setMeterVisible(true));

  // Main → first rendered sample, and stop → silent.
  const firstMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < 40; i++) {
    const item = `bench-${i}`;
    const fed = await page.evaluate((id) => window.harness.feedKnownSignal(id, [{ samples: 2400, delayMs: 0 }], 7), item);
    const first = await page.evaluate((id) => window.harness.waitReport({ itemId: id }), item);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const at = (first.input as { firstSampleAt?: number }).firstSampleAt ?? NaN;
    firstMs.push(at - (origin + (fed.sentAt[0] ?? NaN)));
    await page.waitForTimeout(20);
    const stop = await page.evaluate((id) => window.harness.stopPlayback(`stop-${id}`), item);
    const answered = await page.evaluate((id) => window.harness.waitReport({ requestId: `stop-${id}` }), item);
    stopMs.push(answered.at - stop.at);
    await page.waitForTimeout(30);
  }

  // Streaming both ways: a capture turn plus continuous playback (fed ahead of real time in 100 ms chunks).
  await page.evaluate(() => window.harness.startTurn('bench-turn'));
  const feeding = page.evaluate(async () => {
    // 20 s of audio fed over ~18 s, so the playback runs through the whole measurement window.
    const bursts = Array.from({ length: 200 }, (_, i) => ({ samples: 2400, delayMs: i < 3 ? 0 : 90 }));
    return window.harness.feedKnownSignal('bench-stream', bursts, 3);
  });
  await page.waitForTimeout(1500);
  // One 12 s window for the totals and the per-thread breakdown alike.
  const [streamRenderer, streamAudio, streamThreads] = await Promise.all([
    cpuOver(procs.renderer, 12_000),
    procs.audio.length > 0 ? cpuOver(procs.audio, 12_000) : Promise.resolve(NaN),
    threadCpu([...procs.renderer, ...procs.audio, ...procs.other], 12_000),
  ]);
  const loadEnd = loadavg()[0] ?? NaN;
  await feeding;
  await page.evaluate(() => window.harness.stopTurn('bench-turn'));
  await page.evaluate(() => window.harness.stopPlayback('bench-end'));
  // Nothing to do: the microphone released, the context suspends after idleSuspendMs (3 s).
  await page.evaluate(() => window.harness.release());
  await page.waitForTimeout(4000);
  const suspendedState = (await page.evaluate(() => window.harness.stats()))?.contextState;
  const idleSuspended = await cpuOver(procs.renderer, 4000);
  const stats = await page.evaluate(() => window.harness.stats());
  const hops = stats?.captureHopsMs ?? [];

  console.log('Earshot audio benchmark (Chromium', (await browser.version()), ', headless, fake devices, 24 kHz context)');
  console.log(`capture → bridge (worklet frame complete → sendCapture): ${fmt(hops)}`);
  console.log(`main → first rendered sample (chunk at the bridge → firstSampleAt): ${fmt(firstMs)}   [budget p95 30 ms]`);
  console.log(`stop → silent (stop command → player answered, silent from the next quantum): ${fmt(stopMs)}   [budget p95 15 ms]`);
  console.log(`renderer CPU: idle (mic warm) ${idleRenderer.toFixed(2)} %, streaming both ways ${streamRenderer.toFixed(2)} % of one core   [budget 3 %]`);
  console.log(`renderer CPU with the microphone released and nothing playing (context ${suspendedState}): ${idleSuspended.toFixed(2)} %`);
  console.log(`renderer threads idle, mic warm (pid:name, ≥ 0.5 %): ${idleThreads}`);
  console.log(`renderer CPU idle, mic warm, meter hidden (setMeterVisible(false)): ${hiddenRenderer.toFixed(2)} %; threads: ${hiddenThreads}`);
  console.log(`threads while streaming (pid:name, ≥ 0.5 %): ${streamThreads}`);
  console.log(`processes: renderer ${procs.renderer.join(',')}, audio service ${procs.audio.join(',')}, other ${procs.other.join(',')}`);
  console.log(`Chromium audio service CPU while streaming: ${streamAudio.toFixed(2)} % of one core (not the renderer; for reference)`);
  console.log(`machine: load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} after streaming, ${availableParallelism()} cores`);
  console.log(`frames sent ${stats?.framesSent}, frame gaps ${stats?.frameSeqGaps}, underruns ${stats?.underruns}`);
  const r2 = (v: number): number => Math.round(v * 100) / 100;
  writeResults('audio-latency', run, {
    setup: { chromium: await browser.version(), page: 'test/browser harness: the audio session with an in-page fake bridge (no IPC hop)' },
    captureToBridgeMs: series(hops),
    mainToFirstRenderedSampleMs: { ...series(firstMs), budgetP95: 30 },
    stopToSilentMs: { ...series(stopMs), budgetP95: 15 },
    rendererCpu: { idleMicWarm: r2(idleRenderer), idleMicWarmMeterHidden: r2(hiddenRenderer), streamingBothWays: r2(streamRenderer), released: r2(idleSuspended), budget: 3, unit: '% of one core' },
    audioServiceStreaming: r2(streamAudio),
    frames: { sent: stats?.framesSent ?? null, gaps: stats?.frameSeqGaps ?? null, underruns: stats?.underruns ?? null },
  });
} finally {
  await browser.close();
  await server.close();
}
