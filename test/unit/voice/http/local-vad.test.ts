/** The local VAD of the HTTP engines on real speech: one turn per utterance, with its padding. */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalVad, levelDbfs, vadSettings } from '../../../../main/voice/engine/http/local-vad.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../../support/fixtures.ts';

let question: Int16Array;
beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

function feed(vad: LocalVad, pcm: Int16Array): void {
  for (let i = 0; i < pcm.length; i += 480) vad.push(pcm.subarray(i, Math.min(pcm.length, i + 480)));
}

describe('LocalVad', () => {
  it('maps the settings: threshold to a level, eagerness to the silence that ends a turn', () => {
    expect(vadSettings({ type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 })).toMatchObject({ levelDbfs: -40, prefixPaddingMs: 300, silenceDurationMs: 500 });
    expect(vadSettings({ type: 'server_vad', threshold: 1, prefixPaddingMs: 0, silenceDurationMs: 900 }).levelDbfs).toBe(-20);
    expect(vadSettings({ type: 'semantic_vad', eagerness: 'low' }).silenceDurationMs).toBeGreaterThan(vadSettings({ type: 'semantic_vad', eagerness: 'high' }).silenceDurationMs);
  });

  it('finds one turn in silence + a spoken question + silence, with the prefix padding before it', () => {
    const events: string[] = [];
    let turn: Int16Array[] = [];
    const vad = new LocalVad(vadSettings({ type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 700 }), {
      speechStarted: () => events.push('start'),
      speechStopped: (t) => {
        events.push('stop');
        turn = t;
      },
    });
    const silence = new Int16Array(24_000); // 1 s
    feed(vad, silence);
    expect(events).toEqual([]);
    feed(vad, question);
    expect(events).toEqual(['start']);
    feed(vad, silence);
    expect(events).toEqual(['start', 'stop']);
    const samples = turn.reduce((n, c) => n + c.length, 0);
    // The question (its own leading quiet may be dropped) + ≤ 300 ms padding + the 700 ms of silence.
    expect(samples).toBeGreaterThan(question.length * 0.7);
    expect(samples).toBeLessThanOrEqual(question.length + (300 + 60 + 700 + 40) * 24);
  });

  it('ignores a click and low noise', () => {
    const events: string[] = [];
    const vad = new LocalVad(vadSettings({ type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 }), {
      speechStarted: () => events.push('start'),
      speechStopped: () => events.push('stop'),
    });
    const noise = Int16Array.from({ length: 48_000 }, (_, i) => Math.round(Math.sin(i) * 100)); // about -50 dBFS
    expect(levelDbfs(noise)).toBeLessThan(-45);
    feed(vad, noise);
    const click = new Int16Array(480).fill(20_000); // 20 ms, loud
    vad.push(click);
    feed(vad, new Int16Array(24_000));
    expect(events).toEqual([]);
  });
});
