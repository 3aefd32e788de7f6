/** Chat Completions with audio in and out (the chat-audio engine's path), driven by the real openai SDK. */
import { readFileSync } from 'node:fs';
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from './refusal.ts';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import { bytesToPcm16, fixturePath, parseWavPcm16, readWavPcm16 } from '../../support/fixtures.ts';

let fake: FakeOpenAIHttp;
let client: OpenAI;
const MODEL = 'gpt-audio-mini';
const questionWav = (): string => readFileSync(fixturePath('question.wav')).toString('base64');
const spoken = (): ChatCompletionMessageParam => ({ role: 'user', content: [{ type: 'input_audio', input_audio: { data: questionWav(), format: 'wav' } }] });

interface StreamedAudio {
  id: string;
  samples: Int16Array;
  transcript: string;
  expiresAt: number;
  dataChunks: number;
}

/** Streams one audio answer and collects delta.audio the way a client must (fields arrive in pieces). */
async function streamAudio(c: OpenAI, messages: ChatCompletionMessageParam[]): Promise<StreamedAudio> {
  const stream = await c.chat.completions.create({ model: MODEL, modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'pcm16' }, stream: true, messages });
  const out: StreamedAudio = { id: '', samples: new Int16Array(0), transcript: '', expiresAt: 0, dataChunks: 0 };
  const bytes: Buffer[] = [];
  for await (const chunk of stream) {
    // delta.audio is in the SDK's chunk type (ChatCompletionChunk.Choice.Delta.Audio).
    const audio = chunk.choices[0]?.delta.audio;
    if (!audio) continue;
    if (audio.id) out.id = audio.id;
    if (audio.transcript) out.transcript += audio.transcript;
    if (audio.expires_at) out.expiresAt = audio.expires_at;
    if (audio.data) {
      bytes.push(Buffer.from(audio.data, 'base64'));
      out.dataChunks += 1;
    }
  }
  out.samples = bytesToPcm16(Buffer.concat(bytes));
  return out;
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

describe('fake chat completions with audio', () => {
  it('hears a WAV question and streams a spoken answer: PCM16 24 kHz, transcript, id, expiry', async () => {
    fake.scriptChat({ text: 'Three files.' });
    const answer = await streamAudio(client, [spoken()]);
    expect(answer.transcript).toBe('Three files.');
    expect(answer.id).toMatch(/^audio_/);
    expect(answer.expiresAt * 1000).toBeGreaterThan(Date.now() + 3.9 * 3600_000);
    // 60 ms per character by default, cut from the reply fixture (real speech, not silence).
    expect(answer.samples.length).toBe(Math.round(0.06 * 'Three files.'.length * 24000));
    expect(Buffer.from(answer.samples.buffer).equals(Buffer.from(fake.replySamples.buffer, fake.replySamples.byteOffset, answer.samples.byteLength))).toBe(true);
    expect(answer.dataChunks).toBe(Math.ceil(answer.samples.length / 2400));
    // The spoken question cost audio tokens: about one per 100 ms of the WAV.
    const rec = fake.requestsTo('/v1/chat/completions')[0];
    expect(rec?.status).toBe(200);
  });

  it('bills input audio, output audio and text in usage (non-streamed, WAV out)', async () => {
    const q = readWavPcm16(fixturePath('question.wav'));
    const res = await client.chat.completions.create({ model: MODEL, modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'wav' }, messages: [spoken()] });
    const audio = res.choices[0]?.message.audio;
    if (!audio) throw new Error('no audio');
    const wav = parseWavPcm16(Buffer.from(audio.data, 'base64'));
    expect(wav.sampleRate).toBe(24000);
    expect(audio.transcript).toBe(fake.replyTranscript);
    expect(res.usage?.prompt_tokens_details?.audio_tokens).toBe(Math.round((q.samples.length / 24000) * 10));
    expect(res.usage?.completion_tokens_details?.audio_tokens).toBe(Math.round((wav.samples.length / 24000) * 20));
    expect(res.usage?.completion_tokens_details?.text_tokens).toBeGreaterThan(0);
  });

  it('continues a conversation by referring to the previous answer audio id; the referred audio is billed as input', async () => {
    const first = await streamAudio(client, [spoken()]);
    const res = await client.chat.completions.create({
      model: MODEL,
      modalities: ['text', 'audio'],
      audio: { voice: 'marin', format: 'wav' },
      messages: [spoken(), { role: 'assistant', audio: { id: first.id } }, { role: 'user', content: 'And the second?' }],
    });
    const alone = await client.chat.completions.create({ model: MODEL, modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'wav' }, messages: [spoken()] });
    expect(res.usage?.prompt_tokens_details?.audio_tokens).toBe((alone.usage?.prompt_tokens_details?.audio_tokens ?? 0) + Math.round((first.samples.length / 24000) * 20));
  });

  it('refuses an audio id it never issued, and one that has expired', async () => {
    const unknown = await refusal(client.chat.completions.create({ model: MODEL, messages: [spoken(), { role: 'assistant', audio: { id: 'audio_made_up' } }, { role: 'user', content: 'and?' }] }));
    expect(unknown.status).toBe(400);
    expect(unknown.param).toBe('messages.[1].audio.id');

    const shortLived = await startFakeOpenAIHttp({ speedup: 0, audioIdTtlMs: 30 });
    try {
      const c = new OpenAI({ apiKey: 'sk-test', baseURL: shortLived.baseURL, maxRetries: 0 });
      const first = await streamAudio(c, [spoken()]);
      const refer = (): Promise<unknown> => c.chat.completions.create({ model: MODEL, messages: [spoken(), { role: 'assistant', audio: { id: first.id } }, { role: 'user', content: 'and?' }] });
      // Wait for the condition (the id has expired), not a guessed sleep: ask until refused, at most 2 s.
      const deadline = Date.now() + 2000;
      let e: unknown = null;
      while (!(e instanceof APIError) && Date.now() < deadline) {
        e = await refer().then(() => new Promise((r) => setTimeout(() => r(null), 10)), (err: unknown) => err);
      }
      if (!(e instanceof APIError)) throw new Error('the audio id never expired');
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/has expired/);
      expect(shortLived.schemaErrors.filter((s) => s.side === 'response')).toEqual([]);
    } finally {
      await shortLived.close();
    }
  });

  it('refuses audio output from a text model, a missing audio param, and non-pcm16 audio when streaming', async () => {
    const textModel = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'pcm16' }, messages: [{ role: 'user', content: 'hi' }] }));
    expect(textModel.param).toBe('modalities');
    const noParam = await refusal(client.chat.completions.create({ model: MODEL, modalities: ['text', 'audio'], messages: [{ role: 'user', content: 'hi' }] }));
    expect(noParam.param).toBe('audio');
    const wavStream = await refusal(client.chat.completions.create({ model: MODEL, modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'wav' }, stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    expect(wavStream.param).toBe('audio.format');
    const audioIn = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [spoken()] }));
    expect(audioIn.param).toBe('messages.[0].content');
    const badWav = await refusal(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: Buffer.from('not a wav').toString('base64'), format: 'wav' } }] }] }));
    expect(badWav.param).toBe('messages.[0].content.[0].input_audio.data');
  });

  it('paces streamed audio by speedup: a 2.4 s answer at speedup 8 takes at least 0.3 s', async () => {
    const paced = await startFakeOpenAIHttp({ speedup: 8 });
    try {
      const c = new OpenAI({ apiKey: 'sk-test', baseURL: paced.baseURL, maxRetries: 0 });
      paced.scriptChat({ text: 'x'.repeat(40) }); // 40 chars × 60 ms = 2.4 s
      const started = performance.now();
      const answer = await streamAudio(c, [spoken()]);
      expect(answer.samples.length).toBe(2.4 * 24000);
      // 24 chunks of 100 ms, 23 waits of 12.5 ms between them.
      expect(performance.now() - started).toBeGreaterThanOrEqual(23 * 12.5 - 5);
      expect(paced.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await paced.close();
    }
  });
});
