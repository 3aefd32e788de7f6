/**
 * End-to-end latency and truncation, side by side (run: node test/bench/e2e-latency.ts).
 *
 * The e2e setup (e2e-rig.lib.ts): the BUILT renderer in Chromium with its fake microphone, the real
 * main core in this process, the fake Realtime server in this process with a FIXED model delay
 * (MODEL_DELAY_MS between the response's content part and its first audio delta) streaming the
 * reply in 100 ms deltas SPEEDUP× faster than real time (bursts ahead of the player, as the service
 * does). One clock: the fake's records, the key presses and the page's times mapped onto this process
 * (see the rig for how, and the RTT printed below for how well).
 *
 * Per turn (WARM_UP + TURNS, the first WARM_UP not counted): key down, ~500 ms of microphone audio at
 * the server, key up, then a barge-in 250–1250 ms into the reply, which is also the next turn's key
 * down (interrupt, then ask, as a person does):
 *  - key up → input_audio_buffer.commit / response.create RECEIVED by the fake (server side);
 *  - first audio delta SENT by the fake → first sample rendered (the player worklet's `first`
 *    report as the page gets it, i.e. reportPlayback.firstSampleAt; and the output tap's quantum);
 *  - key up → first sample rendered − MODEL_DELAY_MS: what the app adds to what the user waits
 *    (it still includes the fake's own TLS hops, which a real network replaces with its own);
 *  - key down (barge-in) → output silent: the first silent quantum at the output tap;
 *  - key down → conversation.item.truncate received by the fake;
 *  - truncation error, on the same barge-ins: our audio_end_ms, and the wall-clock heuristic several
 *    peer SDKs use — ms since the first audio delta was received, capped at the audio received
 *    (openai-agents-js `OpenAIRealtimeWebSocket._interrupt`: `elapsedTime = Date.now() -
 *    this._firstAudioTimestamp`, `Math.max(0, Math.min(Math.floor(elapsedTime), this._audioLengthMs))`)
 *    — each minus the audio actually rendered, counted at the output tap.
 * DESIGN §6 budgets (p95): 25 ms, 30 ms, 15 ms, 25 ms, ±10 ms.
 */
import { randomInt } from 'node:crypto';
import { appendedMs, e2eMissingReason, fakeAt, nodeNow, startE2eRig, waitFor, type ClockMap, type PageRecords, type TapEvent } from './e2e-rig.lib.ts';
import { installWireProbe, latencyLine, budgetLine, sleep } from './core-bench.lib.ts';
import { series, startRun, writeResults } from './bench-results.lib.ts';

const TURNS = Number(process.env['BENCH_TURNS'] ?? 50);
const WARM_UP = 3;
const MODEL_DELAY_MS = 300;
const SPEEDUP = 6;
const DELTA_MS = 100;
const REPLY_S = 6;

const missing = e2eMissingReason();
if (missing) {
  console.log(`skipped: e2e-latency: ${missing}`);
  process.exit(0);
}

const run = startRun();
// A 3 kHz tone with a π/8 phase: at 24 kHz no sample is nearer zero than 0.38 of the amplitude, so
// the tap counts every rendered sample of the reply and nothing else.
const reply = new Int16Array(24_000 * REPLY_S).map((_, i) => Math.round(Math.sin((2 * Math.PI * 3000 * i) / 24_000 + Math.PI / 8) * 8000));

// The client side of the socket: when main READ each audio delta (the heuristic's clock starts there).
const probe = installWireProbe();
let deltasIn: number[] = [];
probe.onMessage = (e) => {
  if (e.type === 'response.output_audio.delta') deltasIn.push(fakeAt(e.at));
};

const rig = await startE2eRig({
  fake: { speedup: SPEEDUP, deltaMs: DELTA_MS, modelDelayMs: MODEL_DELAY_MS },
  settings: { micWarmSeconds: 60 },
});
rig.fake.setReply({ samples: reply, transcript: 'A reply long enough to be interrupted somewhere in the middle of it.' });

const upToCommit: number[] = [];
const upToCreate: number[] = [];
const deltaToFirst: number[] = [];
const deltaToTapStart: number[] = [];
const upToFirstMinusModel: number[] = [];
const downToSilent: number[] = [];
const downToStopped: number[] = [];
const downToTruncate: number[] = [];
const oursErr: number[] = [];
const heurErr: number[] = [];
const heurCapped: boolean[] = [];
const problems: string[] = [];
const startClock = await rig.clock();

const newRecord = <R extends { at: number; event: { type: string } }>(list: readonly R[], from: number, type: string): R | undefined =>
  list.slice(from).find((r) => r.event.type === type);
const tapAfter = (recs: PageRecords, type: TapEvent['type'], afterNode: number): TapEvent | undefined =>
  recs.tap.find((t) => t.type === type && rig.fromPageDate(t.at) > afterNode);

const started = performance.now();
let endClock: ClockMap | null;
let appends0 = 0;
try {
  await rig.page.waitForFunction(() => (window as unknown as { __benchTapReady?: boolean }).__benchTapReady === true, undefined, { timeout: 10_000 });
  for (let i = 0; i < WARM_UP + TURNS; i++) {
    const measured = i >= WARM_UP;
    // The key is down: the first turn presses it here, every other turn was pressed as the previous
    // turn's barge-in (interrupt, then ask the next question, as a person does).
    if (i === 0) {
      appends0 = rig.fake.events('input_audio_buffer.append').length;
      rig.host.core.hotkeyDown();
    }
    await waitFor(() => (appendedMs(rig.fake, appends0) >= 500 ? true : undefined), 'microphone audio at the server', 15_000, 10);
    const r0 = rig.fake.received.length;
    const s0 = rig.fake.sent.length;
    deltasIn = [];
    const up = nodeNow();
    rig.host.core.hotkeyUp();
    const create = await waitFor(() => newRecord(rig.fake.received, r0, 'response.create'), 'response.create at the server', 10_000);
    const commit = newRecord(rig.fake.received, r0, 'input_audio_buffer.commit');
    const delta = await waitFor(() => newRecord(rig.fake.sent, s0, 'response.output_audio.delta'), 'the first audio delta', 10_000);
    const itemId = String(delta.event['item_id']);
    const recs1 = await waitFor(
      async () => {
        const r = await rig.records();
        return r.firsts.some((f) => f.itemId === itemId) && tapAfter(r, 'start', up) ? r : undefined;
      },
      'the first rendered sample',
      10_000,
      10,
    );
    const first = recs1.firsts.find((f) => f.itemId === itemId);
    const tapStart = tapAfter(recs1, 'start', up);
    if (!first || !tapStart || commit === undefined) throw new Error('first sample / commit not recorded');
    const firstAt = rig.fromPagePerf(first.pageAt);
    if (measured) {
      upToCommit.push(fakeAt(commit.at) - up);
      upToCreate.push(fakeAt(create.at) - up);
      deltaToFirst.push(firstAt - fakeAt(delta.at));
      deltaToTapStart.push(rig.fromPageDate(tapStart.at) - fakeAt(delta.at));
      upToFirstMinusModel.push(firstAt - up - MODEL_DELAY_MS);
    }

    // Barge-in somewhere in the reply, while it still streams or after it has all arrived.
    await sleep(randomInt(250, 1250));
    if (rig.state() !== 'speaking') problems.push(`turn ${i}: state ${rig.state()} at the barge-in, expected speaking`);
    const r1 = rig.fake.received.length;
    appends0 = rig.fake.events('input_audio_buffer.append').length;
    const down = nodeNow();
    rig.host.core.hotkeyDown();
    // The peers' heuristic, computed at the same moment from what main had read by then.
    const firstIn = deltasIn[0];
    const receivedMs = deltasIn.filter((t) => t <= down).length * DELTA_MS;
    const elapsed = firstIn === undefined ? 0 : Math.floor(down - firstIn);
    const heuristic = Math.max(0, Math.min(elapsed, receivedMs));
    const truncate = await waitFor(() => newRecord(rig.fake.received, r1, 'conversation.item.truncate'), 'truncate at the server', 5000);
    const recs2 = await waitFor(
      async () => {
        const r = await rig.records();
        return tapAfter(r, 'end', up) && r.stopped.some((s) => rig.fromPagePerf(s.pageAt) > down) ? r : undefined;
      },
      'the output to fall silent',
      5000,
      10,
    );
    const end = tapAfter(recs2, 'end', up);
    const stopped = recs2.stopped.find((s) => rig.fromPagePerf(s.pageAt) > down);
    if (!end || end.count === undefined || !stopped) throw new Error('tap end / stopped not recorded');
    const renderedMs = end.count / 24;
    const audioEnd = Number(truncate.event['audio_end_ms']);
    if (truncate.event['item_id'] !== itemId) problems.push(`turn ${i}: truncate named ${String(truncate.event['item_id'])}, playing ${itemId}`);
    if (measured) {
      downToTruncate.push(fakeAt(truncate.at) - down);
      downToSilent.push(rig.fromPageDate(end.at) - down);
      downToStopped.push(rig.fromPagePerf(stopped.pageAt) - down);
      oursErr.push(audioEnd - renderedMs);
      heurErr.push(heuristic - renderedMs);
      heurCapped.push(elapsed > receivedMs);
    }
  }
  rig.host.core.hotkeyUp(); // the last barge-in's capture: too short, cleared
} finally {
  endClock = await rig.clock().catch(() => null);
  await rig.close();
}

const abs = (xs: number[]): number[] => xs.map(Math.abs);
console.log(`e2e-latency: Chromium ${rig.chromiumVersion}, built renderer, core in Node, fake Realtime with a fixed ${MODEL_DELAY_MS} ms model delay, audio ${SPEEDUP}× real time in ${DELTA_MS} ms deltas`);
console.log(`e2e-latency: ${TURNS} turns (+${WARM_UP} warm-up), each with a barge-in, ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`clock map page → node: round trip ${startClock.rtt.toFixed(2)} ms at the start, ${endClock?.rtt.toFixed(2) ?? '?'} ms at the end; offset drift ${endClock ? (endClock.dateOffset - startClock.dateOffset).toFixed(2) : '?'} ms`);
console.log(latencyLine('key up → input_audio_buffer.commit at the server', upToCommit));
console.log(latencyLine('key up → response.create at the server', upToCreate, 25));
console.log(latencyLine('first delta sent → first sample rendered (player report)', deltaToFirst, 30));
console.log(latencyLine('first delta sent → first sample rendered (output tap)', deltaToTapStart));
console.log(latencyLine(`key up → first sample rendered − ${MODEL_DELAY_MS} ms model delay`, upToFirstMinusModel));
console.log(latencyLine('key down (barge-in) → output silent (output tap)', downToSilent, 15));
console.log(latencyLine('key down (barge-in) → player says stopped (page)', downToStopped));
console.log(latencyLine('key down (barge-in) → truncate at the server', downToTruncate, 25));
const oursMax = Math.max(...abs(oursErr));
const heurMax = Math.max(...abs(heurErr));
console.log(budgetLine('truncation error, ours: audio_end_ms − rendered (tap)', `min ${Math.min(...oursErr).toFixed(1)}, max ${Math.max(...oursErr).toFixed(1)}, |p95| ${series(abs(oursErr)).p95.toFixed(1)} ms`, oursMax <= 10, '±10 ms'));
console.log(budgetLine('truncation error, peers\' wall-clock heuristic', `min ${Math.min(...heurErr).toFixed(1)}, max ${Math.max(...heurErr).toFixed(1)}, |p95| ${series(abs(heurErr)).p95.toFixed(1)} ms (capped at audio received in ${heurCapped.filter(Boolean).length} of ${heurCapped.length})`, heurMax <= 10, '±10 ms'));
for (const p of problems) console.log(`  note: ${p}`);

writeResults(
  'e2e-latency',
  run,
  {
    setup: { chromium: rig.chromiumVersion, turns: TURNS, warmUp: WARM_UP, modelDelayMs: MODEL_DELAY_MS, speedup: SPEEDUP, deltaMs: DELTA_MS, replySeconds: REPLY_S },
    clock: { rttMsStart: startClock.rtt, rttMsEnd: endClock?.rtt ?? null, offsetDriftMs: endClock ? endClock.dateOffset - startClock.dateOffset : null },
    keyUpToCommitAtServerMs: series(upToCommit),
    keyUpToResponseCreateAtServerMs: { ...series(upToCreate), budgetP95: 25 },
    firstDeltaSentToFirstSampleRenderedMs: { ...series(deltaToFirst), budgetP95: 30, by: 'player worklet report (reportPlayback.firstSampleAt)' },
    firstDeltaSentToFirstSampleAtOutputTapMs: series(deltaToTapStart),
    keyUpToFirstSampleMinusModelDelayMs: series(upToFirstMinusModel),
    keyDownToOutputSilentMs: { ...series(downToSilent), budgetP95: 15, by: 'output tap: first silent quantum' },
    keyDownToPlayerStoppedMs: series(downToStopped),
    keyDownToTruncateAtServerMs: { ...series(downToTruncate), budgetP95: 25 },
    truncationErrorOursMs: { ...series(oursErr), absP95: series(abs(oursErr)).p95, budget: '±10', values: oursErr.map((v) => Math.round(v * 10) / 10) },
    truncationErrorWallClockHeuristicMs: {
      ...series(heurErr),
      absP95: series(abs(heurErr)).p95,
      cappedAtReceived: heurCapped.filter(Boolean).length,
      values: heurErr.map((v) => Math.round(v * 10) / 10),
    },
  },
  problems,
);
if (problems.length > 0) process.exitCode = 1;
