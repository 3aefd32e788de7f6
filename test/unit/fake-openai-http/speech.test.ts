/** POST /v1/audio/speech of the fake (pcm, wav, sse), driven by the real openai SDK. */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from './refusal.ts';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import { bytesToPcm16, parseWavPcm16 } from '../../support/fixtures.ts';

let fake: FakeOpenAIHttp;
let client: OpenAI;
const INPUT = 'You have three files: a budget, a letter, and some photos.';
const expectedSamples = (chars: number, msPerChar = 60): number => Math.round((msPerChar * chars * 24000) / 1000);

/** Reads the body chunk by chunk as a player would, noting when each chunk arrived. */
async function readChunks(res: Response): Promise<{ bytes: Buffer; arrivals: number[] }> {
  const parts: Buffer[] = [];
  const arrivals: number[] = [];
  if (!res.body) throw new Error('no body');
  for await (const part of res.body) {
    parts.push(Buffer.from(part));
    arrivals.push(performance.now());
  }
  return { bytes: Buffer.concat(parts), arrivals };
}

beforeAll(async () => {
  fake = await startFakeOpenAIHttp({ speedup: 0 });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
});
afterEach(() => {
  expect(fake.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
  fake.reset();
});
afterAll(() => fake.close());

describe('fake speech', () => {
  it('streams raw 24 kHz PCM16 of speechMsPerChar × input length, cut deterministically from the reply fixture', async () => {
    const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: INPUT, response_format: 'pcm', instructions: 'Speak warmly.' });
    expect(res.headers.get('content-type')).toBe('audio/pcm');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const { bytes } = await readChunks(res);
    const samples = bytesToPcm16(bytes);
    expect(samples.length).toBe(expectedSamples(INPUT.length));
    expect(bytes.equals(Buffer.from(fake.replySamples.buffer, fake.replySamples.byteOffset, bytes.byteLength))).toBe(true);
    const again = Buffer.from(await (await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: INPUT, response_format: 'pcm' })).arrayBuffer());
    expect(again.equals(bytes)).toBe(true);
    expect(fake.requestsTo('/v1/audio/speech')[0]?.json).toMatchObject({ input: INPUT, voice: 'marin', instructions: 'Speak warmly.' });
  });

  it('loops the fixture for long input and shortens audio by speed', async () => {
    const long = 'word '.repeat(200); // 1000 chars → 60 s, longer than the 3.5 s fixture
    const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'cedar', input: long, response_format: 'pcm', speed: 2 });
    const samples = bytesToPcm16(Buffer.from(await res.arrayBuffer()));
    expect(samples.length).toBe(expectedSamples(long.length) / 2);
    const n = fake.replySamples.length;
    expect(samples[n + 1000]).toBe(fake.replySamples[1000]);
  });

  it('answers a WAV whose header describes the audio', async () => {
    const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'Hello.', response_format: 'wav' });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = parseWavPcm16(Buffer.from(await res.arrayBuffer()));
    expect(wav).toMatchObject({ sampleRate: 24000, channels: 1 });
    expect(wav.samples.length).toBe(expectedSamples(6));
  });

  it('sends speech.audio.delta events and a speech.audio.done with usage over SSE', async () => {
    const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: INPUT, response_format: 'pcm', stream_format: 'sse' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice(6)) as { type: string; audio?: string; usage?: { input_tokens: number; output_tokens: number; total_tokens: number } });
    const deltas = events.filter((e) => e.type === 'speech.audio.delta');
    const audio = Buffer.concat(deltas.map((e) => Buffer.from(e.audio ?? '', 'base64')));
    expect(audio.byteLength).toBe(expectedSamples(INPUT.length) * 2);
    expect(deltas.length).toBe(Math.ceil(audio.byteLength / 4800));
    const done = events.at(-1);
    expect(done?.type).toBe('speech.audio.done');
    // Output audio at about one token per 50 ms; the text at about 4 characters per token.
    expect(done?.usage).toEqual({ input_tokens: Math.ceil(INPUT.length / 4), output_tokens: Math.round(0.06 * INPUT.length * 20), total_tokens: Math.ceil(INPUT.length / 4) + Math.round(0.06 * INPUT.length * 20) });
  });

  it('refuses input over 4096 characters, an unknown voice and sse with tts-1', async () => {
    const long = await refusal(client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'a'.repeat(4097), response_format: 'pcm' }));
    expect(long.status).toBe(400);
    expect(long.param).toBe('input');
    expect(long.message).toMatch(/maximum length 4096/);
    const voice = await refusal(client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'robot', input: 'hi', response_format: 'pcm' }));
    expect(voice.param).toBe('voice');
    const sse = await refusal(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi', response_format: 'pcm', stream_format: 'sse' }));
    expect(sse.param).toBe('stream_format');
    const field = await refusal(
      // @ts-expect-error -- `format` is not a speech parameter (response_format is)
      client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'hi', format: 'pcm' }),
    );
    expect(field.code).toBe('unknown_parameter');
    expect(fake.schemaErrors.filter((s) => s.side === 'request')).toHaveLength(1);
  });

  it('paces audio faster than real time by speedup', async () => {
    const paced = await startFakeOpenAIHttp({ speedup: 10 });
    try {
      const c = new OpenAI({ apiKey: 'sk-test', baseURL: paced.baseURL, maxRetries: 0 });
      const input = 'x'.repeat(50); // 3 s of audio → 30 chunks of 100 ms, 10 ms apart at speedup 10
      const started = performance.now();
      const { bytes, arrivals } = await readChunks(await c.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input, response_format: 'pcm' }));
      expect(bytes.byteLength).toBe(expectedSamples(50) * 2);
      const took = (arrivals.at(-1) ?? 0) - started;
      expect(took).toBeGreaterThanOrEqual(29 * 10 - 5);
      expect(took).toBeLessThan(3000); // faster than real time
      expect(paced.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await paced.close();
    }
  });
});
