import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeRealtime, validateClientEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

const CLI = resolve('main/cli.ts');
let fake: FakeRealtime;
let dir: string;

beforeAll(async () => {
  await ensureFixtures();
  fake = await startFakeRealtime();
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-'));
});
afterAll(async () => {
  expect(fake.schemaErrors).toEqual([]);
  for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
    execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

const fakeEnv = (): Record<string, string> => ({
  OPENAI_API_KEY: 'sk-test-cli-0123456789abcdef',
  OPENAI_BASE_URL: fake.baseURL,
  NODE_EXTRA_CA_CERTS: fake.caPath,
});

interface Summary {
  ok: boolean;
  turns: { outcome: string; user_transcript: string; assistant_transcript: string; tool_calls: unknown[]; truncated_at_ms: number | null; latency: Record<string, number | null>; cost_usd: number | null }[];
  usage: Record<string, number>;
  cost_usd: number | null;
}

describe('earshot CLI: talk', () => {
  it('one turn: JSON with transcripts, usage, cost, latency; a valid 24 kHz WAV of the reply', async () => {
    const out = join(dir, 'reply.wav');
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--output', out, '--json', '--fast'], fakeEnv());
    expect(r.stderr).not.toContain('sk-test-cli');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0] ?? '') as Summary;
    console.log('CLI JSON:', lines[0]?.slice(0, 600));
    expect(s.ok).toBe(true);
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]).toMatchObject({ outcome: 'completed', user_transcript: 'What files are in my documents folder?', assistant_transcript: fake.replyTranscript, tool_calls: [], truncated_at_ms: null });
    expect(s.turns[0]?.latency['keyUpToCommitMs']).not.toBeNull();
    expect(s.turns[0]?.latency['commitToFirstAudioMs']).not.toBeNull();
    expect(s.usage['outputAudioTokens']).toBeGreaterThan(0);
    expect(s.cost_usd).toBeGreaterThan(0);
    const wav = readWavPcm16(out);
    expect(wav.sampleRate).toBe(24000);
    expect(wav.channels).toBe(1);
    expect(wav.samples.length).toBe(fake.replySamples.length);
    expect(Buffer.from((await readFile(out)).subarray(0, 4)).toString('ascii')).toBe('RIFF');
  });

  it('two inputs, the second 48 kHz stereo (converted), in one session', async () => {
    const before = fake.connections;
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--input', fixturePath('question-48k-stereo.wav'), '--json', '--fast'], fakeEnv());
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.turns.map((t) => t.outcome)).toEqual(['completed', 'completed']);
    expect(fake.connections - before).toBe(1);
  });

  it('--interrupt-after-ms N truncates the last reply at about N ms', async () => {
    const out = join(dir, 'cut.wav');
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--output', out, '--json', '--fast', '--interrupt-after-ms', '700'], fakeEnv());
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.turns[0]?.outcome).toBe('interrupted');
    console.log('interrupt-after-ms 700 → truncated_at_ms', s.turns[0]?.truncated_at_ms);
    expect(Math.abs((s.turns[0]?.truncated_at_ms ?? -999) - 700)).toBeLessThanOrEqual(25);
    const truncate = fake.received.filter((e) => e.event.type === 'conversation.item.truncate').at(-1);
    expect(truncate?.event['audio_end_ms']).toBe(s.turns[0]?.truncated_at_ms);
    const wav = readWavPcm16(out);
    expect(Math.abs(wav.samples.length / 24 - 700)).toBeLessThanOrEqual(25);
  });

  it('missing API key: clear message, exit code 2', async () => {
    const r = await cli(['talk', '--input', fixturePath('question.wav')], { ...fakeEnv(), OPENAI_API_KEY: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OPENAI_API_KEY is not set/);
  });

  it('a file that is not audio: clear error, non-zero exit, no connection', async () => {
    const before = fake.connections;
    const r = await cli(['talk', '--input', fixturePath('not-audio.wav')], fakeEnv());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not-audio\.wav is not a WAV audio file/);
    expect(fake.connections).toBe(before);
  });

  it('a failed turn (too short) exits non-zero with a clear message', async () => {
    const r = await cli(['talk', '--input', fixturePath('short-tap.wav'), '--json', '--fast'], fakeEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shorter than 100 ms/);
  });
});

describe('earshot CLI: file tools (--allow-dir)', () => {
  it('the model calls a file tool, the output goes back, and the answer quotes it', async () => {
    const docs = await mkdtemp(join(tmpdir(), 'earshot-cli-docs-'));
    await writeFile(join(docs, 'budget-2026.ods'), 'x');
    await writeFile(join(docs, 'letter-to-anna.txt'), 'Dear Anna');
    fake.scriptToolCall({ name: 'list_directory', arguments: { path: docs } });
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--allow-dir', docs, '--json', '--fast'], fakeEnv());
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim()) as Summary & { turns: { tool_calls: { name: string; status: string; output: string }[] }[] };
    const call = s.turns[0]?.tool_calls[0];
    console.log('CLI tool call:', JSON.stringify(call).slice(0, 300));
    expect(call).toMatchObject({ name: 'list_directory', status: 'done' });
    expect(call?.output).toContain('letter-to-anna.txt');
    // The fake quotes the function output in its answer: it reached the model.
    expect(s.turns[0]?.assistant_transcript).toContain('Here is what I found');
    expect(s.turns[0]?.assistant_transcript).toContain('budget-2026.ods');
    await rm(docs, { recursive: true, force: true });
  });

  it('refuses a write unless --allow-writes is given, and the session goes on', async () => {
    const docs = await mkdtemp(join(tmpdir(), 'earshot-cli-docs-'));
    const target = join(docs, 'note.txt');
    fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'buy milk' } });
    const refused = await cli(['talk', '--input', fixturePath('question.wav'), '--allow-dir', docs, '--json', '--fast'], fakeEnv());
    expect(refused.code, refused.stderr).toBe(0);
    const s1 = JSON.parse(refused.stdout.trim()) as Summary & { turns: { tool_calls: { status: string; output: string }[] }[] };
    expect(s1.turns[0]?.tool_calls[0]?.status).toBe('denied');
    expect(s1.turns[0]?.tool_calls[0]?.output).toMatch(/--allow-writes/);
    await expect(readFile(target, 'utf8')).rejects.toThrow();

    fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'buy milk' } });
    const allowed = await cli(['talk', '--input', fixturePath('question.wav'), '--allow-dir', docs, '--allow-writes', '--json', '--fast'], fakeEnv());
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await readFile(target, 'utf8')).toBe('buy milk');
    await rm(docs, { recursive: true, force: true });
  });
});
