/**
 * The CLI's `--image FILE` (issue 11, "show it the screen"): a real PNG goes out as a user message
 * with `input_image` (and the question as `input_text` when --text follows it), through the same
 * engine path as the window's "Ask about my screen". The fake Realtime server validates every client
 * event against the SDK-derived schema, bills the picture as the service does (85 + 170 per 512 px
 * tile after scaling), and the JSON shows the image tokens and their cost at gpt-realtime-2.1's image
 * price (5 USD per 1M, main/voice/cost/price-table.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeRealtime, validateClientEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath } from '../../support/fixtures.ts';
import { encodePng } from '../../support/png.ts';

const CLI = resolve('main/cli.ts');
let fake: FakeRealtime;
let dir: string;
let screenshot: string;
let png: Buffer;

beforeAll(async () => {
  await ensureFixtures();
  fake = await startFakeRealtime();
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-image-'));
  png = encodePng(1600, 1000, 3);
  screenshot = join(dir, 'screenshot.png');
  await writeFile(screenshot, png);
});
afterAll(async () => {
  expect(fake.schemaErrors).toEqual([]);
  for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

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
  kind: string;
  text: string | null;
  image: { path: string; mime: string; width: number; height: number; detail: string } | null;
  image_tokens: number;
  outcome: string;
  user_transcript: string;
  assistant_transcript: string;
  usage: Record<string, number>;
  cost_usd: number | null;
}
interface Summary {
  ok: boolean;
  turns: TurnJson[];
  images: { label: string; width: number; height: number; detail: string; estimated_tokens: number; image_tokens: number | null; cost_usd: number | null }[];
  usage: Record<string, number>;
  cost_usd: number | null;
}
const summaryOf = (stdout: string): Summary => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Summary;
const receivedSince = (f: FakeRealtime, from: number): RealtimeEventJson[] => f.received.slice(from).map((r) => r.event);

/** 1600 × 1000 at high/auto: fits 2048, short side 1000 → 768, i.e. 1229 × 768: 3 × 2 tiles → 85 + 6 × 170. */
const TOKENS_1600x1000 = 1105;
const IMAGE_PRICE_PER_TOKEN = 5 / 1_000_000;

describe('earshot CLI: --image', () => {
  it('--image FILE --text: one user message with the PNG and the question; image tokens and their cost in the JSON', async () => {
    const from = fake.received.length;
    const question = 'What does this chart show?';
    const r = await cli(['talk', '--image', screenshot, '--text', question, '--reply', 'text', '--json', '--fast', '--model', 'gpt-realtime-2.1'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    console.log('CLI --image JSON (turn):', JSON.stringify({ ...s.turns[0], assistant_transcript: '…' }), 'images:', JSON.stringify(s.images));
    expect(s.ok).toBe(true);
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]).toMatchObject({
      kind: 'image',
      text: question,
      image: { path: screenshot, mime: 'image/png', width: 1600, height: 1000, detail: 'auto' },
      outcome: 'completed',
      user_transcript: question,
      user_picture: 'screenshot.png',
      assistant_transcript: fake.replyTranscript,
      image_tokens: TOKENS_1600x1000,
    });
    expect(s.images).toEqual([
      { turn_id: expect.any(String), label: 'screenshot.png', width: 1600, height: 1000, detail: 'auto', estimated_tokens: TOKENS_1600x1000, image_tokens: TOKENS_1600x1000, cost_usd: expect.closeTo(TOKENS_1600x1000 * IMAGE_PRICE_PER_TOKEN, 12) },
    ]);
    // The turn's cost includes the picture: more than the picture alone, and the run's total equals it.
    expect(s.turns[0]?.cost_usd).toBeGreaterThan(TOKENS_1600x1000 * IMAGE_PRICE_PER_TOKEN);
    expect(s.cost_usd).toBeCloseTo(s.turns[0]?.cost_usd ?? NaN, 12);
    const wire = receivedSince(fake, from);
    const creates = wire.filter((e) => e.type === 'conversation.item.create');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.['item']).toMatchObject({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}`, detail: 'auto' },
        { type: 'input_text', text: question },
      ],
    });
    expect(wire.find((e) => e.type === 'response.create')?.['response']).toEqual({ output_modalities: ['text'] });
  });

  it('mixed with --input and --text in one session: the picture is billed once as a capture, and re-read by later turns', async () => {
    const before = fake.connections;
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--image', screenshot, '--text', 'And this?', '--text', 'Thanks.', '--reply', 'text', '--json', '--fast'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.turns.map((t) => [t.kind, t.outcome])).toEqual([
      ['voice', 'completed'],
      ['image', 'completed'],
      ['text', 'completed'],
    ]);
    expect(s.turns.map((t) => t.image_tokens)).toEqual([0, TOKENS_1600x1000, TOKENS_1600x1000]);
    // The later turn pays to read the picture again (cached or not), but the capture is listed once.
    expect(s.images).toHaveLength(1);
    expect(s.images[0]?.image_tokens).toBe(TOKENS_1600x1000);
    expect(s.usage['inputImageTokens']).toBe(2 * TOKENS_1600x1000);
    expect(fake.connections - before).toBe(1);
  });

  it('--image-detail low: 85 tokens whatever the size; an --image alone is a turn of its own', async () => {
    const from = fake.received.length;
    const r = await cli(['talk', '--image', screenshot, '--image-detail', 'low', '--reply', 'text', '--json', '--fast'], fake);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.turns[0]).toMatchObject({ kind: 'image', text: null, image_tokens: 85, user_transcript: '', user_picture: 'screenshot.png' });
    expect(s.images[0]).toMatchObject({ detail: 'low', image_tokens: 85, cost_usd: expect.closeTo(85 * IMAGE_PRICE_PER_TOKEN, 12) });
    const create = receivedSince(fake, from).find((e) => e.type === 'conversation.item.create');
    expect(create?.['item']).toMatchObject({ content: [{ type: 'input_image', detail: 'low' }] });
    expect((create?.['item'] as { content: unknown[] }).content).toHaveLength(1);
  });

  it('refuses what cannot be sent before connecting, saying why (exit 2)', async () => {
    const before = fake.connections;
    const notImage = join(dir, 'notes.png');
    await writeFile(notImage, 'these are notes, not pixels');
    const huge = join(dir, 'huge.png');
    await writeFile(huge, Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]));
    const cases: [string[], RegExp][] = [
      [['--image', join(dir, 'missing.png')], /Image .*missing\.png: does not exist/],
      [['--image', notImage], /notes\.png: is not a PNG or JPEG image/],
      [['--image', huge], /huge\.png: is 10\.[1-9] MB; images up to 10 MB can be sent/],
      [['--image', screenshot, '--image-detail', 'ultra'], /--image-detail takes auto, low or high, not ultra/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['talk', ...args, '--json'], fake);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(fake.connections).toBe(before);
  }, 90_000);
});
