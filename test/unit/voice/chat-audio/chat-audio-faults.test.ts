/**
 * Each fault of the fake HTTP server on the chat-audio engine: the user is told which stage and
 * which URL failed and what to do, the turn ends, and the next turn works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, CHAT, chatBody, httpSessionTests, warnings } from '../http/session-kit.ts';
import type { Rig } from '../http/session-kit.ts';
import { sseEvent, startStallingProxy } from '../http/stalling-proxy.ts';
import type { StallingProxy } from '../http/stalling-proxy.ts';

const t = httpSessionTests('chat-audio');
let proxy: StallingProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

/** The next turn works and its request is valid (the fake answered 200). */
async function nextTurnWorks(r: Rig): Promise<void> {
  const before = r.fake.requestsTo(CHAT).length;
  const rec = await r.h.talk(t.speech.followup);
  expect(rec.outcome).toBe('completed');
  expect(rec.assistantText).toBe(r.fake.replyTranscript);
  expect(r.fake.requestsTo(CHAT).slice(before).map((x) => x.status)).toEqual([200]);
  expect(r.h.session.status().state).toBe('idle');
}

describe('chat-audio engine: faults', () => {
  it('500 on every try: says which stage and URL failed, after the SDK retried twice; the next turn works', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.failNext(CHAT, { status: 500, count: 3 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([500, 500, 500]);
    const [message] = warnings(rig.h);
    expect(message).toContain(`chat audio stage (${fake.baseURL})`);
    expect(message).toContain('HTTP 500');
    expect(message).toContain('Try again');
    await nextTurnWorks(rig);
    // The failed turn's question stays in the conversation (as on the Realtime service), its answer does not exist.
    expect(chatBody(fake.requestsTo(CHAT).at(-1)).messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
  });

  it('429 with a short retry-after: waited for and retried, the user hears the answer', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.failNext(CHAT, { status: 429, retryAfterS: 1 });
    const started = performance.now();
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([429, 200]);
    const [a, b] = fake.requestsTo(CHAT);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(900); // retry-after honoured
    expect(performance.now() - started).toBeLessThan(5000);
    expect(warnings(rig.h)).toEqual([]);
  });

  it('429 asking for a long wait: not waited for; the user is told how long; the next turn works', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.failNext(CHAT, { status: 429, retryAfterS: 30 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    expect(fake.requestsTo(CHAT)).toHaveLength(1);
    const [message] = warnings(rig.h);
    expect(message).toContain('rate-limited');
    expect(message).toContain('wait 30 s');
    await nextTurnWorks(rig);
  });

  it('slow first byte beyond the timeout: retried by the SDK, the turn completes', async () => {
    // 3 s: the retry (or the next turn) gets the same timeout and must fit in it on a loaded machine;
    // a first byte at 10 s stays far beyond it.
    const rig = await t.start({ chatAudio: { stage: { timeoutMs: 3000, maxRetries: 2, maxRetryAfterMs: 3000 } } });
    const { fake, h } = rig;
    fake.slowFirstByte(CHAT, 10_000);
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(fake.requestsTo(CHAT).length).toBe(2);
  });

  it('slow first byte with no retry left: "did not answer in time", and the next turn works', async () => {
    // 3 s: the retry (or the next turn) gets the same timeout and must fit in it on a loaded machine;
    // a first byte at 10 s stays far beyond it.
    const rig = await t.start({ chatAudio: { stage: { timeoutMs: 3000, maxRetries: 0, maxRetryAfterMs: 3000 } } });
    const { fake, h } = rig;
    fake.slowFirstByte(CHAT, 10_000);
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    const [message] = warnings(rig.h);
    expect(message).toContain(`chat audio stage (${fake.baseURL}) did not answer in time`);
    await nextTurnWorks(rig);
  });

  it('the stream drops mid-answer: "dropped the connection mid-answer"; the partial answer is not kept; the next turn works', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.dropMidStream(CHAT, { afterChunks: 6 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    expect([...h.playback.written.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // some audio had arrived
    const [message] = warnings(rig.h);
    expect(message).toContain(`chat audio stage (${fake.baseURL}) dropped the connection mid-answer`);
    await nextTurnWorks(rig);
    expect(chatBody(fake.requestsTo(CHAT).at(-1)).messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
  });

  it('401 invalid_api_key: fatal, the key message; the next press tries again and works', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.failNext(CHAT, { status: 401 });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    expect(h.session.status().state).toBe('error');
    expect(h.session.status().message).toBe('The OpenAI API key was rejected.');
    const notice = h.rec.notices.find((n) => n.level === 'error');
    expect(notice?.action).toContain('Settings');
    expect(fake.requestsTo(CHAT)).toHaveLength(1); // never retried
    await nextTurnWorks(rig);
  });

  it('a stream that goes quiet after its headers: given up after the idle limit, "stopped sending mid-answer"; the next turn works', async () => {
    const p = (proxy = await startStallingProxy());
    const rig = await t.start({
      chatAudio: { stage: { timeoutMs: 5000, maxRetries: 0, maxRetryAfterMs: 3000 }, streamIdleMs: 300 },
      credentials: () => async () => ({ apiKey: API_KEY, baseURL: p.url }),
    });
    p.upstream = rig.fake.baseURL;
    // SSE headers and one chunk, then nothing.
    const first = sseEvent({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-audio', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] });
    p.stall = { path: CHAT, contentType: 'text/event-stream', first };
    const started = performance.now();
    const rec = await rig.h.talk(t.speech.question);
    expect(p.stalled).toEqual([CHAT]);
    expect(rec.outcome).toBe('failed');
    expect(performance.now() - started).toBeLessThan(3000);
    const [message] = warnings(rig.h);
    expect(message).toContain(`chat audio stage (${p.url}) stopped sending mid-answer`);
    p.stall = null;
    await nextTurnWorks(rig);
  });
});
