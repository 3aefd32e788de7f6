import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { makeHarness } from './harness.ts';
import { finishSessionTest } from './session-test-kit.ts';
import { nullLogger } from '../../../main/base/logger.ts';
import type { Harness } from './harness.ts';

let question: Int16Array;
let fake: FakeRealtime | null = null;
let h: Harness | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

afterEach(async () => {
  await finishSessionTest(fake, h);
  h = null;
  fake = null;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
const received = (f: FakeRealtime, type: string, connection?: number): RealtimeEventJson[] =>
  f.received.filter((r) => r.event.type === type && (connection == null || r.connection === connection)).map((r) => r.event);
const played = (hh: Harness): number => [...hh.playback.written.values()].reduce((a, b) => a + b, 0);

describe('barge-in', () => {
  it('stops playback, cancels at once, and truncates at the played position (within 1 ms)', async () => {
    fake = await startFakeRealtime({ speedup: 1 }); // real-time streaming: the response is still active
    h = makeHarness(fake);
    h.playback.hold = true;
    const turn = h.talk(question);
    await until(() => played(h as Harness) >= 24_000, '1 s of reply audio');
    h.playback.renderedOnStop = 12_345; // 514.375 ms actually rendered
    // A slow player: the cancel must not wait for it. 2 s, so that a loaded machine delaying the cancel
    // (same process, same event loop) cannot make it look as if the cancel had waited.
    const PLAYER_MS = 2000;
    h.playback.stopReplyMs = PLAYER_MS;
    const t0 = performance.now();
    h.session.stopSpeaking();
    // response.cancel goes out immediately, before the player answered.
    expect(h.playback.stops).toBe(1);
    const cancel = await fake.waitFor('response.cancel');
    const truncate = await fake.waitFor('conversation.item.truncate');
    const rec = await turn;
    const at = (id: string | undefined): number => fake?.received.find((r) => r.event.event_id === id)?.at ?? NaN;
    const cancelMs = at(cancel.event_id) - t0;
    const truncateMs = at(truncate.event_id) - t0;
    console.log(`barge-in: response.cancel received by the server ${cancelMs.toFixed(1)} ms after the key, truncate ${truncateMs.toFixed(1)} ms (player answers after ${PLAYER_MS} ms)`);
    // Ordering, not a stopwatch: the cancel reached the server before the player had answered,
    // and the truncate (which needs the player's count) only after it.
    expect(cancelMs).toBeLessThan(PLAYER_MS);
    expect(truncateMs).toBeGreaterThanOrEqual(PLAYER_MS);
    expect(truncate['item_id']).toBe(h.playback.lastItem);
    expect(truncate['content_index']).toBe(0);
    expect(Math.abs(Number(truncate['audio_end_ms']) - 12_345 / 24)).toBeLessThanOrEqual(1);
    const order = fake.received.map((r) => r.event.event_id);
    expect(order.indexOf(cancel.event_id)).toBeLessThan(order.indexOf(truncate.event_id));
    expect(rec.outcome).toBe('interrupted');
    expect(rec.truncatedAtMs).toBe(514);
    // The assistant transcript is cut to what was heard and marked.
    const last = h.rec.transcripts.filter((t) => t.role === 'assistant').at(-1);
    expect(last?.truncated).toBe(true);
    expect(last?.final).toBe(true);
    expect(last && last.text.length).toBeLessThan(fake.replyTranscript.length);
    // Usage of the cancelled response still counts.
    expect(rec.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(fake.sent.filter((r) => r.event.type === 'error')).toEqual([]);
    expect(h.session.status().state).toBe('idle');
  });

  it('clamps the truncation to the audio received', async () => {
    fake = await startFakeRealtime({ speedup: 1 });
    h = makeHarness(fake);
    h.playback.hold = true;
    const turn = h.talk(question);
    await until(() => played(h as Harness) >= 4800, '200 ms of reply audio');
    h.playback.renderedOnStop = 10 * 24_000; // more than was ever received
    h.session.stopSpeaking();
    const truncate = await fake.waitFor('conversation.item.truncate');
    await turn;
    const receivedMs = (h.playback.written.get(String(truncate['item_id'])) ?? 0) / 24;
    expect(Number(truncate['audio_end_ms'])).toBeLessThanOrEqual(Math.floor(receivedMs));
    expect(Number(truncate['audio_end_ms'])).toBeGreaterThanOrEqual(Math.floor(receivedMs) - 1);
  });

  it('deletes the item when nothing was heard (0 ms)', async () => {
    fake = await startFakeRealtime({ speedup: 1 });
    h = makeHarness(fake);
    h.playback.hold = true;
    const turn = h.talk(question);
    await until(() => played(h as Harness) > 0, 'first reply audio');
    h.playback.renderedOnStop = 0;
    h.session.stopSpeaking();
    const del = await fake.waitFor('conversation.item.delete');
    const rec = await turn;
    expect(del['item_id']).toBe(h.playback.lastItem);
    expect(received(fake, 'conversation.item.truncate')).toHaveLength(0);
    expect(rec.truncatedAtMs).toBe(0);
  });

  it('the hotkey while the assistant speaks barges in and starts the next turn (hold mode)', async () => {
    fake = await startFakeRealtime({ speedup: 1 });
    h = makeHarness(fake);
    h.playback.hold = true;
    const first = h.talk(question);
    await until(() => played(h as Harness) >= 9600, '400 ms of reply audio');
    h.playback.renderedOnStop = 4800;
    h.session.hotkeyDown();
    expect(h.capture.started).toHaveLength(2);
    await fake.waitFor('response.cancel');
    const truncate = await fake.waitFor('conversation.item.truncate');
    expect(truncate['audio_end_ms']).toBe(200);
    expect((await first).outcome).toBe('interrupted');
    expect(h.session.status().state).toBe('listening');
    // Released at once: the press only meant "stop". Nothing is committed and no hint nags the user.
    const notices = h.rec.notices.length;
    h.session.hotkeyUp();
    await h.waitState('idle');
    expect(h.rec.notices.slice(notices).map((n) => n.message)).not.toContain('That was too short to send.');
    // The clear is on its way when the session is idle: wait for the server to have it (the turn then
    // ended without a commit, which would have gone out instead of the clear).
    await fake.waitFor('input_audio_buffer.clear');
    expect(received(fake, 'input_audio_buffer.commit')).toHaveLength(1);
    expect(received(fake, 'input_audio_buffer.clear').length).toBeGreaterThanOrEqual(1);
  });
});

describe('connection faults', () => {
  it('a drop mid-reply: reconnects, reports the turn failed, replays history, and the next turn works', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { reconnectInitialDelayMs: 50 });
    const ok = await h.talk(question);
    expect(ok.outcome).toBe('completed');
    fake.dropMidReply({ afterDeltas: 3 });
    const dropped = await h.talk(question);
    expect(dropped.outcome).toBe('failed');
    expect(dropped.error).toMatch(/dropped/);
    expect(h.rec.notices.some((n) => /reconnecting/i.test(n.message))).toBe(true);
    expect(h.rec.states()).toContain('reconnecting');
    await until(() => fake?.connections === 2 && (h as Harness).session.status().state === 'idle', 'reconnect');
    await fake.waitFor('conversation.item.create', (e) => JSON.stringify(e).includes(fake?.replyTranscript ?? '???'));
    // History of the completed turn replayed as text items on the new connection.
    const items = received(fake, 'conversation.item.create', 2).map((e) => e['item'] as { role: string; content: { text: string }[] });
    expect(items.map((i) => i.role)).toEqual(['user', 'assistant']);
    expect(items[0]?.content[0]?.text).toBe(ok.userText);
    expect(items[1]?.content[0]?.text).toBe(ok.assistantText);
    expect(received(fake, 'session.update', 2)).toHaveLength(1);
    const again = await h.talk(question);
    expect(again.outcome).toBe('completed');
  });

  it('session_expired + close 1001: renews at once, replays the context, keeps working', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const first = await h.talk(question);
    fake.expireSession();
    await until(() => fake?.connections === 2, 'renewed connection');
    await fake.waitFor('conversation.item.create', (e) => JSON.stringify(e).includes(first.assistantText));
    const session1 = received(fake, 'session.update', 1)[0] as unknown as { session: { instructions: string } };
    const session2 = received(fake, 'session.update', 2)[0] as unknown as { session: { instructions: string; tools: unknown[] } };
    expect(session1.session.instructions.length).toBeGreaterThan(0);
    expect(session2.session.instructions).toBe(session1.session.instructions);
    expect(session2.session.tools).toHaveLength(1);
    expect(h.rec.notices.filter((n) => n.level === 'error')).toEqual([]);
    const second = await h.talk(question);
    expect(second.outcome).toBe('completed');
  });

  it('renews between turns once the session is older than renewAfterMs', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { renewAfterMs: 1000 });
    const first = await h.talk(question);
    await sleep(1100);
    const second = await h.talk(question);
    expect(second.outcome).toBe('completed');
    expect(fake.connections).toBe(2);
    const replay = received(fake, 'conversation.item.create', 2).map((e) => JSON.stringify(e));
    expect(replay.some((s) => s.includes(first.userText))).toBe(true);
  });

  it('a fatal code stops retrying and tells the user what to do', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { reconnectInitialDelayMs: 20 });
    await h.talk(question);
    fake.injectError({ type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided: sk-test-abcdefghijklmnop.' });
    await h.waitState('error');
    const notice = h.rec.notices.find((n) => n.level === 'error');
    expect(notice?.message).toBe('The OpenAI API key was rejected.');
    expect(notice?.action).toMatch(/Settings/);
    expect(JSON.stringify(h.rec)).not.toContain('sk-test-abcdefghijklmnop');
    await sleep(300);
    expect(fake.connections).toBe(1);
    expect(h.session.status().message).toBe('The OpenAI API key was rejected.');
  });

  it('benign errors never end the session', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    await h.talk(question);
    for (const code of ['input_audio_buffer_commit_empty', 'conversation_already_has_active_response', 'response_cancel_not_active']) {
      fake.injectError({ type: 'invalid_request_error', code, message: code });
    }
    await sleep(100);
    expect(h.session.status().state).toBe('idle');
    expect(h.rec.notices.filter((n) => n.level !== 'info')).toEqual([]);
    expect((await h.talk(question)).outcome).toBe('completed');
    expect(fake.connections).toBe(1);
  });

  it('a rate-limited response.create fails the turn cleanly and the session stays usable', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    fake.rateLimitNext();
    const t = await h.talk(question);
    expect(t.outcome).toBe('failed');
    expect(h.rec.notices.some((n) => n.level === 'warning')).toBe(true);
    expect((await h.talk(question)).outcome).toBe('completed');
  });
});

describe('tool calls', () => {
  it('executes the call, returns function_call_output, then response.create after response.done', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    fake.scriptToolCall({ name: 'list_files', arguments: { path: '~/Documents' }, callId: 'call_docs' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    expect(h.tools.calls).toHaveLength(1);
    expect(h.tools.calls[0]).toMatchObject({ callId: 'call_docs', name: 'list_files', argumentsJson: '{"path":"~/Documents"}' });
    const out = received(fake, 'conversation.item.create').find((e) => (e['item'] as { type: string }).type === 'function_call_output');
    expect(out?.['item']).toMatchObject({ type: 'function_call_output', call_id: 'call_docs' });
    // The second response.create comes after the first response.done (server side order).
    const creates = fake.received.filter((r) => r.event.type === 'response.create');
    expect(creates).toHaveLength(2);
    const firstDone = fake.sent.find((r) => r.event.type === 'response.done');
    expect(firstDone && (creates[1]?.at ?? 0) >= firstDone.at).toBe(true);
    expect(rec.toolCalls).toEqual([expect.objectContaining({ name: 'list_files', status: 'done' })]);
    // The fake answers the follow-up response from the tool output.
    expect(rec.assistantText).toContain('notes.txt');
  });

  it('a tool that throws does not kill the session; the model gets the error text', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    h.tools.behaviour = async () => {
      throw new Error('disk on fire');
    };
    fake.scriptToolCall({ name: 'list_files', arguments: { path: '/' } });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const out = received(fake, 'conversation.item.create').find((e) => (e['item'] as { type: string }).type === 'function_call_output');
    expect(String((out?.['item'] as { output: string }).output)).toMatch(/disk on fire/);
  });

  it('stays thinking and says so while a tool waits for approval', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    let release: () => void = () => {};
    h.tools.behaviour = (call) =>
      new Promise((resolve) => {
        for (const l of h?.tools.listeners ?? []) l({ callId: call.callId, name: call.name, arguments: call.argumentsJson, status: 'awaiting-approval' });
        release = () => resolve({ output: 'written', status: 'done', durationMs: 5 });
      });
    fake.scriptToolCall({ name: 'list_files', arguments: { path: '/' } });
    const turn = h.talk(question);
    await until(() => (h?.tools.calls.length ?? 0) === 1, 'tool call');
    await sleep(200);
    expect(h.session.status().state).toBe('thinking');
    expect(h.session.status().message).toMatch(/Waiting for your approval/);
    release();
    expect((await turn).outcome).toBe('completed');
  });
});

describe('hands-free and settings', () => {
  it('press opens a VAD conversation with interrupt_response, press again closes it', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { turnMode: 'hands-free', handsFree: { type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 } });
    h.session.hotkeyDown();
    await h.waitState('listening');
    const upd = (await fake.waitFor('session.update')) as unknown as { session: { audio: { input: { turn_detection: Record<string, unknown> } } } };
    expect(upd.session.audio.input.turn_detection).toMatchObject({ type: 'server_vad', interrupt_response: true, create_response: true, silence_duration_ms: 500 });
    h.session.hotkeyDown();
    await fake.waitFor('session.update', (e) => JSON.stringify(e).includes('"turn_detection":null'));
    expect(h.session.status().state).toBe('idle');
    expect(h.capture.stopped).toHaveLength(1);
  });

  it('hands-free: the server hears the user speak over the answer, and the playback stops where it was heard', async () => {
    fake = await startFakeRealtime({ speedup: 1 });
    const f = fake;
    h = makeHarness(f, { turnMode: 'hands-free', handsFree: { type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 } });
    h.playback.hold = true;
    h.session.hotkeyDown();
    await h.waitState('listening');
    const turnId = h.capture.started.at(-1) ?? '';
    const silence = new Int16Array(480);
    const push = async (pcm: Int16Array, realtime: boolean): Promise<void> => {
      for (let i = 0; i < pcm.length; i += 480) {
        h?.session.pushCapture(turnId, pcm.subarray(i, i + 480));
        if (realtime) await sleep(20);
      }
    };
    // The user asks, then is quiet: the server's VAD ends the turn and answers.
    await push(question, false);
    for (let i = 0; i < 40; i++) await push(silence, false);
    await f.waitFor('input_audio_buffer.speech_stopped', undefined, 5000);
    await until(() => played(h as Harness) >= 12_000, 'half a second of the answer');
    h.playback.renderedOnStop = 7_200; // 300 ms heard
    // The user talks over the answer: speech_started interrupts it.
    await push(question.subarray(0, 24_000), true);
    const truncate = await f.waitFor('conversation.item.truncate', undefined, 5000);
    expect(truncate['audio_end_ms']).toBe(300);
    // The server cancels its own response (interrupt_response): no cancel from us, so no error.
    const errors = f.sent.filter((r) => r.event.type === 'error').map((r) => (r.event.error as { code?: string }).code);
    console.log(`hands-free barge-in: truncate at ${String(truncate['audio_end_ms'])} ms; server errors: ${errors.join(', ') || 'none'}`);
    expect(errors).toEqual([]);
    expect(received(f, 'response.cancel')).toEqual([]);
    expect(h.playback.stops).toBeGreaterThanOrEqual(1);
    h.session.hotkeyDown();
    await h.waitState('idle');
  });

  it('updateConfig applies live settings with session.update and defers the model to the next session', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    await h.talk(question);
    const r = h.session.updateConfig({ instructions: 'Speak like a pirate.', model: 'gpt-realtime-mini', voice: 'ash' });
    expect(r.appliedLive).toEqual(['instructions']);
    expect(r.nextSession.sort()).toEqual(['model', 'voice']);
    const upd = await fake.waitFor('session.update', (e) => JSON.stringify(e).includes('pirate'));
    expect(JSON.stringify(upd)).not.toContain('"voice"');
  });
});

describe('connection life', () => {
  it('keepalive: a connection that stops answering pings is found dead, and the next turn gets a new one', async () => {
    fake = await startFakeRealtime({ speedup: 0 });
    const f = fake;
    const warnings: string[] = [];
    const logger = { ...nullLogger, warn: (message: string) => void warnings.push(message) };
    h = makeHarness(f, { pingIntervalMs: 150, pongTimeoutMs: 300, keepWarmMs: 60_000 }, logger);
    const first = await h.talk(question);
    expect(first.outcome).toBe('completed');
    f.freeze();
    const frozenAt = Date.now();
    await until(() => warnings.some((w) => w.includes('no pong')), 'the dead connection to be noticed', 5000);
    console.log(`keepalive: dead connection noticed ${Date.now() - frozenAt} ms after it went silent (ping 150 ms, pong timeout 300 ms)`);
    // Without keepalive the next turn would be written into a dead socket and hang; it completes.
    const second = await h.talk(question);
    expect(second.outcome).toBe('completed');
    expect(f.connections).toBe(2);
  });

  it('closes the socket and releases the microphone once idle for the warm periods', async () => {
    fake = await startFakeRealtime({ speedup: 0 });
    const f = fake;
    h = makeHarness(f, { keepWarmMs: 400, micWarmMs: 200 });
    await h.talk(question);
    expect(f.openConnections).toBe(1);
    const releases = h.capture.releases;
    await until(() => h?.capture.releases === releases + 1, 'the microphone released after micWarmMs', 3000);
    await until(() => f.openConnections === 0, 'the socket closed after keepWarmMs', 3000);
    // The next press connects again and works.
    const again = await h.talk(question);
    expect(again.outcome).toBe('completed');
    expect(f.connections).toBe(2);
  });

  it('gives up after the last reconnect attempt and tells the user what to do', async () => {
    fake = await startFakeRealtime({ speedup: 0 });
    const f = fake;
    h = makeHarness(f, { reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 40, reconnectMaxAttempts: 2 });
    await h.talk(question);
    const port = f.port;
    await f.close();
    fake = null;
    await until(() => h?.session.status().state === 'error', 'the error state after the attempts ran out', 5000);
    const last = h.rec.notices.at(-1);
    console.log(`out of attempts: "${last?.message}" — ${last?.action ?? ''}`);
    expect(last?.level).toBe('error');
    expect(last?.action).toBeTruthy();
    expect(port).toBeGreaterThan(0);
  });
});
