/** POST /v1/audio/transcriptions of the fake, driven by the real openai SDK with the WAV fixtures. */
import { readFileSync } from 'node:fs';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from './refusal.ts';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import { fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import type { FixtureName } from '../../support/fixtures.ts';

let fake: FakeOpenAIHttp;
let client: OpenAI;
const PATH = '/v1/audio/transcriptions';

const upload = (name: FixtureName): Promise<File> => toFile(readFileSync(fixturePath(name)), name, { type: 'audio/wav' });

/** Seconds of audio in a WAV fixture, read independently of the fake. */
function seconds(name: FixtureName): number {
  const wav = readWavPcm16(fixturePath(name));
  return wav.samples.length / wav.channels / wav.sampleRate;
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

describe('fake transcriptions', () => {
  it('transcribes a WAV upload and bills about one audio token per 100 ms', async () => {
    fake.setUserTranscript('Can you read the first one to me, please?');
    const result = await client.audio.transcriptions.create({ file: await upload('followup.wav'), model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Files and folders.' });
    expect(result.text).toBe('Can you read the first one to me, please?');
    const audioTokens = Math.round(seconds('followup.wav') * 10);
    expect(result.usage).toEqual({
      type: 'tokens',
      input_tokens: audioTokens + 5,
      output_tokens: 11,
      total_tokens: audioTokens + 5 + 11,
      input_token_details: { audio_tokens: audioTokens, text_tokens: 5 },
    });
    const [rec] = fake.requestsTo(PATH);
    expect(rec?.form).toMatchObject({ model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Files and folders.' });
    expect(rec?.files[0]?.filename).toBe('followup.wav');
    expect(rec?.files[0]?.bytes.equals(readFileSync(fixturePath('followup.wav')))).toBe(true);
    expect(rec?.status).toBe(200);
  });

  it('accepts a 48 kHz stereo WAV and bills its real length; whisper-1 bills whole seconds', async () => {
    const result = await client.audio.transcriptions.create({ file: await upload('question-48k-stereo.wav'), model: 'whisper-1' });
    expect(result.usage).toEqual({ type: 'duration', seconds: Math.ceil(seconds('question-48k-stereo.wav')) });
  });

  it('streams transcript deltas that add up to the done text, with usage on done', async () => {
    const stream = await client.audio.transcriptions.create({ file: await upload('question.wav'), model: 'gpt-4o-transcribe', stream: true, include: ['logprobs'] });
    const events = [];
    for await (const e of stream) events.push(e);
    const deltas = events.filter((e) => e.type === 'transcript.text.delta');
    const done = events.at(-1);
    expect(deltas.length).toBeGreaterThan(1);
    expect(done?.type).toBe('transcript.text.done');
    if (done?.type !== 'transcript.text.done') return;
    expect(deltas.map((d) => d.delta).join('')).toBe(done.text);
    expect(done.text).toBe('What files are in my documents folder?');
    expect(done.usage?.input_token_details?.audio_tokens).toBe(Math.round(seconds('question.wav') * 10));
    expect(done.logprobs?.length).toBeGreaterThan(0);
  });

  it('refuses streaming with whisper-1, like the service', async () => {
    const e = await refusal(client.audio.transcriptions.create({ file: await upload('question.wav'), model: 'whisper-1', stream: true }));
    expect(e.status).toBe(400);
    expect(e.param).toBe('stream');
  });

  it('refuses audio under 0.1 s and a file that is not audio', async () => {
    const short = await refusal(client.audio.transcriptions.create({ file: await upload('short-tap.wav'), model: 'gpt-4o-mini-transcribe' }));
    expect(short.status).toBe(400);
    expect(short.code).toBe('audio_too_short');
    expect(short.message).toMatch(/Minimum audio length is 0\.1 seconds/);
    const junk = await refusal(client.audio.transcriptions.create({ file: await upload('not-audio.wav'), model: 'gpt-4o-mini-transcribe' }));
    expect(junk.status).toBe(400);
    expect(junk.param).toBe('file');
    const named = await refusal(client.audio.transcriptions.create({ file: await toFile(Buffer.from('hello'), 'notes.txt'), model: 'gpt-4o-mini-transcribe' }));
    expect(named.message).toMatch(/Invalid file format/);
  });

  it('refuses a field the SDK types do not have, and records it as a request-side schema error', async () => {
    // The misspelt field is the point of the test (a variable escapes TypeScript's excess-property check).
    const body = { file: await upload('question.wav'), model: 'gpt-4o-mini-transcribe', temprature: 0.2 };
    const e = await refusal(client.audio.transcriptions.create(body));
    expect(e.status).toBe(400);
    expect(e.code).toBe('unknown_parameter');
    expect(e.param).toBe('temprature');
    expect(fake.schemaErrors).toEqual([expect.objectContaining({ side: 'request', path: PATH })]);
  });

  it('reads nested and repeated form fields back into their JSON shape', async () => {
    await client.audio.transcriptions.create({
      file: await upload('question.wav'),
      model: 'gpt-transcribe',
      chunking_strategy: { type: 'server_vad', threshold: 0.4, silence_duration_ms: 300 },
      keywords: ['Documents', 'Earshot'],
      temperature: 0,
    });
    const rec = fake.requestsTo(PATH)[0];
    expect(rec?.status).toBe(200);
    expect(rec?.form).toMatchObject({ 'chunking_strategy[type]': 'server_vad', 'keywords[]': ['Documents', 'Earshot'], temperature: '0' });
    // A wrong type inside the nested object is caught.
    const e = await refusal(
      client.audio.transcriptions.create({
        file: await upload('question.wav'),
        model: 'gpt-transcribe',
        // @ts-expect-error -- 'client_vad' is not a chunking strategy
        chunking_strategy: { type: 'client_vad' },
      }),
    );
    expect(e.param).toBe('chunking_strategy.type');
  });

  it('answers response_format text as plain text', async () => {
    const text = await client.audio.transcriptions.create({ file: await upload('question.wav'), model: 'gpt-4o-mini-transcribe', response_format: 'text' });
    expect(text.trim()).toBe('What files are in my documents folder?');
  });
});
