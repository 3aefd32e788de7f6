/**
 * The CLI scenarios of the Realtime engine (cli.test.ts) on the two HTTP engines, against the fake
 * OpenAI HTTP server: one turn, two turns in one conversation, a tool turn with --allow-dir, and a
 * barge-in — each with both transcripts, the reply WAV, usage and cost in the JSON (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

const CLI = resolve('main/cli.ts');
let fake: FakeOpenAIHttp;
let dir: string;

beforeAll(async () => {
  await ensureFixtures();
  fake = await startFakeOpenAIHttp({ speedup: 8 });
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-engines-'));
});
afterAll(async () => {
  expect(fake.schemaErrors).toEqual([]);
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, OPENAI_API_KEY: 'sk-test-cli-engines-0123456789', OPENAI_BASE_URL: fake.baseURL })) if (v !== undefined) env[k] = v;
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 90_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Turn {
  outcome: string;
  engine: string;
  model: string;
  user_transcript: string;
  assistant_transcript: string;
  tool_calls: { name: string; status: string; output: string }[];
  truncated_at_ms: number | null;
  usage: Record<string, number>;
  cost_usd: number | null;
  cost_estimated: boolean;
  latency: Record<string, number | null>;
}
interface Summary {
  ok: boolean;
  engine: string;
  model: string;
  turns: Turn[];
  usage: Record<string, number>;
  cost_usd: number | null;
  cost_estimated: boolean;
}

const parse = (stdout: string): Summary => JSON.parse(stdout.trim()) as Summary;
type Message = { role: string; content?: unknown; tool_call_id?: string; audio?: { id: string } };
const chatMessages = (index: number): Message[] => ((fake.requestsTo('/v1/chat/completions')[index]?.json ?? {}) as { messages?: Message[] }).messages ?? [];
const text = (m: Message | undefined): string =>
  typeof m?.content === 'string' ? m.content : Array.isArray(m?.content) ? (m.content as { text?: string; type: string }[]).map((p) => p.text ?? `<${p.type}>`).join(' ') : '';

describe.each(['cascaded', 'chat-audio'] as const)('earshot CLI on the %s engine', (engine) => {
  it('one turn: both transcripts, reply WAV, usage and cost', async () => {
    fake.reset();
    const out = join(dir, `${engine}-reply.wav`);
    const r = await cli(['talk', '--engine', engine, '--input', fixturePath('question.wav'), '--output', out, '--json', '--fast']);
    expect(r.stderr).not.toContain('sk-test-cli-engines');
    expect(r.code, r.stderr).toBe(0);
    const s = parse(r.stdout);
    console.log(`${engine} CLI JSON:`, r.stdout.slice(0, 700));
    expect(s.ok).toBe(true);
    expect(s.engine).toBe(engine);
    expect(s.turns[0]).toMatchObject({ outcome: 'completed', engine, user_transcript: 'What files are in my documents folder?', truncated_at_ms: null });
    expect(s.turns[0]?.assistant_transcript.length).toBeGreaterThan(5);
    expect(s.turns[0]?.latency['commitToFirstAudioMs']).not.toBeNull();
    expect(s.turns[0]?.latency['totalMs']).not.toBeNull();
    expect(Object.values(s.usage).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(s.cost_usd).toBeGreaterThan(0);
    const wav = readWavPcm16(out);
    expect(wav.sampleRate).toBe(24000);
    expect(wav.samples.length / 24).toBeGreaterThan(300);
  });

  it('two turns in one conversation: the second request carries the first exchange', async () => {
    fake.reset();
    fake.setUserTranscript('What is the capital of France?');
    fake.scriptChat({ text: 'Paris is the capital of France.' });
    fake.scriptChat({ text: 'About two million people live there.' });
    const r = await cli(['talk', '--engine', engine, '--input', fixturePath('question.wav'), '--input', fixturePath('question-48k-stereo.wav'), '--json', '--fast']);
    expect(r.code, r.stderr).toBe(0);
    const s = parse(r.stdout);
    expect(s.turns.map((t) => t.outcome)).toEqual(['completed', 'completed']);
    expect(s.turns[0]?.assistant_transcript).toBe('Paris is the capital of France.');
    expect(s.turns[1]?.assistant_transcript).toBe('About two million people live there.');
    const second = chatMessages(1);
    const assistant = second.find((m) => m.role === 'assistant');
    // The first answer is in the second request: as text (cascaded) or by its audio id (chat-audio).
    expect(text(assistant) || assistant?.audio?.id).toBeTruthy();
    if (engine === 'cascaded') expect(text(assistant)).toBe('Paris is the capital of France.');
    expect(second.filter((m) => m.role === 'user')).toHaveLength(2);
  });

  it('a tool turn with --allow-dir: the tool output reaches the model and the spoken answer follows', async () => {
    fake.reset();
    const docs = await mkdtemp(join(tmpdir(), 'earshot-cli-engines-docs-'));
    await writeFile(join(docs, 'letter-to-anna.txt'), 'Dear Anna');
    fake.scriptChat({ toolCalls: [{ name: 'list_directory', arguments: { path: docs } }] });
    fake.scriptChat({ text: 'You have a letter to Anna in there.' });
    const r = await cli(['talk', '--engine', engine, '--input', fixturePath('question.wav'), '--allow-dir', docs, '--json', '--fast']);
    expect(r.code, r.stderr).toBe(0);
    const s = parse(r.stdout);
    expect(s.turns[0]?.tool_calls[0]).toMatchObject({ name: 'list_directory', status: 'done' });
    expect(s.turns[0]?.assistant_transcript).toBe('You have a letter to Anna in there.');
    const toolMessage = chatMessages(1).find((m) => m.role === 'tool');
    expect(text(toolMessage)).toContain('letter-to-anna.txt');
    await rm(docs, { recursive: true, force: true });
  });

  it('type instead of talk: a mixed voice + text conversation where the typed message barges in', async () => {
    fake.reset();
    fake.scriptChat({ text: 'Here is a long first answer. It goes on for a while so that a typed message can cut it off. Still talking.' });
    fake.scriptChat({ text: 'Yes, the meeting is at three.' });
    const r = await cli(['talk', '--engine', engine, '--input', fixturePath('question.wav'), '--text', 'Is the meeting at three?', '--barge-in-after-ms', '600', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = parse(r.stdout);
    expect(s.turns.map((t) => t.outcome)).toEqual(['interrupted', 'completed']);
    expect(s.turns[1]).toMatchObject({ user_transcript: 'Is the meeting at three?', assistant_transcript: 'Yes, the meeting is at three.' });
    // The typed words reach the model as text, after what was heard of the first answer.
    const second = chatMessages(1);
    expect(text(second.at(-1))).toBe('Is the meeting at three?');
    expect(second.filter((m) => m.role === 'assistant').map(text).join(' ')).not.toContain('Still talking.');
  });

  it('a barge-in: the answer is cut where it was heard, and the next request holds only the heard part', async () => {
    fake.reset();
    const long = 'The first sentence is short. The second sentence is a little longer than that. The third one ends the answer much later.';
    fake.scriptChat({ text: long });
    fake.scriptChat({ text: 'Sure.' });
    const r = await cli(['talk', '--engine', engine, '--input', fixturePath('question.wav'), '--input', fixturePath('question.wav'), '--barge-in-after-ms', '900', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = parse(r.stdout);
    expect(s.turns[0]?.outcome).toBe('interrupted');
    const heardMs = s.turns[0]?.truncated_at_ms ?? 0;
    console.log(
      `${engine} barge-in after 900 ms → truncated_at_ms ${heardMs}; heard "${s.turns[0]?.assistant_transcript}"; ` +
        `costs ${s.turns.map((t) => `${t.cost_usd}${t.cost_estimated ? ' (estimated)' : ''}`).join(', ')}`,
    );
    expect(heardMs).toBeGreaterThan(600);
    expect(heardMs).toBeLessThan(1600);
    // The fake streams faster than real time: every request had finished before the key, so both
    // turns are priced from the usage the service reported, not estimated.
    expect(s.turns.map((t) => t.cost_estimated)).toEqual([false, false]);
    expect(s.cost_estimated).toBe(false);
    const earlier = chatMessages(1).filter((m) => m.role === 'assistant');
    const replayed = earlier.map(text).join(' ');
    // The answer the model is reminded of stops near where the user stopped hearing it.
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed).not.toContain('The third one ends the answer much later.');
    expect(long.startsWith(replayed.replace(/\s*\[.*\]\s*$/, '').replace(/…$/, '').trim().slice(0, 10))).toBe(true);
  });
});
