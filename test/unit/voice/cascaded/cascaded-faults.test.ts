/** Each fault of the HTTP fake gives the user a clear message, and the next turn works. */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.ts';
import { API_KEY, httpSessionTests, warnings } from '../http/session-kit.ts';

const t = httpSessionTests('cascaded');

/** A failed turn with a message containing every `parts`, then a turn that works. */
async function failsThenRecovers(x: Harness, parts: string[]): Promise<void> {
  const failed = await x.talk(t.speech.question);
  expect(failed.outcome).toBe('failed');
  const message = warnings(x).find((m) => parts.every((p) => m.includes(p)));
  expect(message, `a notice with ${parts.join(' + ')} among ${JSON.stringify(warnings(x))}`).toBeDefined();
  expect(x.session.status().state).not.toBe('error');
  const next = await x.talk(t.speech.question);
  expect(next.outcome).toBe('completed');
  expect(next.assistantText.length).toBeGreaterThan(5);
}

describe('cascaded engine: faults', () => {
  it('waits out a slow first byte within the timeout', async () => {
    const { fake, h } = await t.start();
    fake.slowFirstByte('/v1/chat/completions', 1200);
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(rec.latency.commitToFirstAudioMs).toBeGreaterThanOrEqual(1200);
  });

  it('gives up on a first byte slower than the timeout, naming the stage and URL', async () => {
    // The timeout also bounds the next turn's requests: 3 s leaves them room on a loaded machine,
    // and a first byte at 10 s is still far beyond it.
    const { fake, h } = await t.start({ cascaded: { timeoutMs: 3000, maxRetries: 0 } });
    fake.slowFirstByte('/v1/audio/speech', 10_000);
    await failsThenRecovers(h, ['speech stage', fake.baseURL, 'did not answer in time']);
  });

  it('retries a 500 (the SDK retry) and the turn completes', async () => {
    const { fake, h } = await t.start();
    fake.failNext('/v1/chat/completions', { status: 500 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(fake.requestsTo('/v1/chat/completions')).toHaveLength(2);
    expect(warnings(h)).toEqual([]);
  });

  it('reports a 500 that outlasts the retries', async () => {
    const { fake, h } = await t.start({ cascaded: { maxRetries: 1 } });
    fake.failNext('/v1/chat/completions', { status: 500, count: 2, message: 'The server had an error.' });
    await failsThenRecovers(h, ['chat stage', fake.baseURL, 'HTTP 500', 'Try again']);
  });

  it('honours a short retry-after on 429', async () => {
    const { fake, h } = await t.start();
    fake.failNext('/v1/audio/transcriptions', { status: 429, retryAfterS: 1 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    const [refused, retried] = fake.requestsTo('/v1/audio/transcriptions');
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('does not make the user wait for a long retry-after: says how long instead', async () => {
    const { fake, h } = await t.start();
    fake.failNext('/v1/audio/transcriptions', { status: 429, retryAfterS: 40 });
    await failsThenRecovers(h, ['transcription stage', 'rate-limited', 'wait 40 s']);
    expect(fake.requestsTo('/v1/audio/transcriptions')).toHaveLength(2); // refused once, not retried; then the next turn
  });

  it('reports a speech stream dropped mid-answer', async () => {
    const { fake, h } = await t.start();
    fake.dropMidStream('/v1/audio/speech', { afterChunks: 2 });
    await failsThenRecovers(h, ['speech stage', 'dropped the connection mid-answer']);
  });

  it('reports a chat stream dropped mid-answer', async () => {
    const { fake, h } = await t.start();
    fake.dropMidStream('/v1/chat/completions', { afterChunks: 2 });
    await failsThenRecovers(h, ['chat stage', 'dropped the connection mid-answer']);
  });

  it('stops on a rejected key (fatal), and works once the key is fixed', async () => {
    const { fake, h } = await t.start({ credentials: (f) => async () => ({ apiKey: key, baseURL: f.baseURL }) });
    let key = 'sk-wrong-key-abcdefghijklmnop';
    const failed = await h.talk(t.speech.question);
    expect(failed.outcome).toBe('failed');
    expect(h.session.status().state).toBe('error');
    const notice = h.rec.notices.find((n) => n.subject === 'api-key');
    expect(notice?.message).toContain('API key was rejected');
    expect(JSON.stringify(h.rec.notices)).not.toContain(key);
    expect(fake.requestsTo('/v1/audio/transcriptions')).toHaveLength(1); // a 401 is not retried
    key = API_KEY;
    const next = await h.talk(t.speech.question);
    expect(next.outcome).toBe('completed');
  });

  it('falls back to the fallback transcription model when the configured one is refused, and says so once', async () => {
    const { fake, h } = await t.start();
    fake.failNext('/v1/audio/transcriptions', { status: 404, code: 'model_not_found', message: 'The model `gpt-transcribe` does not exist or you do not have access to it.' });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(rec.userText).toBe('What files are in my documents folder?');
    const models = fake.requestsTo('/v1/audio/transcriptions').map((r) => r.form?.['model']);
    expect(models).toEqual(['gpt-transcribe', 'gpt-4o-mini-transcribe']);
    expect(warnings(h).filter((m) => m.includes('gpt-4o-mini-transcribe'))).toHaveLength(1);
    const next = await h.talk(t.speech.question);
    expect(next.outcome).toBe('completed');
    expect(fake.requestsTo('/v1/audio/transcriptions').at(-1)?.form?.['model']).toBe('gpt-4o-mini-transcribe');
    expect(warnings(h).filter((m) => m.includes('gpt-4o-mini-transcribe'))).toHaveLength(1);
    expect(next.model).toBe('gpt-4o-mini-transcribe → gpt-4.1-mini → gpt-4o-mini-tts');
  });
});
