/** Hands-free on the cascaded engine: the local VAD finds the turns, and speaking over the answer interrupts it. */
import { describe, expect, it } from 'vitest';
import { parseWavPcm16 } from '../../../support/fixtures.ts';
import type { Harness } from '../harness.ts';
import { chatBody, httpSessionTests, until } from '../http/session-kit.ts';

const t = httpSessionTests('cascaded');

function push(x: Harness, pcm: Int16Array): void {
  const turnId = x.capture.started.at(-1);
  if (!turnId) throw new Error('no capture');
  for (let i = 0; i < pcm.length; i += 480) x.session.pushCapture(turnId, pcm.subarray(i, Math.min(pcm.length, i + 480)));
}

const silence = (ms: number): Int16Array => new Int16Array(ms * 24);

describe('cascaded engine: hands-free', () => {
  it('sends each utterance as a turn on its own, and the user speaking cuts the answer off', async () => {
    const { fake, h } = await t.start({ fake: { speedup: 1 }, config: { turnMode: 'hands-free', handsFree: { type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 } } });
    fake.scriptChat({ text: 'The first file is notes.txt, which holds your meeting notes. The second file is todo.md, a list of tasks.' });
    h.session.hotkeyDown(); // opens the conversation
    await h.waitState('listening');
    push(h, silence(500));
    push(h, t.speech.question);
    push(h, silence(800));
    const harness = h;
    h.playback.hold = true;
    await until(() => [...harness.playback.written.values()].reduce((a, b) => a + b, 0) >= 24 * 1200, 'the first answer playing');
    const sent = fake.requestsTo('/v1/audio/transcriptions')[0]?.files[0]?.bytes;
    const samples = parseWavPcm16(sent ?? new Uint8Array()).samples.length;
    expect(samples).toBeGreaterThan(t.speech.question.length * 0.7);
    expect(samples).toBeLessThan(t.speech.question.length + 24 * 1500); // not the leading silence, not the whole capture

    // The user speaks over the answer: it stops, and only what was heard stays.
    h.playback.renderedOnStop = 24 * 1000;
    fake.setUserTranscript('Wait, which one is newer?');
    fake.scriptChat({ text: 'The to-do list.' });
    push(h, t.speech.question);
    await until(() => harness.rec.turns.length >= 1, 'the first turn to end');
    expect(h.rec.turns[0]?.outcome).toBe('interrupted');
    h.playback.hold = false;
    push(h, silence(800));
    await until(() => harness.rec.turns.length >= 2, 'the second turn to end');
    expect(h.rec.turns[1]?.outcome).toBe('completed');
    expect(h.rec.turns[1]?.userText).toBe('Wait, which one is newer?');
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[1]);
    const assistant = String(chat.messages.find((m) => m.role === 'assistant')?.content);
    expect(assistant).toMatch(/^The first file/);
    expect(assistant).not.toContain('todo.md');
    expect(assistant).toContain('interrupted');
    h.session.hotkeyDown(); // closes the conversation
    await h.waitState('idle');
  });
});
