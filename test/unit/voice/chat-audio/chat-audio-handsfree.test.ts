/**
 * Hands-free on the chat-audio engine: no server detects turns, so the local VAD does — the user's
 * pause ends the turn and sends it; the user speaking over the answer stops and cancels it.
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { INTERRUPTED_MARK } from '../../../../main/voice/engine/http/chat-messages.ts';
import { CHAT, chatBody, httpSessionTests, until, wavPcm } from '../http/session-kit.ts';

const t = httpSessionTests('chat-audio');

const silence = new Int16Array(480);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('chat-audio engine: hands-free', () => {
  it('a pause ends the turn and sends it; speaking over the answer cancels it and keeps the heard part', async () => {
    const rig = await t.start({
      fake: { speedup: 1 },
      config: { turnMode: 'hands-free', handsFree: { type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 } },
    });
    const { fake, h } = rig;
    fake.scriptChat({ text: 'Sure. Here is a long answer about your files and folders, with many details that you may not want to hear.' });
    h.playback.hold = true;
    h.session.hotkeyDown();
    await h.waitState('listening');
    const turnId = h.capture.started.at(-1) ?? '';
    const push = async (pcm: Int16Array, realtime: boolean): Promise<void> => {
      for (let i = 0; i < pcm.length; i += 480) {
        h.session.pushCapture(turnId, pcm.subarray(i, i + 480));
        if (realtime) await sleep(20);
      }
    };
    // The user asks, then is quiet: the local VAD ends the turn after 500 ms of silence.
    for (let i = 0; i < 10; i++) await push(silence, false);
    await push(t.speech.question, false);
    for (let i = 0; i < 40; i++) await push(silence, false);
    const first = await fake.waitForRequest(CHAT);
    const part = (chatBody(first).messages[1]?.content as ChatCompletionContentPart[])[0];
    if (part?.type !== 'input_audio') throw new Error('no audio part');
    const sent = wavPcm(part.input_audio.data);
    // The question whole, with up to the prefix padding before it and the closing silence after it.
    expect(sent.length).toBeGreaterThan(t.speech.question.length);
    expect(sent.length).toBeLessThan(t.speech.question.length + 24 * (300 + 60 + 500 + 40));
    await until(() => [...h.playback.written.values()].some((n) => n >= 24 * 1000), 'a second of the answer');
    h.playback.renderedOnStop = 24 * 600; // 600 ms heard
    // The user talks over the answer: the local VAD hears it, the answer stops and is cancelled.
    await push(t.speech.question.subarray(0, 24_000), true);
    await until(() => h.rec.turns.length >= 1, 'the first turn to end');
    expect(h.rec.turns[0]?.outcome).toBe('interrupted');
    expect(h.rec.turns[0]?.truncatedAtMs).toBe(600);
    expect(h.playback.stops).toBeGreaterThanOrEqual(1);
    // The interruption is itself a turn: after its pause, it is sent with the heard part before it.
    fake.scriptChat({ text: 'Yes.' });
    for (let i = 0; i < 40; i++) await push(silence, false);
    const second = await fake.waitForRequest(CHAT, (r) => r !== first);
    const m = chatBody(second).messages;
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user']);
    // 600 ms at about 15 characters a second: 9 characters, so only the first sentence ("Sure. Her…").
    expect(m[2]).toEqual({ role: 'assistant', content: `Sure.${INTERRUPTED_MARK}` });
    h.playback.hold = false;
    await until(() => h.rec.turns.length >= 2, 'the second turn to end');
    h.session.hotkeyDown();
    await h.waitState('idle');
  });
});
