/**
 * Runs Doyensec's electronegativity (the Electron security linter) over the app's sources — main/,
 * preload/ and renderer/ together, since its global checks (navigation limits, permission handlers,
 * CSP) look for a handler anywhere in the app — prints every finding, and exits 1 on any HIGH finding
 * or on a file it could not parse (a file it cannot read is a file it did not check).
 *
 * Offline by construction: electronegativity 1.10 fetches translations (src/locales/i18n.js) and
 * Electron's release list (AvailableSecurityFixesGlobalCheck) with `got`; offline, got's retry can
 * throw from a timer and kill the process ("The `onCancel` handler was attached after the promise
 * settled"). Here `got` is replaced by a function that rejects at once, so the bundled en-US texts are
 * used, and AvailableSecurityFixesGlobalCheck is left out: whether a newer Electron exists is a
 * network question, not a property of this commit (and for an Electron in devDependencies it reports
 * INFORMATIONAL only). The Electron version is given (node_modules/electron) so version-dependent
 * defaults are judged for the Electron we ship.
 *
 * Usage: node scripts/electronegativity.ts
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Level {
  name: string;
  value: number;
}
interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: Level;
  confidence: Level;
  manualReview?: boolean;
  sample?: string;
  description?: string;
}
interface RunResult {
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Issue[];
}
type Run = (options: Record<string, unknown>) => Promise<RunResult>;

const root = join(import.meta.dirname, '..');
const dist = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist');
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const requireFromDist = createRequire(join(dist, 'runner.js'));
const offline = (): Promise<never> => Promise.reject(new Error('network disabled: electronegativity runs offline here'));
/** Seeds Node's CommonJS cache so `require('got')` inside electronegativity gets `offline`. */
function disableNetwork(): void {
  for (const from of ['locales/i18n.js', 'finder/checks/GlobalChecks/AvailableSecurityFixesGlobalCheck.js']) {
    const gotPath = createRequire(join(dist, from)).resolve('got');
    const exports = Object.assign(offline, { default: offline });
    requireFromDist.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports } as unknown as NodeJS.Module;
  }
}

async function main(): Promise<number> {
  disableNetwork();
  const run = requireFromDist('./runner.js') as Run;
  const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

  const scanned = mkdtempSync(join(tmpdir(), 'earshot-electronegativity-'));
  try {
    for (const dir of ['main', 'preload', 'renderer']) cpSync(join(root, dir), join(scanned, dir), { recursive: true });
    cpSync(join(root, 'package.json'), join(scanned, 'package.json'));
    const result = await run({
      input: scanned,
      customScan: [],
      excludeFromScan: EXCLUDED.map((c) => c.toLowerCase()),
      electronVersionOverride: electronVersion,
      parserPlugins: [],
      isRelative: true,
    });

    console.log(`electronegativity on main/, preload/, renderer/ (Electron ${electronVersion}; left out: ${EXCLUDED.join(', ')})`);
    const sorted = [...result.issues].sort((a, b) => b.severity.value - a.severity.value || a.file.localeCompare(b.file));
    for (const issue of sorted) {
      const where = issue.location.line > 0 ? `${issue.file}:${issue.location.line}` : issue.file;
      const review = issue.manualReview ? ' (review)' : '';
      const sample = (issue.sample ?? '').replace(/\s+/g, ' ').trim().slice(0, 100);
      console.log(`  ${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}${review}  ${where}${sample ? `  ${sample}` : ''}`);
    }
    const unparsed = result.errors.filter((e) => !e.tolerable);
    for (const error of result.errors) {
      console.log(`  ${error.tolerable ? 'warning' : 'PARSE ERROR'}: ${error.file}: ${error.message}`);
    }
    const counts = new Map<string, number>();
    for (const issue of result.issues) counts.set(issue.severity.name, (counts.get(issue.severity.name) ?? 0) + 1);
    const high = counts.get('HIGH') ?? 0;
    const summary = [...counts].map(([level, n]) => `${n} ${level.toLowerCase()}`).join(', ') || 'no findings';
    console.log(`electronegativity: ${result.issues.length} findings (${summary}), ${unparsed.length} files not parsed`);
    if (high > 0) console.log(`electronegativity: FAILED: ${high} HIGH finding(s)`);
    if (unparsed.length > 0) console.log('electronegativity: FAILED: files it could not parse were not checked');
    return high > 0 || unparsed.length > 0 ? 1 : 0;
  } finally {
    rmSync(scanned, { recursive: true, force: true });
  }
}

process.exitCode = await main();
