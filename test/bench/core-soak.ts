/**
 * Main-process memory over a simulated 60-minute session (run: node test/bench/core-soak.ts).
 *
 * ONE VoiceSession, TURNS push-to-talk turns of 15 s of user speech + a 15 s spoken reply (default 120
 * turns = 60 minutes of conversation audio), over TLS to the fake Realtime server in a child process
 * with no pacing (speedup 0); capture is pushed as fast as possible. The session renews its Realtime
 * session every RENEW_MS of wall time (default 20 s), so renewals and context replays are part of it.
 * With --expose-gc (the bench re-runs itself with it when missing), GC is forced before each sample of
 * heapUsed / rss / external: after a warm-up turn, every 10 simulated minutes, and at the end.
 * DESIGN §6: growth ≤ 10 MB.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../support/fixtures.ts';
import { benchSession, budgetLine, installWireProbe, mb, spawnFake } from './core-bench.lib.ts';
import { startRun, writeResults } from './bench-results.lib.ts';
import { rssByMapping } from './proc-memory.lib.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const run = startRun();
const TURNS = Number(process.env['BENCH_TURNS'] ?? 120);
const TURN_S = 15;
const RENEW_MS = Number(process.env['BENCH_RENEW_MS'] ?? 20_000);
const SAMPLE_EVERY = Math.max(1, Math.round((10 * 60) / (2 * TURN_S))); // turns per 10 simulated minutes

interface Sample {
  label: string;
  heapUsed: number;
  heapTotal: number;
  newSpace: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** rss of glibc's main malloc arena ([heap] in smaps). */
  mallocRss: number;
  /** rss of anonymous mappings under 1 MB (V8 heap pages are 256 KB mappings; also stacks). */
  smallAnonRss: number;
}

async function sample(label: string): Promise<Sample> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await tick();
  }
  const m = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0;
  return { label, heapUsed: m.heapUsed, heapTotal: m.heapTotal, newSpace, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, ...rssByMapping() };
}

const probe = installWireProbe();
let sessionUpdates = 0;
probe.onSend = (e) => {
  if (e.type === 'session.update') sessionUpdates++;
};

await ensureFixtures();
const speech = readWavPcm16(fixturePath('speech-60s.wav')).samples;
const slices = Array.from({ length: 4 }, (_, i) => speech.subarray(i * TURN_S * 24_000, (i + 1) * TURN_S * 24_000));
console.log(`core-soak: load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const fake = await spawnFake({ speedup: 0, replySeconds: TURN_S, replyOffset: 45 });
const b = benchSession(fake, { renewAfterMs: RENEW_MS });

const samples: Sample[] = [];
let peakHeap = 0;
const problems: string[] = [];
const started = performance.now();
let cpuStart: NodeJS.CpuUsage | undefined;
let wallStart: number | undefined;
let renewedBefore: number | undefined;

async function turn(n: number): Promise<void> {
  b.session.hotkeyDown();
  const id = b.currentTurn();
  if (n === 0) await b.waitState('listening', 15_000);
  await b.push(id, slices[n % slices.length] ?? new Int16Array(0), false);
  b.session.hotkeyUp();
  const record = await b.waitTurn(id, 60_000);
  if (record.outcome !== 'completed') problems.push(`turn ${n}: ${record.outcome} ${record.error ?? ''}`);
  const heap = process.memoryUsage().heapUsed;
  if (heap > peakHeap) peakHeap = heap;
}

try {
  await turn(0); // warm-up: connection, JIT
  await turn(1);
  samples.push(await sample('start (after warm-up)'));
  renewedBefore = sessionUpdates;
  cpuStart = process.cpuUsage();
  wallStart = performance.now();
  for (let n = 1; n <= TURNS; n++) {
    await turn(n + 1);
    if (n % SAMPLE_EVERY === 0 || n === TURNS) samples.push(await sample(`${((n * 2 * TURN_S) / 60).toFixed(0)} simulated min (${n} turns)`));
  }
} finally {
  await b.session.dispose();
  await fake.close();
}
const cpu = process.cpuUsage(cpuStart);
const wall = performance.now() - (wallStart ?? started);

const first = samples[0];
const last = samples.at(-1);
if (!first || !last) throw new Error('no samples');
console.log(
  `core-soak: ${TURNS} turns × (${TURN_S} s user + ${TURN_S} s reply) = ${((TURNS * 2 * TURN_S) / 60).toFixed(0)} min of conversation audio in ONE session, ` +
    `${(wall / 1000).toFixed(1)} s wall (${((performance.now() - started) / 1000).toFixed(1)} s with warm-up), ${sessionUpdates - (renewedBefore ?? 0)} session renewals, ` +
    `${((cpu.user + cpu.system) / 1000 / ((TURNS * 2 * TURN_S) / 60)).toFixed(0)} ms CPU per conversation minute`,
);
const cols = ['heapUsed', 'heapTotal', 'new space', 'external', 'arrayBuf', 'rss', 'rss:malloc', 'rss:anon<1M'];
console.log(`${'sample'.padEnd(34)} ${cols.map((c) => c.padStart(10)).join(' ')}`);
for (const s of samples) {
  const values = [s.heapUsed, s.heapTotal, s.newSpace, s.external, s.arrayBuffers, s.rss, s.mallocRss, s.smallAnonRss];
  console.log(`${s.label.padEnd(34)} ${values.map((v) => mb(v).padStart(10)).join(' ')}`);
}
const heapGrowth = last.heapUsed - first.heapUsed;
const rssGrowth = last.rss - first.rss;
const limit = 10 * 1024 * 1024;
console.log(budgetLine('heapUsed growth (start → end, after GC)', `${mb(heapGrowth)} (peak between turns ${mb(peakHeap)})`, heapGrowth <= limit, '≤ 10 MB'));
console.log(budgetLine('rss growth (start → end, after GC)', mb(rssGrowth), rssGrowth <= limit, '≤ 10 MB'));
console.log(
  budgetLine(
    '  of which',
    `malloc main arena ${mb(last.mallocRss - first.mallocRss)}, small anonymous mappings (V8 pages) ${mb(last.smallAnonRss - first.smallAnonRss)}, young generation capacity ${mb(first.newSpace)} → ${mb(last.newSpace)}`,
    null,
    '',
  ),
);
// The first 20 minutes include one-time settling: V8 grows the young generation under the unpaced
// allocation rate (new space column), flushes warm-up bytecode (the heap drops), and malloc reaches its
// working set. After that, growth is what the session keeps per turn.
const settledAt = samples.length > 3 ? 2 : 1;
const settled = samples[settledAt];
if (settled && settled !== last) {
  const minutes = ((TURNS - settledAt * SAMPLE_EVERY) * 2 * TURN_S) / 60;
  const turns = TURNS - settledAt * SAMPLE_EVERY;
  const perHour = (v: number): number => (v * 60) / minutes;
  const h = last.heapUsed - settled.heapUsed;
  const r = last.rss - settled.rss;
  const label = `after ${settled.label.replace(/ \(.*/, '')} (${minutes.toFixed(0)} min)`;
  console.log(budgetLine(`heapUsed growth ${label}`, `${mb(h)} = ${mb(perHour(h))} per hour, ${(h / turns / 1024).toFixed(1)} KB per turn`, perHour(h) <= limit, '≤ 10 MB/h'));
  console.log(budgetLine(`rss growth ${label}`, `${mb(r)} = ${mb(perHour(r))} per hour`, perHour(r) <= limit, '≤ 10 MB/h'));
}
console.log(`turn log kept by the session: ${b.session.turnLog().length} records; emitted: ${b.counts.transcripts} transcript events, ${b.counts.statuses} status events`);
for (const p of problems) console.log(`  note: ${p}`);
const toMB = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 100) / 100;
writeResults(
  'core-soak',
  run,
  {
    setup: { turns: TURNS, turnSeconds: TURN_S, simulatedMinutes: (TURNS * 2 * TURN_S) / 60, renewMs: RENEW_MS, wallSeconds: Math.round(wall / 100) / 10, what: 'one VoiceSession (no history, tools or UI): see app-soak for the composed core' },
    samples: samples.map((s) => ({ label: s.label, heapUsedMB: toMB(s.heapUsed), rssMB: toMB(s.rss), externalMB: toMB(s.external), mallocRssMB: toMB(s.mallocRss) })),
    heapUsedGrowthMB: toMB(heapGrowth),
    rssGrowthMB: toMB(rssGrowth),
    budgetMB: 10,
  },
  problems,
);
if (problems.length > 0) process.exitCode = 1;
