/**
 * Writes a benchmark's figures to test/bench/results/<bench>.json: the figures, the date, the commit
 * (`git rev-parse HEAD`, and whether the work tree had changes), and the machine — cores, CPU model,
 * memory, Node, and the load average at the start and the end of the run. Other processes may share
 * the machine; `loaded` says so when the 1-minute load at either end exceeded a quarter of the cores.
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchRun {
  /** Load average (1, 5, 15 min) when the bench started. */
  loadAtStart: number[];
  startedAt: string;
}

export function startRun(): BenchRun {
  return { loadAtStart: loadavg(), startedAt: new Date().toISOString() };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  const first = cpus()[0]?.model;
  if (first && first !== 'unknown') return first;
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A latency series as figures: median, p95, max, n (ms, 2 decimals). */
export function series(xs: readonly number[]): { p50: number; p95: number; max: number; min: number; n: number } {
  const sorted = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { p50: r(at(50)), p95: r(at(95)), max: r(sorted.at(-1) ?? NaN), min: r(sorted[0] ?? NaN), n: sorted.length };
}

/** Writes the JSON and prints where. Returns the path. */
export function writeResults(bench: string, run: BenchRun, figures: Record<string, unknown>, notes: string[] = []): string {
  const loadAtEnd = loadavg();
  const cores = availableParallelism();
  const busiest = Math.max(run.loadAtStart[0] ?? 0, loadAtEnd[0] ?? 0);
  const loaded = busiest > cores / 4;
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  const result = {
    bench,
    date: new Date().toISOString(),
    startedAt: run.startedAt,
    commit: git(['rev-parse', 'HEAD']),
    workTreeChanged: status !== '' && status !== 'unknown',
    machine: {
      cores,
      cpuModel: cpuModel(),
      memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
      loadAverageAtStart: run.loadAtStart.map((l) => Math.round(l * 100) / 100),
      loadAverageAtEnd: loadAtEnd.map((l) => Math.round(l * 100) / 100),
      loaded,
      loadNote: loaded
        ? `the machine was loaded: 1-minute load average up to ${busiest.toFixed(2)} on ${cores} cores (other processes were running); tails are longer than on a quiet machine`
        : `quiet: 1-minute load average at most ${busiest.toFixed(2)} on ${cores} cores`,
    },
    figures,
    notes,
  };
  const dir = join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${bench}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${bench}: figures written to ${relative(repoRoot, path)} (load ${run.loadAtStart[0]?.toFixed(2)} → ${loadAtEnd[0]?.toFixed(2)}${loaded ? ', LOADED' : ''})`);
  return path;
}
