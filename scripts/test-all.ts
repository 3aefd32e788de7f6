/**
 * `npm test`: runs every test tier that exists (unit, reliability, browser, e2e, electron) one after another,
 * prints each tier's figures, and ends with one line that sums them all up:
 * `N passed, N failed, N skipped`. Exits non-zero if any test failed or a tier could not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

const root = join(import.meta.dirname, '..');
const tiers = (process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'reliability', 'browser', 'e2e', 'electron']);
const resultsDir = join(root, '.tmp', 'test-results');
mkdirSync(resultsDir, { recursive: true });

/** Newest modification time of the sources the build reads. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// The e2e tier and the composition-root test run the built app: rebuild when a source is newer.
const builtAt = existsSync(join(root, 'out', 'main', 'index.js')) ? statSync(join(root, 'out', 'main', 'index.js')).mtimeMs : 0;
const sourcesAt = Math.max(...['main', 'preload', 'renderer'].map((d) => newestSource(join(root, d))));
if (sourcesAt > builtAt) {
  console.log('=== build (sources changed since the last build) ===');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines: string[] = [];

for (const tier of tiers) {
  const out = join(resultsDir, `${tier}.json`);
  rmSync(out, { force: true });
  console.log(`\n=== tier: ${tier} ===`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', tier, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, '--passWithNoTests'],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!existsSync(out)) {
    failed += 1;
    lines.push(`${tier}: did not produce results (exit ${run.status ?? run.signal}) in ${seconds} s`);
    continue;
  }
  const result = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  // A file that fails to load counts as a failure even when no test inside it ran.
  const tierFailed = result.numFailedTests + (result.numFailedTests === 0 ? result.numFailedTestSuites : 0);
  const tierSkipped = result.numPendingTests + result.numTodoTests;
  passed += result.numPassedTests;
  failed += tierFailed;
  skipped += tierSkipped;
  lines.push(`${tier}: ${result.numPassedTests} passed, ${tierFailed} failed, ${tierSkipped} skipped (${seconds} s)`);
}

console.log('\n=== summary ===');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
