/** Barge-in on the cascaded engine: playback stops, every request is aborted, the history keeps what was heard. */
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_MARK } from '../../../../main/voice/engine/http/chat-messages.ts';
import { chatBody, httpSessionTests, speechInputs, until } from '../http/session-kit.ts';

const t = httpSessionTests('cascaded');

const S1 = 'The first file is notes.txt, which holds your meeting notes.';
// Long, so the fourth sentence's speech cannot start before the barge-in (two requests in flight:
// sentence 4 waits for sentence 2 or 3 to finish).
const S2 = 'The second file is todo.md, a list of seven open tasks for this week, from paying the rent and calling the plumber to answering the letters from the bank and planning the trip in May.';
const S3 = 'There is also an old folder, which you made last year for the papers of the flat you sold in the spring.';
const S4 = 'It has nothing new in it.';
/** 60 ms of speech per character (the fake's default), 24 samples per ms. */
const samplesOf = (text: string): number => text.length * 60 * 24;

describe('cascaded engine: barge-in', () => {
  it('keeps only the heard part of the answer, marked as interrupted, in the next request', async () => {
    const { fake, h } = await t.start({ fake: { speedup: 2 } });
    h.playback.hold = true; // the player keeps "speaking" until stopped
    fake.scriptChat({ text: `${S1} ${S2} ${S3} ${S4}` });
    const first = h.talk(t.speech.question);
    // Heard: all of sentence 1 and a third of sentence 2.
    const heard = samplesOf(S1) + Math.floor(samplesOf(S2) / 3);
    const harness = h;
    await until(() => [...harness.playback.written.values()].reduce((a, b) => a + b, 0) > heard + 4800, 'enough reply audio');
    const speechBefore = fake.requestsTo('/v1/audio/speech').length;
    expect(speechBefore).toBeLessThan(4); // still pipelining: the answer is not all spoken yet
    h.playback.renderedOnStop = heard;
    fake.setUserTranscript('Stop. What about the old folder?');
    fake.scriptChat({ text: 'The old folder is empty.' });
    const second = h.talk(t.speech.question); // the key press barges in
    const interrupted = await first;
    expect(interrupted.outcome).toBe('interrupted');
    expect(interrupted.truncatedAtMs).toBe(Math.floor(heard / 24));
    h.playback.hold = false;
    const next = await second;
    expect(next.outcome).toBe('completed');

    // No speech request started after the barge-in for the rest of the old answer.
    expect(speechInputs(fake).filter((t) => t === S4)).toHaveLength(0);
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[1]);
    const assistant = chat.messages.find((m) => m.role === 'assistant');
    const content = String(assistant?.content);
    expect(content.startsWith(`${S1} The second file`)).toBe(true);
    expect(content).not.toContain('planning the trip in May');
    expect(content).not.toContain(S3);
    expect(content.endsWith(INTERRUPTED_MARK)).toBe(true);
    // What the window shows was cut too.
    expect(interrupted.assistantText).not.toContain(S3);
  });

  it('removes an answer nobody heard from the history', async () => {
    const { fake, h } = await t.start({ fake: { speedup: 1, delays: { speechFirstByteMs: 400 } } });
    h.playback.hold = true;
    fake.scriptChat({ text: `${S1} ${S2}` });
    const first = h.talk(t.speech.question);
    const harness = h;
    await until(() => harness.playback.written.size > 0, 'first reply audio');
    h.playback.renderedOnStop = 0;
    fake.scriptChat({ text: 'Sure.' });
    const second = h.talk(t.speech.question);
    expect((await first).outcome).toBe('interrupted');
    h.playback.hold = false;
    expect((await second).outcome).toBe('completed');
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[1]);
    expect(chat.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
  });
});
