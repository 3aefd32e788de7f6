/** Faults, keys, TLS and models of the fake, seen through the real openai SDK (its own retries included). */
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import OpenAI, { APIConnectionError, APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import { fixturePath } from '../../support/fixtures.ts';

let fake: FakeOpenAIHttp;
const CHAT = '/v1/chat/completions';
const SPEECH = '/v1/audio/speech';
const hello = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'hello' }] };
const sdk = (maxRetries = 0, apiKey = 'sk-test'): OpenAI => new OpenAI({ apiKey, baseURL: fake.baseURL, maxRetries });

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => new Error('expected a failure, got a success'), (err: unknown) => err);
}

beforeAll(async () => {
  fake = await startFakeOpenAIHttp({ speedup: 0 });
});
afterEach(() => {
  expect(fake.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
  fake.reset();
});
afterAll(() => fake.close());

describe('fake faults', () => {
  it('429 with retry-after: the SDK waits and retries, and the second request succeeds', async () => {
    fake.failNext(CHAT, { status: 429, retryAfterS: 0 });
    const res = await sdk(2).chat.completions.create(hello);
    expect(res.choices[0]?.message.content).toBe(fake.replyTranscript);
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([429, 200]);
  });

  it('429 carries retry-after and the service error JSON', async () => {
    fake.failNext(CHAT, { status: 429 });
    const e = await failure(sdk(0).chat.completions.create(hello));
    if (!(e instanceof APIError)) throw e;
    expect(e.status).toBe(429);
    expect(e.headers.get('retry-after')).toBe('1');
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.type).toBe('requests');
  });

  it('500 three times: the SDK gives up after its two retries (three requests)', async () => {
    fake.failNext(CHAT, { status: 500, count: 3, retryAfterS: 0 });
    const e = await failure(sdk(2).chat.completions.create(hello));
    if (!(e instanceof APIError)) throw e;
    expect(e.status).toBe(500);
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([500, 500, 500]);
    // The fault is used up: the next request works.
    await sdk(0).chat.completions.create(hello);
  });

  it('401 and 400 are not retried; a scripted code and message come through', async () => {
    fake.failNext(SPEECH, { status: 400, code: 'content_policy_violation', message: 'Input refused.' });
    const bad = await failure(sdk(2).audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'hi', response_format: 'pcm' }));
    if (!(bad instanceof APIError)) throw bad;
    expect([bad.status, bad.code, bad.message]).toEqual([400, 'content_policy_violation', '400 Input refused.']);
    fake.failNext(CHAT, { status: 401 });
    const unauthorized = await failure(sdk(2).chat.completions.create(hello));
    if (!(unauthorized instanceof APIError)) throw unauthorized;
    expect(unauthorized.status).toBe(401);
    expect(fake.requestsTo(SPEECH)).toHaveLength(1);
    expect(fake.requestsTo(CHAT)).toHaveLength(1);
  });

  it('503 with retry-after is retried like 500', async () => {
    fake.failNext(SPEECH, { status: 503, retryAfterS: 0 });
    const res = await sdk(1).audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'hi', response_format: 'pcm' });
    expect((await res.arrayBuffer()).byteLength).toBe(Math.round(0.06 * 2 * 24000) * 2);
    expect(fake.requestsTo(SPEECH).map((r) => r.status)).toEqual([503, 200]);
  });

  it('slowFirstByte holds the next request to that path only', async () => {
    fake.slowFirstByte(SPEECH, 200);
    const t0 = performance.now();
    await (await sdk().audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'hi', response_format: 'pcm' })).arrayBuffer();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
    // Other paths were not held, and the next speech request is not either (its fault was used).
    fake.slowFirstByte(SPEECH, 60_000);
    await sdk().chat.completions.create(hello);
    expect(fake.requestsTo(CHAT)[0]?.status).toBe(200);
  });

  it('dropMidStream cuts a chat stream after some chunks: the SDK stream fails instead of ending', async () => {
    fake.scriptChat({ text: 'one two three four five six seven eight' });
    fake.dropMidStream(CHAT, { afterChunks: 3 });
    const stream = await sdk().chat.completions.create({ ...hello, stream: true });
    const got: string[] = [];
    const e = await failure(
      (async () => {
        for await (const c of stream) got.push(c.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(e).toBeInstanceOf(Error);
    expect(got.join('')).toBe('one two'); // role chunk, "one", " two", then the cut
    // The next stream is whole.
    const whole = await sdk().chat.completions.create({ ...hello, stream: true });
    let text = '';
    for await (const c of whole) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe(fake.replyTranscript);
  });

  it('dropMidStream cuts raw speech audio mid-body', async () => {
    fake.dropMidStream(SPEECH, { afterChunks: 2 });
    const res = await sdk().audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'marin', input: 'x'.repeat(100), response_format: 'pcm' });
    let bytes = 0;
    const e = await failure(
      (async () => {
        if (!res.body) throw new Error('no body');
        for await (const part of res.body) bytes += part.byteLength;
      })(),
    );
    expect(e).toBeInstanceOf(Error);
    expect(bytes).toBe(2 * 4800);
  });

  it('an apiKey option refuses other keys with 401 invalid_api_key; a missing key is refused too', async () => {
    const locked = await startFakeOpenAIHttp({ speedup: 0, apiKey: 'sk-right' });
    try {
      const wrong = await failure(new OpenAI({ apiKey: 'sk-wrong-key-123456', baseURL: locked.baseURL, maxRetries: 0 }).models.list());
      if (!(wrong instanceof APIError)) throw wrong;
      expect([wrong.status, wrong.code]).toEqual([401, 'invalid_api_key']);
      expect(wrong.message).not.toContain('sk-wrong-key-123456');
      const res = await fetch(`${locked.baseURL}/models`);
      expect(res.status).toBe(401);
      const ok = await new OpenAI({ apiKey: 'sk-right', baseURL: locked.baseURL, maxRetries: 0 }).models.list();
      expect(ok.data.length).toBeGreaterThan(0);
      expect(locked.requests.map((r) => r.status)).toEqual([401, 401, 200]);
      expect(locked.requests[2]?.headers.authorization).toBe('Bearer sk-right');
      expect(locked.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await locked.close();
    }
  });

  it('refuses models the account may not use with 404 model_not_found, on any endpoint', async () => {
    const picky = await startFakeOpenAIHttp({ speedup: 0, refuseModels: ['gpt-transcribe', 'gpt-5-mini'] });
    try {
      const c = new OpenAI({ apiKey: 'sk-test', baseURL: picky.baseURL, maxRetries: 2 });
      const chat = await failure(c.chat.completions.create({ ...hello, model: 'gpt-5-mini' }));
      if (!(chat instanceof APIError)) throw chat;
      expect([chat.status, chat.code]).toEqual([404, 'model_not_found']);
      expect(chat.message).toContain('gpt-5-mini');
      const file = new File([readFileSync(fixturePath('question.wav'))], 'question.wav', { type: 'audio/wav' });
      const stt = await failure(c.audio.transcriptions.create({ file, model: 'gpt-transcribe' }));
      if (!(stt instanceof APIError)) throw stt;
      expect(stt.status).toBe(404);
      expect((await c.audio.transcriptions.create({ file, model: 'gpt-4o-mini-transcribe' })).text).toBe('What files are in my documents folder?');
      // A 404 is not retried.
      expect(picky.requests.map((r) => r.status)).toEqual([404, 404, 200]);
      expect(picky.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await picky.close();
    }
  });

  it('injects other statuses too: a 404 with the scripted code', async () => {
    fake.failNext(CHAT, { status: 404, code: 'model_not_found', message: 'The model `gpt-4.1-mini` does not exist or you do not have access to it.' });
    const e = await failure(sdk(2).chat.completions.create(hello));
    if (!(e instanceof APIError)) throw e;
    expect([e.status, e.code, e.type]).toEqual([404, 'model_not_found', 'invalid_request_error']);
    expect(fake.requestsTo(CHAT)).toHaveLength(1);
  });

  it('lists and retrieves models; an unknown path is a 404 in the service shape', async () => {
    const models = await sdk().models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini-transcribe');
    expect((await sdk().models.retrieve('gpt-4o-mini-tts')).id).toBe('gpt-4o-mini-tts');
    const missing = await failure(sdk().models.retrieve('gpt-nope'));
    if (!(missing instanceof APIError)) throw missing;
    expect([missing.status, missing.code]).toEqual([404, 'model_not_found']);
    const res = await fetch(`${fake.baseURL}/embeddingz`, { method: 'POST', headers: { authorization: 'Bearer sk-test' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'Invalid URL (POST /v1/embeddingz)' } });
  });

  it('refuses a body that is not JSON with the service 400', async () => {
    const res = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' }, body: '{"model":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/could not parse the JSON body/);
  });

  it('serves https with the test certificate when tls is on', async () => {
    const secure = await startFakeOpenAIHttp({ speedup: 0, tls: true });
    try {
      expect(secure.baseURL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(secure.ca).toContain('BEGIN CERTIFICATE');
      const body = await new Promise<string>((resolve, reject) => {
        get(`${secure.baseURL}/models`, { ca: secure.ca ?? undefined, headers: { authorization: 'Bearer sk-test' } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(JSON.parse(body)).toMatchObject({ object: 'list' });
      // Without trusting the certificate, the SDK cannot connect.
      const e = await failure(new OpenAI({ apiKey: 'sk-test', baseURL: secure.baseURL, maxRetries: 0 }).models.list());
      expect(e).toBeInstanceOf(APIConnectionError);
      expect(secure.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await secure.close();
    }
  });
});
