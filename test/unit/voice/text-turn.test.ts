/**
 * Typed turns (issue 11, "type instead of talk") through the real VoiceSession and Realtime engine
 * against the fake Realtime server: the GA `conversation.item.create` of a user `input_text` message,
 * a spoken or text-only answer, a typed barge-in, and typed and spoken turns in one conversation.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { makeHarness } from './harness.ts';
import { finishSessionTest } from './session-test-kit.ts';
import type { Harness } from './harness.ts';

let question: Int16Array;
let fake: FakeRealtime | null = null;
let h: Harness | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

afterEach(async () => {
  await finishSessionTest(fake, h, { noServerErrors: true });
  h = null;
  fake = null;
});

const received = (f: FakeRealtime, type: string): RealtimeEventJson[] => f.received.filter((r) => r.event.type === type).map((r) => r.event);
const played = (hh: Harness): number => [...hh.playback.written.values()].reduce((a, b) => a + b, 0);

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function sendText(hh: Harness, text: string, replyAs: 'voice' | 'text'): string {
  const result = hh.session.sendText(text, replyAs);
  if (!result.sent) throw new Error(`not sent: ${result.reason}`);
  return result.turnId;
}

describe('typed turns against the fake Realtime server', () => {
  it('a typed question gets a spoken answer: input_text item, then response.create; transcript, usage, cost, latency', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const typed = 'What is on my calendar tomorrow?';
    const rec = await h.waitTurn(sendText(h, typed, 'voice'));
    expect(rec.outcome).toBe('completed');
    expect(rec.input).toEqual({ kind: 'text', replyAs: 'voice' });

    // On the wire: the GA user message item with input_text content, then a plain response.create.
    const create = received(fake, 'conversation.item.create')[0] as { item: Record<string, unknown> } | undefined;
    expect(create?.item).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: typed }] });
    const itemId = String(create?.item['id']);
    expect(itemId.length).toBeLessThanOrEqual(32);
    const types = fake.received.map((r) => r.event.type);
    expect(types.indexOf('response.create')).toBeGreaterThan(types.indexOf('conversation.item.create'));
    expect(received(fake, 'response.create')[0]?.['response']).toBeUndefined();
    expect(types.filter((t) => t.startsWith('input_audio_buffer.'))).toEqual([]);
    // The service placed our item (with our id) in the conversation.
    expect(fake.sent.some((r) => r.event.type === 'conversation.item.added' && (r.event['item'] as { id?: string }).id === itemId)).toBe(true);

    // Transcripts: the typed text is the user's entry, final at once, emitted before the answer's.
    expect(rec.userItemId).toBe(itemId);
    expect(rec.userText).toBe(typed);
    expect(rec.assistantText).toBe(fake.replyTranscript);
    const firstUser = h.rec.transcripts.findIndex((t) => t.role === 'user');
    const firstAssistant = h.rec.transcripts.findIndex((t) => t.role === 'assistant');
    expect(h.rec.transcripts[firstUser]).toMatchObject({ itemId, text: typed, final: true });
    expect(firstUser).toBeLessThan(firstAssistant);

    // Spoken: all reply audio went to the player.
    expect(played(h)).toBe(fake.replySamples.length);
    // Usage and cost: the typed text is input text, the answer output audio.
    expect(rec.usage.inputTextTokens).toBeGreaterThan(0);
    expect(rec.usage.inputAudioTokens).toBe(0);
    expect(rec.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(rec.costUsd).toBeGreaterThan(0);
    const m = h.rec.metrics.at(-1);
    expect(m?.turnId).toBe(rec.turnId);
    expect(m?.costUsd).toBe(rec.costUsd);
    // Latency: sent → item written, item written → first audio, total sent → first sample played.
    console.log('typed turn latency', JSON.stringify(rec.latency));
    expect(rec.latency.keyUpToCommitMs).not.toBeNull();
    expect(rec.latency.commitToFirstAudioMs).not.toBeNull();
    expect(rec.latency.totalMs).not.toBeNull();
    expect(h.session.status().state).toBe('idle');
  });

  it('"text only" for a turn: response.create asks for output_modalities ["text"], nothing is played', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const rec = await h.waitTurn(sendText(h, 'Spell "necessary" for me.', 'text'));
    expect(rec.outcome).toBe('completed');
    expect(rec.input).toEqual({ kind: 'text', replyAs: 'text' });
    expect(received(fake, 'response.create')[0]?.['response']).toEqual({ output_modalities: ['text'] });
    expect(fake.sent.some((r) => r.event.type === 'response.output_text.done')).toBe(true);
    expect(fake.sent.some((r) => r.event.type === 'response.output_audio.delta')).toBe(false);
    expect(played(h)).toBe(0);
    expect(rec.assistantText).toBe(fake.replyTranscript);
    const answer = h.rec.transcripts.filter((t) => t.role === 'assistant').at(-1);
    expect(answer).toMatchObject({ text: fake.replyTranscript, final: true, truncated: false });
    expect(rec.usage.outputAudioTokens).toBe(0);
    expect(rec.usage.outputTextTokens).toBeGreaterThan(0);
    expect(rec.costUsd).toBeGreaterThan(0);
    // "Answered in": from sending to the first text of the answer.
    expect(rec.latency.totalMs).not.toBeNull();
    expect(rec.latency.totalMs ?? -1).toBeGreaterThanOrEqual(0);
    expect(h.session.status().state).toBe('idle');
  });

  it('typing while the assistant speaks barges in like the hotkey: stop, cancel, truncate at the rendered count, then the text turn', async () => {
    fake = await startFakeRealtime({ speedup: 1 }); // real time: the answer is still being spoken
    h = makeHarness(fake);
    h.playback.hold = true;
    const first = h.talk(question);
    await until(() => played(h as Harness) >= 9600, '400 ms of reply audio');
    h.playback.renderedOnStop = 4800; // 200 ms heard
    h.playback.stopReplyMs = 60;
    h.playback.hold = false;
    const typed = 'Actually, just tell me the time.';
    const second = sendText(h, typed, 'voice');
    expect(h.playback.stops).toBe(1); // the player was stopped at once
    const firstRec = await first;
    const secondRec = await h.waitTurn(second);
    expect(firstRec.outcome).toBe('interrupted');
    expect(firstRec.truncatedAtMs).toBe(200);
    expect(secondRec.outcome).toBe('completed');
    expect(secondRec.userText).toBe(typed);

    // Wire order: cancel, truncate at what was heard, then the typed item and its response.create.
    const ids = fake.received.map((r) => r.event);
    const at = (pred: (e: RealtimeEventJson) => boolean): number => ids.findIndex(pred);
    const cancel = at((e) => e.type === 'response.cancel');
    const truncate = at((e) => e.type === 'conversation.item.truncate');
    const item = at((e) => e.type === 'conversation.item.create');
    const respond = ids.map((e, i) => (e.type === 'response.create' ? i : -1)).filter((i) => i >= 0).at(-1) ?? -1;
    expect(cancel).toBeGreaterThanOrEqual(0);
    expect(cancel).toBeLessThan(truncate);
    expect(truncate).toBeLessThan(item);
    expect(item).toBeLessThan(respond);
    expect(ids[truncate]?.['audio_end_ms']).toBe(200);
    expect(ids[truncate]?.['item_id']).toBe(firstRec.assistantItemIds[0]);

    // The cut answer is marked and stands above the typed question, which stands above its answer.
    const order = [...new Map(h.rec.transcripts.map((t) => [t.itemId, t])).values()];
    const cut = order.find((t) => t.itemId === firstRec.assistantItemIds[0]);
    expect(cut?.truncated).toBe(true);
    const positions = [firstRec.assistantItemIds[0], secondRec.userItemId, secondRec.assistantItemIds[0]].map((id) => order.findIndex((t) => t.itemId === id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(h.session.status().state).toBe('idle');
  });

  it('typing while a text-only answer streams cancels it and keeps what was shown, marked as cut', async () => {
    fake = await startFakeRealtime({ speedup: 0.5, replyTranscript: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen' });
    h = makeHarness(fake);
    const first = sendText(h, 'Count slowly.', 'text');
    await until(() => h?.rec.transcripts.some((t) => t.role === 'assistant' && t.text.length > 0) ?? false, 'the first words of the answer');
    const second = sendText(h, 'Stop counting.', 'text');
    const firstRec = await h.waitTurn(first);
    await h.waitTurn(second);
    expect(firstRec.outcome).toBe('interrupted');
    expect(received(fake, 'response.cancel')).toHaveLength(1);
    // Nothing was played, so nothing is truncated on the server.
    expect(received(fake, 'conversation.item.truncate')).toHaveLength(0);
    const cut = h.rec.transcripts.filter((t) => t.itemId === firstRec.assistantItemIds[0]).at(-1);
    expect(cut?.truncated).toBe(true);
    expect(cut?.text.length).toBeLessThan(fake.replyTranscript.length);
    expect(received(fake, 'response.create').map((e) => e['response'])).toEqual([{ output_modalities: ['text'] }, { output_modalities: ['text'] }]);
  });

  it('typed and spoken turns share one conversation on one socket; the typed text is in the context of the next answer', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const spoken1 = await h.talk(question);
    const typed = await h.waitTurn(sendText(h, 'And which of them did I change last?', 'voice'));
    const spoken2 = await h.talk(question);
    expect([spoken1, typed, spoken2].map((r) => r.outcome)).toEqual(['completed', 'completed', 'completed']);
    expect([spoken1, typed, spoken2].map((r) => r.input.kind)).toEqual(['voice', 'text', 'voice']);
    expect(fake.connections).toBe(1);
    // The third answer's input holds the typed message as text (more input text than the first's).
    expect(spoken2.usage.inputTextTokens).toBeGreaterThan(spoken1.usage.inputTextTokens);
    expect(typed.userText).toBe('And which of them did I change last?');
    expect(h.session.turnLog().map((r) => r.userText)).toEqual(['What files are in my documents folder?', 'And which of them did I change last?', 'What files are in my documents folder?']);
  });

  it('refuses a typed message while a spoken question is being recorded, and an empty one', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    expect(h.session.sendText('   ', 'voice')).toMatchObject({ sent: false });
    h.session.hotkeyDown();
    await h.waitState('listening');
    const refused = h.session.sendText('hello', 'voice');
    expect(refused.sent).toBe(false);
    expect(refused.sent ? '' : refused.reason).toMatch(/Finish speaking first/);
    expect(received(fake, 'conversation.item.create')).toHaveLength(0);
  });
});
