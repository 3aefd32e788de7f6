/**
 * A simulated 60-minute session of the COMPOSED core (run: node test/bench/app-soak.ts): startCore()
 * behind the real contract over the in-memory transport, history and cost ledger written to a temp
 * user-data folder, the tool host with a shared folder, against the fake Realtime server in a child
 * process (core-fake-child.lib.ts, no pacing), so this process holds the core and a renderer stand-in
 * only. core-soak.ts does the same for a bare VoiceSession; this one adds what a session of the app
 * also does: history, tools and approvals, barge-ins, reconnects.
 *
 * TURNS turns (default 300) of TURN_S s of speech (slices of speech-60s.wav pushed as 20 ms frames
 * as fast as they go) and a TURN_S s spoken reply = TURNS × 2 × TURN_S s of conversation audio
 * (300 × 12 s = 60 minutes); among them every 5th is interrupted by the next turn's key down while
 * the reply plays (60 barge-ins; the stand-in player says it rendered half of what it got), every
 * 10th asks for a tool (30: read_file and write_file alternately; writes approved by the stand-in),
 * and every 60th starts right after the fake destroyed every socket (5 forced reconnects).
 *
 * Memory (heapUsed, rss, after forced GC; the bench re-runs itself with --expose-gc) after a
 * WARM_UP-turn warm-up, every 50 turns and at the end; DESIGN §6: growth ≤ 10 MB.
 * FAILS (exit 1) if any turn is lost (not ended, or ended with an error), if a barge-in or tool turn
 * did not end as it should, or if the history on disk misses a turn or a final transcript the
 * window showed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { createBridge } from '../../preload/bridge.ts';
import type { Transcript, TurnMetrics } from '../../preload/contract.ts';
import { startCore } from '../../main/core/start-core.ts';
import { makeTestCorePorts } from '../support/core-host.ts';
import { memoryTransportPair } from '../support/memory-transport.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../support/fixtures.ts';
import { budgetLine, mb, sleep, spawnFake } from './core-bench.lib.ts';
import { startRun, writeResults } from './bench-results.lib.ts';
import { rssByMapping } from './proc-memory.lib.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const TURNS = Number(process.env['BENCH_TURNS'] ?? 300);
const TURN_S = 6;
const WARM_UP = 20;
const SAMPLE_EVERY = 50;
const isBarge = (n: number): boolean => n % 5 === 3;
const isTool = (n: number): boolean => n % 10 === 2;
const isReconnect = (n: number): boolean => n % 60 === 31;

const run = startRun();
await ensureFixtures();
const speech = readWavPcm16(fixturePath('speech-60s.wav')).samples;
const slices = Array.from({ length: 10 }, (_, i) => speech.slice(i * TURN_S * 24_000, (i + 1) * TURN_S * 24_000));
const fake = await spawnFake({ speedup: 0, replySeconds: TURN_S, replyOffset: 20 });
const folder = mkdtempSync(join(tmpdir(), 'earshot-soak-files-'));
writeFileSync(join(folder, 'list.txt'), 'milk\neggs\nbread\n');
const test = makeTestCorePorts({
  apiKey: 'sk-test-soak-0f1e2d3c4b5a69788796',
  baseURL: fake.baseURL,
  caPath: fake.caPath,
  settings: { turnMode: 'hold', allowedFolders: [folder], micWarmSeconds: 600 },
});
const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
const bridge = createBridge(renderer);

// ---------- the renderer stand-in: answers the microphone and the player as the real one does ----------
const captureStarts: string[] = [];
const sent = new Map<string, number>();
const received = new Map<string, number>();
/** Final transcripts the window shows (itemId → text), kept to check the history against. */
const shown = new Map<string, { role: string; text: string }>();
const metrics = new Set<string>();
let holdPlayback = false;
let heldItem: string | null = null;
let approvals = 0;
bridge.on.capture((command) => {
  if (command.command === 'start') captureStarts.push(command.turnId);
  if (command.command === 'stop') void bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: sent.get(command.turnId) ?? 0 }).catch(() => undefined);
});
bridge.audio.onPlayback((itemId, pcm) => {
  received.set(itemId, (received.get(itemId) ?? 0) + pcm.byteLength / 2);
  if (holdPlayback) heldItem = itemId;
});
bridge.on.playback((command) => {
  if (command.command === 'end-of-item') {
    if (holdPlayback && command.itemId === heldItem) return; // still "playing": the next key down interrupts it
    void bridge.request.reportPlayback({ itemId: command.itemId, renderedSamples: received.get(command.itemId) ?? 0 }).catch(() => undefined);
    received.delete(command.itemId);
  }
  if (command.command === 'stop') {
    const item = heldItem ?? '';
    const rendered = Math.floor((received.get(item) ?? 0) / 2);
    void bridge.request.reportPlayback({ itemId: item, renderedSamples: rendered, requestId: command.requestId }).catch(() => undefined);
    received.delete(item);
    heldItem = null;
    holdPlayback = false;
  }
});
bridge.on.transcript((t: Transcript) => {
  if (t.final) shown.set(t.itemId, { role: t.role, text: t.text });
});
bridge.on.turnMetrics((m: TurnMetrics) => metrics.add(m.turnId));
bridge.on.approval((a) => {
  approvals++;
  void bridge.request.answerApproval({ id: a.id, decision: 'allow-once' });
});

const core = await startCore(main, test.ports, { isTrustedSender: () => true, approvalTimeoutMs: 20_000 });

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (state ${core.status().state})`);
    await sleep(2);
  }
}

interface Sample {
  label: string;
  turns: number;
  heapUsed: number;
  /** What V8 holds from the system for its heap (live or not). */
  heapTotal: number;
  /** V8's young generation capacity (it grows under a high allocation rate, like this unpaced run's). */
  newSpace: number;
  rss: number;
  external: number;
  /** rss of glibc's main malloc arena, and of anonymous mappings under 1 MB (V8 pages, stacks). */
  mallocRss: number;
  smallAnonRss: number;
}
async function sample(label: string, turns: number): Promise<Sample> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await tick();
  }
  const m = process.memoryUsage();
  return { label, turns, heapUsed: m.heapUsed, heapTotal: m.heapTotal, newSpace: getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0, rss: m.rss, external: m.external, ...rssByMapping() };
}

const samples: Sample[] = [];
const problems: string[] = [];
const expected = new Map<string, 'completed' | 'interrupted'>();
let pressed = false;
let reconnects = 0;
let toolTurns = 0;
let barges = 0;
const started = performance.now();
try {
  for (let n = 0; n < TURNS; n++) {
    if (isReconnect(n)) {
      if (pressed) throw new Error('a reconnect turn must not follow a barge-in');
      await fake.command({ cmd: 'dropNow' });
      reconnects++;
      await sleep(50);
    }
    if (isTool(n)) {
      toolTurns++;
      const write = toolTurns % 2 === 0;
      await fake.command(
        write
          ? { cmd: 'tool', name: 'write_file', arguments: { path: join(folder, `note-${n}.txt`), content: `note ${n}` } }
          : { cmd: 'tool', name: 'read_file', arguments: { path: join(folder, 'list.txt') } },
      );
    }
    if (!pressed) core.hotkeyDown();
    pressed = false;
    const turnId = captureStarts.at(-1);
    if (!turnId) throw new Error('the microphone did not start');
    const pcm = slices[n % slices.length] ?? new Int16Array(0);
    for (let i = 0; i < pcm.length; i += 480) {
      const frame = pcm.slice(i, i + 480);
      sent.set(turnId, (sent.get(turnId) ?? 0) + frame.length);
      bridge.audio.sendCapture(turnId, frame.buffer);
    }
    sent.delete(turnId);
    const barge = isBarge(n) && !isTool(n) && n < TURNS - 1 && !isReconnect(n + 1);
    holdPlayback = barge;
    core.hotkeyUp();
    expected.set(turnId, barge ? 'interrupted' : 'completed');
    if (barge) {
      barges++;
      await until(() => core.status().state === 'speaking' && heldItem !== null, `turn ${n} to speak`);
      await until(() => (received.get(heldItem ?? '') ?? 0) >= TURN_S * 24_000, `turn ${n}'s reply audio`);
      core.hotkeyDown(); // barge in: the next turn starts
      pressed = true;
      await until(() => metrics.has(turnId), `turn ${n} to end after the barge-in`);
    } else {
      await until(() => metrics.has(turnId) && core.status().state === 'idle', `turn ${n} to end`);
    }
    if (n + 1 === WARM_UP) samples.push(await sample(`after warm-up (${WARM_UP} turns)`, n + 1));
    else if (n + 1 > WARM_UP && ((n + 1) % SAMPLE_EVERY === 0 || n + 1 === TURNS)) samples.push(await sample(`${(((n + 1) * 2 * TURN_S) / 60).toFixed(0)} simulated min (${n + 1} turns)`, n + 1));
  }
} catch (error) {
  problems.push(`the session stopped: ${error instanceof Error ? error.message : String(error)}`);
}
const wall = (performance.now() - started) / 1000;

// ---------- nothing lost ----------
const log = core.session.turnLog();
const outcomes = new Map(log.map((r) => [r.turnId, r.outcome] as const));
for (const [turnId, want] of expected) {
  const got = outcomes.get(turnId);
  if (got !== want) problems.push(`turn ${turnId}: ${got ?? 'never ended'}, expected ${want}`);
}
if (expected.size !== TURNS) problems.push(`${expected.size} turns asked of ${TURNS}`);
await bridge.request.listConversations({}); // waits for every pending history append
const historyDir = join(test.userDataDir, 'history');
const records: Array<Record<string, unknown>> = [];
let damaged = 0;
for (const name of readdirSync(historyDir).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of readFileSync(join(historyDir, name), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      damaged++;
    }
  }
}
const onDisk = new Map<string, string>();
for (const r of records) if (r['type'] === 'transcript') onDisk.set(String(r['itemId']), String(r['text']));
const turnsOnDisk = new Set(records.filter((r) => r['type'] === 'turn').map((r) => (r['metrics'] as { turnId?: string } | undefined)?.turnId));
let missingTranscripts = 0;
for (const [itemId, t] of shown) {
  if (onDisk.get(itemId) !== t.text) {
    missingTranscripts++;
    if (missingTranscripts <= 5) problems.push(`history misses the ${t.role} transcript ${itemId} "${t.text.slice(0, 40)}"`);
  }
}
let missingTurns = 0;
for (const turnId of metrics) if (!turnsOnDisk.has(turnId)) missingTurns++;
if (missingTranscripts > 0) problems.push(`${missingTranscripts} final transcripts shown but not in the history`);
if (missingTurns > 0) problems.push(`${missingTurns} turns with metrics but no history record`);
if (damaged > 0) problems.push(`${damaged} damaged history lines`);
const userShown = [...shown.values()].filter((t) => t.role === 'user').length;
if (userShown < TURNS) problems.push(`${userShown} user transcripts shown for ${TURNS} turns`);

await core.dispose();
await fake.close();
rmSync(test.userDataDir, { recursive: true, force: true });
rmSync(folder, { recursive: true, force: true });

// ---------- figures ----------
console.log(
  `app-soak: ${TURNS} turns × (${TURN_S} s speech + ${TURN_S} s reply) = ${((TURNS * 2 * TURN_S) / 60).toFixed(0)} min of conversation in ${wall.toFixed(1)} s; ` +
    `${barges} barge-ins, ${toolTurns} tool calls (${approvals} approvals), ${reconnects} forced reconnects; composed core, history on disk`,
);
console.log(`history: ${records.length} records, ${turnsOnDisk.size} turn records, ${onDisk.size} transcripts; window showed ${shown.size} final transcripts, ${metrics.size} turns`);
console.log(`${'sample'.padEnd(34)} ${['heapUsed', 'heapTotal', 'new space', 'external', 'rss', 'rss:malloc', 'rss:anon<1M'].map((c) => c.padStart(11)).join(' ')}`);
for (const s of samples) console.log(`${s.label.padEnd(34)} ${[s.heapUsed, s.heapTotal, s.newSpace, s.external, s.rss, s.mallocRss, s.smallAnonRss].map((v) => mb(v).padStart(11)).join(' ')}`);
const first = samples[0];
const last = samples.at(-1);
const limit = 10 * 1024 * 1024;
const toMB = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 100) / 100;
const heapGrowth = first && last ? last.heapUsed - first.heapUsed : NaN;
const rssGrowth = first && last ? last.rss - first.rss : NaN;
console.log(budgetLine('heapUsed growth after warm-up (after GC)', mb(heapGrowth), heapGrowth <= limit, '≤ 10 MB'));
console.log(budgetLine('rss growth after warm-up (after GC)', mb(rssGrowth), rssGrowth <= limit, '≤ 10 MB'));
if (first && last) {
  console.log(
    budgetLine('  of which', `malloc main arena ${mb(last.mallocRss - first.mallocRss)}, small anonymous mappings (V8 pages, stacks) ${mb(last.smallAnonRss - first.smallAnonRss)}`, null, ''),
  );
}
// As core-soak.ts found, the first ~20 simulated minutes include one-time settling (V8's young
// generation, malloc's working set): growth from there on, per hour, is what the session keeps.
const settled = samples.find((s) => s.turns >= 100);
const settledMin = settled && last ? ((last.turns - settled.turns) * 2 * TURN_S) / 60 : 0;
const perHour = (bytes: number): number => (bytes * 60) / settledMin;
if (settled && last && settled !== last) {
  console.log(budgetLine(`heapUsed growth after ${settled.label} (${settledMin} min)`, `${mb(last.heapUsed - settled.heapUsed)} = ${mb(perHour(last.heapUsed - settled.heapUsed))} per hour`, perHour(last.heapUsed - settled.heapUsed) <= limit, '≤ 10 MB/h'));
  console.log(budgetLine(`rss growth after ${settled.label} (${settledMin} min)`, `${mb(last.rss - settled.rss)} = ${mb(perHour(last.rss - settled.rss))} per hour`, perHour(last.rss - settled.rss) <= limit, '≤ 10 MB/h'));
}
console.log(problems.length === 0 ? 'app-soak: nothing lost: every turn ended as expected, every turn and final transcript is in the history' : `app-soak: FAILED:`);
for (const p of problems) console.log(`  ${p}`);
writeResults(
  'app-soak',
  run,
  {
    setup: { turns: TURNS, turnSeconds: TURN_S, simulatedMinutes: (TURNS * 2 * TURN_S) / 60, warmUpTurns: WARM_UP, bargeIns: barges, toolCalls: toolTurns, approvals, forcedReconnects: reconnects, wallSeconds: Math.round(wall * 10) / 10 },
    samples: samples.map((s) => ({ label: s.label, heapUsedMB: toMB(s.heapUsed), heapTotalMB: toMB(s.heapTotal), newSpaceMB: toMB(s.newSpace), externalMB: toMB(s.external), rssMB: toMB(s.rss), mallocRssMB: toMB(s.mallocRss), smallAnonRssMB: toMB(s.smallAnonRss) })),
    heapUsedGrowthMB: toMB(heapGrowth),
    rssGrowthMB: toMB(rssGrowth),
    budgetMB: 10,
    settledFrom: settled?.label ?? null,
    heapUsedGrowthPerHourAfterSettlingMB: settled && last && settled !== last ? toMB(perHour(last.heapUsed - settled.heapUsed)) : null,
    rssGrowthPerHourAfterSettlingMB: settled && last && settled !== last ? toMB(perHour(last.rss - settled.rss)) : null,
    history: { records: records.length, turnRecords: turnsOnDisk.size, transcripts: onDisk.size, shownFinalTranscripts: shown.size, missingTranscripts, missingTurns, damaged },
    nothingLost: problems.length === 0,
  },
  problems,
);
if (problems.length > 0) process.exitCode = 1;
