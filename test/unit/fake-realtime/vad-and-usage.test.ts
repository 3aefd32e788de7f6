/** The fake's energy VAD on real speech, and its token accounting. */
import { describe, expect, it, beforeAll } from 'vitest';
import { Conversation, makeUsage } from '../../support/fake-realtime/conversation.ts';
import type { ConversationEntry } from '../../support/fake-realtime/conversation.ts';
import { EnergyVad } from '../../support/fake-realtime/vad.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

let question: Int16Array;
beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

describe('EnergyVad', () => {
  it('finds one turn in speech padded with silence, with the configured silence and prefix', () => {
    const vad = new EnergyVad({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });
    const lead = new Int16Array(24000); // 1 s silence
    const events = [...vad.push(lead), ...vad.push(question), ...vad.push(new Int16Array(24000))];
    expect(events.map((e) => e.kind)).toEqual(['speech_started', 'speech_stopped']);
    const [start, stop] = events;
    if (start?.kind !== 'speech_started' || stop?.kind !== 'speech_stopped') throw new Error('unexpected edges');
    expect(start.audioStartMs).toBeGreaterThanOrEqual(1000 - 300 - 20);
    expect(start.audioStartMs).toBeLessThan(1000);
    const speechEnd = 1000 + (question.length / 24000) * 1000;
    expect(stop.audioEndMs).toBeGreaterThan(speechEnd - 400);
    expect(stop.audioEndMs).toBeLessThanOrEqual(speechEnd + 520);
  });

  it('stays quiet on silence and on low noise', () => {
    const vad = new EnergyVad({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });
    const noise = new Int16Array(48000).map((_, i) => ((i * 7919) % 200) - 100); // ~ -50 dBFS
    expect(vad.push(new Int16Array(48000))).toEqual([]);
    expect(vad.push(noise)).toEqual([]);
  });
});

describe('Conversation token accounting', () => {
  const entry = (id: string, kind: ConversationEntry['kind'], audioMs: number, text = ''): ConversationEntry => ({
    id, kind, item: {}, audioMs, generatedAudioMs: kind === 'assistant_audio' ? audioMs : 0, text, countedSignature: null,
  });

  it('re-counts the whole conversation, caches the unchanged prefix, and notices truncation', () => {
    const conv = new Conversation();
    conv.insert(entry('u1', 'user_audio', 2500), null);
    const first = conv.countInput('instructions text', 0);
    expect(first.input).toEqual({ text: 5, audio: 25 });
    expect(first.cached).toEqual({ text: 0, audio: 0 });

    const a1 = entry('a1', 'assistant_audio', 3000);
    conv.insert(a1, null);
    conv.insert(entry('u2', 'user_audio', 1000), null);
    const second = conv.countInput('instructions text', 0);
    expect(second.input).toEqual({ text: 5, audio: 25 + 60 + 10 });
    expect(second.cached).toEqual({ text: 5, audio: 25 }); // a1 and u2 are new

    a1.audioMs = 1200; // truncated to what was heard
    const third = conv.countInput('instructions text', 0);
    expect(third.input.audio).toBe(25 + 24 + 10);
    expect(third.cached).toEqual({ text: 5, audio: 25 }); // prefix breaks at the changed item

    const usage = makeUsage(third.input, third.cached, { text: 10, audio: 70 });
    expect(usage.input_tokens).toBe(64);
    expect(usage.input_token_details.cached_tokens).toBe(30);
    expect(usage.total_tokens).toBe(144);
  });

  it('reports no cache below the minimum', () => {
    const conv = new Conversation();
    conv.insert(entry('u1', 'user_audio', 2500), null);
    conv.countInput('x', 1024);
    expect(conv.countInput('x', 1024).cached).toEqual({ text: 0, audio: 0 });
  });
});
