/** One SDK client per stage: the stage's own URL and key source, a custom CA, errors in words. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import { boundRetryAfter, openStage } from '../../../../main/voice/engine/http/stage-client.ts';
import { describeHttpError } from '../../../../main/voice/engine/http/http-errors.ts';

let fake: FakeOpenAIHttp | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const KEY = 'sk-test-stage-abcdefghijklmnop';

describe('openStage', () => {
  it('trusts the custom CA of the credentials over TLS, and explains an untrusted certificate', async () => {
    fake = await startFakeOpenAIHttp({ tls: true, apiKey: KEY });
    const f = fake;
    const trusted = await openStage('chat', async () => ({ apiKey: KEY, baseURL: f.baseURL, ca: f.ca ?? '' }), { baseURL: null, keySource: 'openai' });
    const reply = await trusted.client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]?.message.content?.length).toBeGreaterThan(0);

    const untrusted = await openStage('chat', async () => ({ apiKey: KEY, baseURL: f.baseURL }), { baseURL: null, keySource: 'openai' }, { timeoutMs: 5000, maxRetries: 0, maxRetryAfterMs: 1000 });
    const err = await untrusted.client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => null,
      (e: unknown) => e,
    );
    const e = describeHttpError(err, untrusted);
    expect(e.fatal).toBe(false);
    expect(e.message).toContain('The chat stage');
    expect(e.message).toContain(f.baseURL);
    expect(e.message).toMatch(/certificate|TLS/);
  });

  it("puts the stage's own URL before the main endpoint, and sends the user's key only when told to", async () => {
    fake = await startFakeOpenAIHttp({ apiKey: null });
    const f = fake;
    let asked = 0;
    const creds = async () => {
      asked++;
      return { apiKey: KEY, baseURL: 'https://main.example/v1' };
    };
    const keyless = await openStage('speech', creds, { baseURL: f.baseURL, keySource: 'none' });
    expect(asked).toBe(0); // a keyless stage of its own does not even need the user's key
    expect(keyless.url).toBe(f.baseURL);
    expect(keyless.mainEndpoint).toBe(false);
    const withKey = await openStage('speech', creds, { baseURL: f.baseURL, keySource: 'openai' });
    await withKey.client.models.list();
    expect(f.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
    const main = await openStage('chat', creds, { baseURL: null, keySource: 'openai' });
    expect(main.url).toBe('https://main.example/v1');
    expect(main.mainEndpoint).toBe(true);
  });
});

describe('boundRetryAfter', () => {
  it('lets the SDK retry a short retry-after and forbids waiting a long one', async () => {
    const answer = (s: string) => async () => new Response('{}', { status: 429, headers: { 'retry-after': s } });
    const short = await boundRetryAfter(answer('2'), 8000)('http://x');
    expect(short.headers.get('x-should-retry')).toBeNull();
    const long = await boundRetryAfter(answer('45'), 8000)('http://x');
    expect(long.headers.get('x-should-retry')).toBe('false');
    expect(long.status).toBe(429);
  });
});
