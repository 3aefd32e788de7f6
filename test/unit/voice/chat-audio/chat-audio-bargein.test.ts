/**
 * Barge-in on the chat-audio engine: the answer's request is aborted, and the next request carries
 * only what the user heard of it, marked as interrupted, never its audio id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import { INTERRUPTED_MARK } from '../../../../main/voice/engine/http/chat-messages.ts';
import type { TurnRecord } from '../../../../main/voice/index.ts';
import { CHAT, chatBody, httpSessionTests, until } from '../http/session-kit.ts';
import type { Rig } from '../http/session-kit.ts';

const t = httpSessionTests('chat-audio');
let other: FakeOpenAIHttp | null = null;

afterEach(async () => {
  await other?.close();
  other = null;
});

const LONG =
  'Sure. Here is a long answer about your files and folders, with many details that you may not want to hear at all. It goes on for a while.';

/** Starts a spoken turn and resolves when `ms` of its answer has reached the player (with the turn's end, wrapped). */
async function talkUntilHeard(r: Rig, pcm: Int16Array, ms: number): Promise<{ ended: Promise<TurnRecord> }> {
  const ended = r.h.talk(pcm);
  await until(() => [...r.h.playback.written.values()].some((n) => n >= ms * 24), `${ms} ms of the answer`);
  return { ended };
}

describe('chat-audio engine: barge-in', () => {
  it('mid-stream: aborts the request, and the next request holds only the heard words, marked as interrupted', async () => {
    // Real-time pacing: the answer (about 8 s) is still streaming when the user cuts in after 1 s.
    const rig = await t.start({ fake: { speedup: 1 } });
    const { fake, h } = rig;
    fake.scriptChat({ text: LONG });
    h.playback.hold = true;
    h.playback.renderedOnStop = 24_000; // the player had played 1 s
    const { ended } = await talkUntilHeard(rig, t.speech.question, 1500);
    h.session.stopSpeaking();
    const rec = await ended;
    expect(rec.outcome).toBe('interrupted');
    expect(rec.truncatedAtMs).toBe(1000);
    // The cut-off answer was still billed: its usage is estimated from what arrived (≥ 1.5 s of audio).
    expect(rec.usage.outputAudioTokens).toBeGreaterThanOrEqual(30);
    // …and the cost says it is an estimate, on the record and in the figures the window shows.
    expect(rec.costEstimated).toBe(true);
    expect(h.rec.metrics.at(-1)?.costEstimated).toBe(true);
    expect(rec.assistantText.length).toBeLessThan(LONG.length);

    h.playback.hold = false;
    h.playback.renderedOnStop = null;
    fake.scriptChat({ text: 'Yes.' });
    const second = await h.talk(t.speech.followup);
    expect(second.outcome).toBe('completed');
    const m = chatBody(fake.requestsTo(CHAT)[1]).messages;
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user']);
    // 1 s at a typical 15 characters a second, cut back to whole words: the first sentence and three words.
    expect(m[2]).toEqual({ role: 'assistant', content: `Sure. Here is a${INTERRUPTED_MARK}` });
  });

  it('after the stream ended, during playback: the heard share of the answer, cut at a word', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.scriptChat({ text: LONG });
    h.playback.hold = true;
    const ended = h.talk(t.speech.question);
    await fake.waitForRequest(CHAT);
    await until(() => h.rec.transcripts.some((t) => t.role === 'assistant' && t.final), 'the whole answer');
    const total = [...h.playback.written.values()][0] ?? 0;
    h.playback.renderedOnStop = Math.floor(total / 2);
    h.session.stopSpeaking();
    const rec = await ended;
    expect(rec.outcome).toBe('interrupted');
    h.playback.hold = false;
    h.playback.renderedOnStop = null;
    await h.talk(t.speech.followup);
    const assistant = chatBody(fake.requestsTo(CHAT)[1]).messages[2];
    const content = assistant?.role === 'assistant' && typeof assistant.content === 'string' ? assistant.content : '';
    expect(content.endsWith(INTERRUPTED_MARK)).toBe(true);
    const heard = content.slice(0, -INTERRUPTED_MARK.length);
    // Half the audio of a complete answer: about half its words, never a broken word, and no audio id.
    expect(LONG.startsWith(heard)).toBe(true);
    expect(LONG.charAt(heard.length)).toMatch(/\s/);
    expect(heard.length).toBeGreaterThan(LONG.length * 0.35);
    expect(heard.length).toBeLessThan(LONG.length * 0.55);
    expect(assistant && 'audio' in assistant ? assistant.audio : undefined).toBeUndefined();
  });

  it('nothing heard: the answer is left out of the next request', async () => {
    const rig = await t.start({ fake: { speedup: 1 } });
    const { fake, h } = rig;
    fake.scriptChat({ text: LONG });
    h.playback.hold = true;
    h.playback.renderedOnStop = 0;
    const { ended } = await talkUntilHeard(rig, t.speech.question, 200);
    h.session.stopSpeaking();
    const rec = await ended;
    expect(rec.outcome).toBe('interrupted');
    expect(rec.truncatedAtMs).toBe(0);
    h.playback.hold = false;
    h.playback.renderedOnStop = null;
    fake.scriptChat({ text: 'Yes.' });
    await h.talk(t.speech.followup);
    expect(chatBody(fake.requestsTo(CHAT)[1]).messages.map((x) => x.role)).toEqual(['system', 'user', 'user']);
  });
});

describe('chat-audio engine: an audio id the service refuses', () => {
  it('sends the answers as text and asks again once', async () => {
    // Turn 1 on one server; turn 2 on another that never issued the id (a changed endpoint).
    const rig = await t.start({
      credentials: (fake) => async () => ({ apiKey: 'sk-test-abcdefghijklmnop', baseURL: other ? other.baseURL : fake.baseURL }),
    });
    const { fake, h } = rig;
    await h.talk(t.speech.question);
    other = await startFakeOpenAIHttp({ speedup: 8 });
    const rec = await h.talk(t.speech.followup);
    expect(rec.outcome).toBe('completed');
    const reqs = other.requestsTo(CHAT);
    expect(reqs.map((r) => r.status)).toEqual([400, 200]);
    const retried = chatBody(reqs[1]).messages[2];
    expect(retried).toEqual({ role: 'assistant', content: fake.replyTranscript });
    expect(h.rec.notices).toEqual([]);
    expect(other.schemaErrors).toEqual([]);
  });
});
