/**
 * .github/workflows/ci.yml: valid for GitHub Actions (checked with GitHub's own parser,
 * @actions/workflow-parser, the one behind the Actions language service), faithful to .ci/run, and
 * building the installers on Linux, macOS and Windows. Also .ci/run's Chromium override, which the
 * Linux job relies on (Ubuntu's apt chromium is a snap shim).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// @actions/workflow-parser 0.3 imports its schema JSON without `with { type: 'json' }` (it is built for
// bundlers), which Node's ESM loader refuses; this load hook adds the attribute for that package only.
registerHooks({
  load(url, context, nextLoad) {
    return url.endsWith('.json') && url.includes('/@actions/workflow-parser/')
      ? nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } })
      : nextLoad(url, context);
  },
});
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

const root = join(import.meta.dirname, '..', '..', '..');
const workflowPath = join(root, '.github', 'workflows', 'ci.yml');
const workflowText = readFileSync(workflowPath, 'utf8');
const ciRun = readFileSync(join(root, '.ci', 'run'), 'utf8');

// The workflow's own YAML, read with the parser electron-builder also uses (js-yaml 4).
const yaml = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'))('js-yaml') as { load(text: string): unknown };

const Step = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  if: z.string().optional(),
  with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const Job = z.object({
  'runs-on': z.string(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  env: z.record(z.string(), z.string()).optional(),
  strategy: z.object({ matrix: z.object({ os: z.array(z.string()) }) }).optional(),
  steps: z.array(Step),
});
const Workflow = z.object({ env: z.record(z.string(), z.string()).optional(), jobs: z.record(z.string(), Job) });
const workflow = Workflow.parse(yaml.load(workflowText));

async function validate(content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: '.github/workflows/ci.yml', content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined) return errors.length > 0 ? errors : ['no workflow'];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...(template.errors ?? []).map((e) => e.Message), ...parsed.context.errors.getErrors().map((e) => e.message)];
}

function runs(job: z.infer<typeof Job>): string {
  return job.steps.map((s) => s.run ?? '').join('\n');
}
function job(id: string): z.infer<typeof Job> {
  const found = workflow.jobs[id];
  if (!found) throw new Error(`no job ${id} in ci.yml`);
  return found;
}

describe('the GitHub Actions workflow is one GitHub accepts', () => {
  it('has no errors in GitHub’s workflow parser (schema, expressions, job graph)', async () => {
    expect(await validate(workflowText)).toEqual([]);
  });

  it('the same parser rejects a broken copy (a misspelt key, a job needing a missing job)', async () => {
    expect((await validate(workflowText.replace('timeout-minutes: 60', 'timeout-minute: 60'))).join('\n')).toMatch(/timeout-minute/);
    expect((await validate(workflowText.replace('needs: fixtures', 'needs: fixturez'))).join('\n')).toMatch(/fixturez/);
  });

  it('pins every action to a full commit SHA', () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
    expect(uses.length).toBeGreaterThanOrEqual(8);
    expect(uses.filter((u) => !/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/.test(u))).toEqual([]);
  });

  it('uses Node 24 in every job that runs npm', () => {
    for (const [id, j] of Object.entries(workflow.jobs)) {
      if (!/\bnpm\b|\.ci\/run/.test(runs(j))) continue;
      const setupNode = j.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setupNode?.with?.['node-version'], id).toBe(24);
    }
  });
});

describe('faithful to .ci/run', () => {
  it('runs .ci/run itself on Linux, with CI=true and a Chromium that exists on Ubuntu runners', () => {
    const linux = job('linux');
    expect(linux['runs-on']).toMatch(/^ubuntu-/);
    expect(runs(linux)).toMatch(/^bash \.ci\/run$/m);
    expect(workflow.env?.['CI']).toBe('true');
    expect(linux.env?.['EARSHOT_CHROMIUM']).toBe('/usr/bin/google-chrome');
  });

  it('.ci/run type-checks, lints, runs electronegativity, builds, then runs every tier, ending on the sum line', () => {
    const order = ['npm ci', 'npm run -s typecheck', 'npm run -s lint', 'node scripts/electronegativity.ts', 'npm run -s build', 'npm run -s cli', 'npm test'];
    const at = order.map((command) => ciRun.indexOf(command));
    expect(at.filter((i) => i < 0)).toEqual([]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // npm test prints the sum line ("N passed, N failed, N skipped"): nothing may follow it.
    expect(ciRun.trimEnd().split('\n').at(-1)).toMatch(/npm test$/);
  });

  it('runs the unit and electron tiers and builds the installers on Linux, macOS and Windows', () => {
    const desktop = job('desktop');
    const oses = desktop.strategy?.matrix.os ?? [];
    expect(oses.some((os) => os.startsWith('ubuntu-'))).toBe(true);
    expect(oses.some((os) => os.startsWith('macos-'))).toBe(true);
    expect(oses.some((os) => os.startsWith('windows-'))).toBe(true);
    const script = runs(desktop);
    const order = ['npm ci', 'npm run -s typecheck', 'npx install-electron', 'npm run -s build', 'test:unit', 'test:electron', 'npm run package -- --publish never', 'electron-fuses read'];
    const at = order.map((command) => script.indexOf(command));
    expect(at.filter((i) => i < 0)).toEqual([]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Under Xvfb on Linux, as .ci/run runs its tiers.
    expect(script).toMatch(/xvfb-run -a .* npm run -s test:unit/);
    expect(script).toMatch(/xvfb-run -a .* npm run -s test:electron/);
    const upload = desktop.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const paths = String(upload?.with?.['path'] ?? '');
    for (const ext of ['AppImage', 'deb', 'dmg', 'exe']) expect(paths).toContain(`*.${ext}`);
    expect(upload?.with?.['if-no-files-found']).toBe('error');
  });

  it('the unit tier gets the same speech fixtures .ci/run makes (scripts/make-fixtures.sh)', () => {
    expect(ciRun).toContain('npm run -s fixtures');
    expect(runs(job('fixtures'))).toContain('scripts/make-fixtures.sh');
    expect(job('desktop').needs).toBe('fixtures');
  });
});

describe('.ci/run’s package step honours EARSHOT_CHROMIUM', () => {
  // The package block of .ci/run, run on its own with a PATH of links to the real tools (minus
  // chromium) and an apt-get that records what it was asked to install.
  const block = ciRun.slice(ciRun.indexOf('# --- Debian packages'), ciRun.indexOf('step "npm ci"'));
  const bin = mkdtempSync(join(tmpdir(), 'earshot-ci-run-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  for (const tool of ['xvfb-run', 'xauth', 'espeak-ng', 'sox', 'xdotool', 'openssl', 'pulseaudio', 'pactl', 'id', 'bash', 'cat']) {
    // A tool absent on this machine is asked of apt-get, which the assertions below allow.
    const found = (process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, tool)).find((file) => existsSync(file));
    if (found) symlinkSync(found, join(bin, tool));
  }
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "apt-get $*" >> "${join(bin, 'apt.log')}"\n`);
  chmodSync(join(bin, 'apt-get'), 0o755);
  writeFileSync(join(bin, 'fake-chrome'), '#!/bin/sh\necho "Fake Chrome 1.0"\n');
  chmodSync(join(bin, 'fake-chrome'), 0o755);

  function runBlock(env: Record<string, string>): { out: string; apt: string } {
    rmSync(join(bin, 'apt.log'), { force: true });
    const script = `set -euo pipefail\nstep() { printf '\\n### %s\\n' "$*"; }\n${block}`;
    const out = execFileSync(join(bin, 'bash'), ['-c', script], { encoding: 'utf8', env: { PATH: bin, HOME: bin, ...env } });
    const log = join(bin, 'apt.log');
    return { out, apt: existsSync(log) ? readFileSync(log, 'utf8') : '' };
  }

  it('without the override, a missing chromium is installed from apt (Debian), and only what is missing', () => {
    const { apt } = runBlock({});
    expect(apt).toMatch(/install .*\bchromium\b/);
    expect(apt).not.toMatch(/install .*\bsox\b/);
  });

  it('with EARSHOT_CHROMIUM, chromium is neither required nor installed, and the browser is named in the log', () => {
    const { out, apt } = runBlock({ EARSHOT_CHROMIUM: join(bin, 'fake-chrome') });
    expect(apt).not.toMatch(/chromium/);
    expect(out).toContain('Fake Chrome 1.0');
  });

  it('a wrong EARSHOT_CHROMIUM stops the run with a plain message', () => {
    expect(() => runBlock({ EARSHOT_CHROMIUM: join(bin, 'no-such-browser') })).toThrow(/is not an executable/);
  });
});
