/**
 * The CLI's typed turns (issue 11, "type instead of talk"): `--text` (repeatable, in command-line order
 * with `--input`), `--reply text`, and `--barge-in-after-ms`, run as a child process against the fake
 * Realtime server, which validates every client event against the SDK-derived schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeRealtime, validateClientEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

const CLI = resolve('main/cli.ts');
let fake: FakeRealtime;
let dir: string;

beforeAll(async () => {
  await ensureFixtures();
  fake = await startFakeRealtime();
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-text-'));
});
afterAll(async () => {
  expectHonest(fake);
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every client event validated against the SDK schema, and the fake refused none of them. */
function expectHonest(f: FakeRealtime): void {
  expect(f.schemaErrors).toEqual([]);
  for (const r of f.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  expect(f.sent.filter((r) => r.event.type === 'error').map((r) => r.event)).toEqual([]);
}

function cli(args: string[], f: FakeRealtime): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const childEnv: Record<string, string> = {};
    const env = { ...process.env, OPENAI_API_KEY: 'sk-test-cli-0123456789abcdef', OPENAI_BASE_URL: f.baseURL, NODE_EXTRA_CA_CERTS: f.caPath };
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

interface TurnJson {
  kind: 'voice' | 'text';
  reply_as: 'voice' | 'text';
  input: string | null;
  text: string | null;
  outcome: string;
  user_transcript: string;
  assistant_transcript: string;
  truncated_at_ms: number | null;
  usage: Record<string, number>;
  cost_usd: number | null;
  latency: Record<string, number | null>;
}
interface Summary {
  ok: boolean;
  conversation_id: string;
  turns: TurnJson[];
  usage: Record<string, number>;
  cost_usd: number | null;
  output: string | null;
}

const summaryOf = (stdout: string): Summary => {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Summary;
};
const receivedSince = (f: FakeRealtime, from: number): RealtimeEventJson[] => f.received.slice(from).map((r) => r.event);

describe('earshot CLI: typed turns', () => {
  it('--text: a typed question gets a spoken answer; JSON has both transcripts, usage, cost, latency; the WAV holds the reply', async () => {
    const from = fake.received.length;
    const out = join(dir, 'text-reply.wav');
    const typed = 'What is the capital of Portugal?';
    const r = await cli(['talk', '--text', typed, '--output', out, '--json', '--fast'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    console.log('CLI --text JSON:', r.stdout.trim().slice(0, 700));
    expect(s.ok).toBe(true);
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]).toMatchObject({ kind: 'text', reply_as: 'voice', input: null, text: typed, outcome: 'completed', user_transcript: typed, assistant_transcript: fake.replyTranscript });
    expect(s.turns[0]?.usage['inputTextTokens']).toBeGreaterThan(0);
    expect(s.turns[0]?.usage['inputAudioTokens']).toBe(0);
    expect(s.turns[0]?.usage['outputAudioTokens']).toBeGreaterThan(0);
    expect(s.turns[0]?.cost_usd).toBeGreaterThan(0);
    expect(s.cost_usd).toBe(s.turns[0]?.cost_usd);
    expect(s.turns[0]?.latency['totalMs']).not.toBeNull();
    const wire = receivedSince(fake, from);
    const create = wire.find((e) => e.type === 'conversation.item.create');
    expect(create?.['item']).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: typed }] });
    expect(wire.some((e) => e.type.startsWith('input_audio_buffer.'))).toBe(false);
    const wav = readWavPcm16(out);
    expect(wav.sampleRate).toBe(24000);
    expect(wav.samples.length).toBe(fake.replySamples.length);
  });

  it('--reply text: the answer comes as text only (output_modalities ["text"]), nothing to hear', async () => {
    const from = fake.received.length;
    const r = await cli(['talk', '--text', 'Give me a one-line summary.', '--reply', 'text', '--json', '--fast'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.turns[0]).toMatchObject({ kind: 'text', reply_as: 'text', outcome: 'completed', assistant_transcript: fake.replyTranscript });
    expect(s.turns[0]?.usage['outputAudioTokens']).toBe(0);
    expect(s.turns[0]?.usage['outputTextTokens']).toBeGreaterThan(0);
    expect(s.turns[0]?.cost_usd).toBeGreaterThan(0);
    expect(receivedSince(fake, from).find((e) => e.type === 'response.create')?.['response']).toEqual({ output_modalities: ['text'] });
  });

  it('a mixed conversation: --input, --text, --input run in that order in one session, and all three are in the JSON', async () => {
    const before = fake.connections;
    const out = join(dir, 'mixed.wav');
    const typed = 'Which one is the largest?';
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--text', typed, '--input', fixturePath('followup.wav'), '--output', out, '--json', '--fast'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.turns.map((t) => [t.kind, t.outcome])).toEqual([
      ['voice', 'completed'],
      ['text', 'completed'],
      ['voice', 'completed'],
    ]);
    expect(s.turns[0]?.input).toBe(fixturePath('question.wav'));
    expect(s.turns[1]).toMatchObject({ input: null, text: typed, user_transcript: typed });
    expect(s.turns[2]?.input).toBe(fixturePath('followup.wav'));
    for (const t of s.turns) {
      expect(t.assistant_transcript).toBe(fake.replyTranscript);
      expect(t.cost_usd).toBeGreaterThan(0);
    }
    // The typed message is in the context of the third answer: more input text than the first's.
    expect(s.turns[2]?.usage['inputTextTokens']).toBeGreaterThan(s.turns[0]?.usage['inputTextTokens'] ?? Infinity);
    expect(fake.connections - before).toBe(1);
    expect(readWavPcm16(out).samples.length).toBe(3 * fake.replySamples.length);
  });

  it('a typed barge-in: --barge-in-after-ms sends the text while the spoken answer plays; cancel, truncate at what was heard, then the text turn', async () => {
    // Real-time streaming: the answer is still being generated when the text arrives, as with the service.
    const live = await startFakeRealtime({ speedup: 1 });
    try {
      const out = join(dir, 'barge.wav');
      const typed = 'Stop, tell me about Lisbon instead.';
      const r = await cli(['talk', '--input', fixturePath('question.wav'), '--text', typed, '--barge-in-after-ms', '600', '--output', out, '--json', '--fast'], live);
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(r.stdout);
      console.log('CLI typed barge-in at 600 ms →', JSON.stringify(s.turns.map((t) => ({ kind: t.kind, outcome: t.outcome, truncated_at_ms: t.truncated_at_ms }))));
      expect(s.turns.map((t) => [t.kind, t.outcome])).toEqual([
        ['voice', 'interrupted'],
        ['text', 'completed'],
      ]);
      const heard = s.turns[0]?.truncated_at_ms ?? -999;
      expect(Math.abs(heard - 600)).toBeLessThanOrEqual(25);
      expect(s.turns[0]?.assistant_transcript.length).toBeLessThan(live.replyTranscript.length);
      expect(s.turns[1]).toMatchObject({ user_transcript: typed, assistant_transcript: live.replyTranscript });
      const wire = live.received.map((e) => e.event);
      const cancel = wire.findIndex((e) => e.type === 'response.cancel');
      const truncate = wire.findIndex((e) => e.type === 'conversation.item.truncate');
      const item = wire.findIndex((e) => e.type === 'conversation.item.create');
      expect(cancel).toBeGreaterThanOrEqual(0);
      expect(cancel).toBeLessThan(truncate);
      expect(truncate).toBeLessThan(item);
      expect(wire[truncate]?.['audio_end_ms']).toBe(heard);
      // What was heard: the first answer up to the barge-in, then the whole second answer.
      const wav = readWavPcm16(out);
      expect(Math.abs(wav.samples.length / 24 - (heard + live.replySamples.length / 24))).toBeLessThanOrEqual(2);
      expectHonest(live);
    } finally {
      await live.close();
    }
  });

  it('rejects an empty --text and an unknown --reply before connecting', async () => {
    const before = fake.connections;
    const empty = await cli(['talk', '--text', '   '], fake);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--text takes 1 to 4000 characters/);
    const reply = await cli(['talk', '--text', 'hi', '--reply', 'braille'], fake);
    expect(reply.code).toBe(2);
    expect(reply.stderr).toMatch(/--reply takes voice or text/);
    expect(fake.connections).toBe(before);
  });
});
