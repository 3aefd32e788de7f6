/** Pipelined speech: at most two requests at once, audio strictly in sentence order. */
import { describe, expect, it } from 'vitest';
import { SpeechQueue } from '../../../../main/voice/engine/cascaded/speech-queue.ts';

interface Pending {
  index: number;
  onAudio: (pcm: Int16Array) => void;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function harness(maxInFlight = 2) {
  const pending: Pending[] = [];
  const emitted: string[] = [];
  const queue = new SpeechQueue(
    {
      speak: (index, _text, onAudio) =>
        new Promise<void>((resolve, reject) => {
          pending.push({ index, onAudio, resolve, reject });
        }),
      sentenceStarted: (index) => emitted.push(`start ${index}`),
      audio: (index, pcm) => emitted.push(`audio ${index}:${pcm[0]}`),
      sentenceDone: (index) => emitted.push(`done ${index}`),
    },
    maxInFlight,
  );
  const req = (index: number): Pending => {
    const p = pending.find((x) => x.index === index);
    if (!p) throw new Error(`no request for ${index}`);
    return p;
  };
  return { queue, pending, emitted, req };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('SpeechQueue', () => {
  it('keeps two requests in flight and emits a later sentence only after the earlier ones', async () => {
    const { queue, pending, emitted, req } = harness();
    queue.add('one');
    queue.add('two');
    queue.add('three');
    expect(pending.map((p) => p.index)).toEqual([0, 1]);
    // Sentence 1 answers first: held back.
    req(1).onAudio(Int16Array.of(10));
    req(1).resolve();
    await tick();
    expect(emitted).toEqual([]);
    expect(pending.map((p) => p.index)).toEqual([0, 1, 2]); // a slot freed: sentence 2 starts
    req(0).onAudio(Int16Array.of(1));
    expect(emitted).toEqual(['start 0', 'audio 0:1']);
    req(0).onAudio(Int16Array.of(2));
    req(0).resolve();
    await tick();
    expect(emitted).toEqual(['start 0', 'audio 0:1', 'audio 0:2', 'done 0', 'start 1', 'audio 1:10', 'done 1']);
    const finished = queue.finish();
    req(2).onAudio(Int16Array.of(20));
    req(2).resolve();
    await finished;
    expect(emitted.slice(-3)).toEqual(['start 2', 'audio 2:20', 'done 2']);
  });

  it('fails on the first failed request and emits nothing more', async () => {
    const { queue, emitted, req } = harness();
    queue.add('one');
    queue.add('two');
    const finished = queue.finish();
    req(1).reject(new Error('speech 500'));
    await expect(finished).rejects.toThrow('speech 500');
    req(0).onAudio(Int16Array.of(1));
    expect(emitted).toEqual([]);
  });

  it('finishes at once with nothing to say', async () => {
    const { queue } = harness();
    await expect(queue.finish()).resolves.toBeUndefined();
  });
});
