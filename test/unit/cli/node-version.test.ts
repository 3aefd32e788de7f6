/**
 * `npm run cli` (scripts/cli.mjs) on a Node older than the project supports says which Node it needs
 * and exits 2, instead of Node's ERR_UNKNOWN_FILE_EXTENSION stack trace; on a supported Node it is the
 * CLI itself: arguments and exit codes pass through, and a whole turn runs against the fake server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { findOldNode, requiredNodeMajor } from '../launcher/old-node.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const SHIM = join(root, 'scripts', 'cli.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  return new Promise((res) => {
    execFile(file, args, { cwd: root, env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const oldNode = findOldNode();
if (!oldNode) console.log(`skipped: CLI on an old Node: no Node older than ${requiredNodeMajor()} is installed here (set EARSHOT_OLD_NODE to one)`);

describe.skipIf(!oldNode)(`npm run cli on an old Node (${oldNode?.version ?? 'none found'})`, () => {
  const needs = (version: string): RegExp =>
    new RegExp(`^Earshot's CLI needs Node ${requiredNodeMajor()} or newer \\(this is Node ${version.replace(/\./g, '\\.')}\\)\\. .*nodejs\\.org.*\\n$`);

  it('says which Node it needs, exits 2, and never reaches the .ts import', async () => {
    const r = await run(oldNode?.path ?? '', [SHIM, 'talk', '--input', 'question.wav']);
    console.log(`cli.mjs under ${oldNode?.version}: exit ${r.code}: ${r.stderr.trim()}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(needs(oldNode?.version ?? ''));
    expect(r.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|^\s+at /m);
    expect(r.stdout).toBe('');
  });

  it('does the same through `npm run cli` with that Node first on PATH', async () => {
    const PATH = `${dirname(oldNode?.path ?? '')}:${process.env.PATH ?? ''}`;
    const r = await run('npm', ['run', '-s', 'cli', '--', 'talk', '--input', 'question.wav'], { PATH });
    expect(r.stderr).toMatch(needs(oldNode?.version ?? ''));
    expect(r.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    expect(r.code).toBe(2);
  });
});

describe('npm run cli on a supported Node', () => {
  let fake: FakeRealtime;
  let dir: string;

  beforeAll(async () => {
    await ensureFixtures();
    fake = await startFakeRealtime();
    dir = await mkdtemp(join(tmpdir(), 'earshot-cli-shim-'));
  });
  afterAll(async () => {
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes --help through (exit 0, the usage)', async () => {
    const r = await run(process.execPath, [SHIM, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run cli -- talk --input/);
  });

  it('passes a usage error through with the CLI’s exit code 2', async () => {
    const r = await run(process.execPath, [SHIM, 'talk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Give at least one --input WAV file, --text message or --image file.');
  });

  it('runs a whole turn against the fake Realtime server: exit 0, JSON summary, reply WAV written', async () => {
    const out = join(dir, 'reply.wav');
    const r = await run(process.execPath, [SHIM, 'talk', '--input', fixturePath('question.wav'), '--output', out, '--json', '--fast'], {
      OPENAI_API_KEY: 'sk-test-cli-shim-0123456789',
      OPENAI_BASE_URL: fake.baseURL,
      NODE_EXTRA_CA_CERTS: fake.caPath,
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim()) as { ok: boolean; turns: { outcome: string }[] };
    expect(summary.ok).toBe(true);
    expect(summary.turns).toHaveLength(1);
    const reply = readWavPcm16(out);
    expect(reply.sampleRate).toBe(24_000);
    expect(reply.samples.length).toBeGreaterThan(24_000 / 2);
    expect(fake.events('input_audio_buffer.commit')).toHaveLength(1);
  });
});
