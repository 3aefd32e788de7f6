/**
 * `npm run bench`: runs every benchmark in test/bench (*.ts, except *.lib.ts helpers) one after
 * another, each in its own `node` process with its output streamed as it comes, then prints a
 * summary. Exits non-zero if any benchmark crashed (non-zero exit or a signal). Benchmarks print
 * figures and budget verdicts; an "OVER budget" figure is a finding, not a crash. Each writes its
 * figures to test/bench/results/<bench>.json (bench-results.lib.ts). app-soak.ts exits non-zero when
 * a turn or a history entry was lost, and e2e-latency.ts / e2e-first-syllable.ts when a turn went
 * wrong or captured audio was lost: those count as failures here.
 *
 *   node scripts/bench-all.ts [name-filter …]     e.g. node scripts/bench-all.ts core
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const filters = process.argv.slice(2);

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.lib.ts') && !f.endsWith('.d.ts'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort();

if (files.length === 0) {
  console.error(`bench-all: no benchmark in ${relative(root, benchDir)} matches ${filters.join(' ') || '*'}`);
  process.exit(1);
}

interface Outcome {
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
}

function run(file: string): Promise<Outcome> {
  const path = join(benchDir, file);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path], { cwd: root, stdio: 'inherit' });
    const stop = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve({ file, code, signal, seconds: (performance.now() - started) / 1000 });
    };
    child.once('error', (err) => {
      console.error(`bench-all: could not start ${file}: ${err.message}`);
      done(1, null);
    });
    child.once('exit', done);
  });
}

const outcomes: Outcome[] = [];
for (const file of files) {
  console.log(`\n=== ${relative(root, join(benchDir, file))} ===`);
  outcomes.push(await run(file));
}

console.log('\n=== bench summary ===');
for (const o of outcomes) {
  const status = o.code === 0 ? 'ok' : o.signal ? `CRASHED (signal ${o.signal})` : `FAILED (exit ${o.code})`;
  console.log(`${o.file.padEnd(28)} ${status.padEnd(24)} ${o.seconds.toFixed(1)} s`);
}
const crashed = outcomes.filter((o) => o.code !== 0);
if (crashed.length > 0) {
  console.log(`${crashed.length} of ${outcomes.length} benchmarks failed or crashed.`);
  process.exit(1);
}
console.log(`all ${outcomes.length} benchmarks ran.`);
