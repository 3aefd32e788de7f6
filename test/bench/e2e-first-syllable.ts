/**
 * First syllable (run: node test/bench/e2e-first-syllable.ts): speech that starts exactly at key
 * down, with the microphone cold (released, the audio context suspended) and warm (kept open after the
 * previous turn). The e2e setup of e2e-rig.lib.ts: the built renderer in Chromium with its fake
 * microphone (a speech file, real time), the real core in this process, the fake Realtime server.
 *
 * Per turn: key down (this process's clock), hold HOLD_MS, key up, a short reply, idle. Measured:
 *  - key down → first captured sample: the worklet stamps each 20 ms frame with Date.now() when it
 *    completes; the turn's first frame minus its own length is when its first sample was captured
 *    (±one render burst, ~10 ms here; the device's own input latency is not visible and not counted).
 *    Speech that starts at key down loses exactly this much (0 if negative);
 *  - key down → first captured audio RECEIVED by the fake (input_audio_buffer.append): when the
 *    first syllable that was kept reaches the model;
 *  - samples the worklet posted for the turn vs samples the fake received before the commit: anything
 *    lost between the page and the model (must be 0).
 * Cold turns wait COLD_WAIT_MS after the previous turn (micWarmSeconds 0: the microphone is released
 * at once; the context suspends after 3 s idle). Warm turns follow each other with micWarmSeconds 60.
 */
import { e2eMissingReason, fakeAt, nodeNow, startE2eRig, waitFor } from './e2e-rig.lib.ts';
import { latencyLine, sleep } from './core-bench.lib.ts';
import { series, startRun, writeResults } from './bench-results.lib.ts';

const TURNS = Number(process.env['BENCH_TURNS'] ?? 10);
const HOLD_MS = 800;
const COLD_WAIT_MS = 4000;

const missing = e2eMissingReason();
if (missing) {
  console.log(`skipped: e2e-first-syllable: ${missing}`);
  process.exit(0);
}

const run = startRun();
const rig = await startE2eRig({ fake: { speedup: 8 }, settings: { micWarmSeconds: 0 } });
rig.fake.setReply({ samples: new Int16Array(24_000 * 0.3).fill(1000), transcript: 'Yes.' });

interface Phase {
  toFirstSample: number[];
  toServer: number[];
  lostSamples: number[];
}
const phases: Record<'cold' | 'warm', Phase> = {
  cold: { toFirstSample: [], toServer: [], lostSamples: [] },
  warm: { toFirstSample: [], toServer: [], lostSamples: [] },
};
const problems: string[] = [];
const clockStart = await rig.clock();

async function turn(kind: 'cold' | 'warm', measured: boolean): Promise<void> {
  await waitFor(() => (rig.state() === 'idle' ? true : undefined), 'idle', 20_000);
  if (kind === 'cold') await sleep(COLD_WAIT_MS);
  const r0 = rig.fake.received.length;
  const down = nodeNow();
  rig.host.core.hotkeyDown();
  await sleep(HOLD_MS);
  rig.host.core.hotkeyUp();
  const commit = await waitFor(() => rig.fake.received.slice(r0).find((r) => r.event.type === 'input_audio_buffer.commit'), 'commit', 10_000);
  const recs = await rig.records();
  const frame = recs.firstFrames.find((f) => rig.fromPageDate(f.at) > down);
  if (!frame) {
    problems.push(`${kind} turn: no capture frame after key down`);
    return;
  }
  const appends = rig.fake.received.slice(r0).filter((r) => r.event.type === 'input_audio_buffer.append' && r.at <= commit.at);
  const firstAppend = appends[0];
  const atServer = appends.reduce((n, r) => n + Buffer.from(String(r.event['audio']), 'base64').length / 2, 0);
  const posted = recs.frameSamples[frame.turnId] ?? 0;
  if (measured) {
    phases[kind].toFirstSample.push(rig.fromPageDate(frame.at) - frame.samples / 24 - down);
    if (firstAppend) phases[kind].toServer.push(fakeAt(firstAppend.at) - down);
    phases[kind].lostSamples.push(posted - atServer);
  }
  await waitFor(() => (rig.state() === 'idle' ? true : undefined), 'idle after the reply', 20_000);
}

const started = performance.now();
try {
  await turn('cold', false); // warm-up: the first getUserMedia of the browser, JIT
  for (let i = 0; i < TURNS; i++) await turn('cold', true);
  rig.host.core.settings.update({ micWarmSeconds: 60 });
  await turn('warm', false); // opens the microphone; it stays open from here
  for (let i = 0; i < TURNS; i++) await turn('warm', true);
} finally {
  await rig.close();
}

const lostMs = (p: Phase): number[] => p.toFirstSample.map((v) => Math.max(0, v));
console.log(`e2e-first-syllable: Chromium ${rig.chromiumVersion}, fake microphone (speech file, real time), ${TURNS} cold + ${TURNS} warm turns, ${((performance.now() - started) / 1000).toFixed(1)} s; clock round trip ${clockStart.rtt.toFixed(2)} ms`);
for (const kind of ['cold', 'warm'] as const) {
  const p = phases[kind];
  console.log(latencyLine(`${kind}: key down → first captured sample`, p.toFirstSample));
  console.log(latencyLine(`${kind}: speech lost at the start (speech from key down)`, lostMs(p)));
  console.log(latencyLine(`${kind}: key down → first captured audio at the fake`, p.toServer));
  console.log(`${kind}: samples posted by the worklet but not received by the fake before the commit: ${p.lostSamples.join(', ')}`);
  if (p.lostSamples.some((n) => n !== 0)) problems.push(`${kind}: captured samples lost between the page and the model: ${p.lostSamples.join(', ')}`);
}
for (const p of problems) console.log(`  note: ${p}`);

const fig = (p: Phase): Record<string, unknown> => ({
  keyDownToFirstCapturedSampleMs: series(p.toFirstSample),
  speechLostAtStartMs: series(lostMs(p)),
  keyDownToFirstAudioAtServerMs: series(p.toServer),
  samplesLostBetweenPageAndServer: p.lostSamples,
});
writeResults(
  'e2e-first-syllable',
  run,
  {
    setup: { chromium: rig.chromiumVersion, turnsEach: TURNS, holdMs: HOLD_MS, coldWaitMs: COLD_WAIT_MS, clockRttMs: clockStart.rtt },
    cold: fig(phases.cold),
    warm: fig(phases.warm),
    method:
      'first captured sample = the turn\'s first 20 ms frame completion (worklet Date.now()) minus 20 ms, mapped to the core\'s clock; speech lost = max(0, that − key down); the device\'s own input latency is not included',
  },
  problems,
);
if (problems.length > 0) process.exitCode = 1;
