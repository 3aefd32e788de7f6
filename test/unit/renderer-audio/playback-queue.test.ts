import { describe, expect, test } from 'vitest';
import { PlaybackQueue, type PlaybackEvent } from '../../../renderer/audio/playback-queue.ts';
import { FrameAssembler } from '../../../renderer/audio/frame-assembler.ts';

const Q = 128;
const opts = { preRollSamples: 480, maxPrimeWaitSamples: 1440, initialCapacity: 256 };
const ramp = (n: number, from = 1): Int16Array => Int16Array.from({ length: n }, (_, i) => from + i);

function renderAll(q: PlaybackQueue, quanta: number): { out: number[]; events: PlaybackEvent[] } {
  const out: number[] = [];
  const events: PlaybackEvent[] = [];
  const buf = new Float32Array(Q);
  for (let i = 0; i < quanta; i++) {
    events.push(...q.render(buf));
    out.push(...Array.from(buf, (v) => Math.round(v * 32768)));
  }
  return { out, events };
}

describe('PlaybackQueue', () => {
  test('plays chunks of odd sizes gap-free across the ring wrap and growth, and counts per item', () => {
    const q = new PlaybackQueue(opts);
    const signal = ramp(3001);
    let at = 0;
    for (const n of [1, 7, 127, 129, 500, 1000, 1237]) {
      q.push('a', signal.subarray(at, at + n));
      at += n;
    }
    q.end('a');
    const { out, events } = renderAll(q, 30);
    expect(out.slice(0, 3001)).toEqual(Array.from(signal));
    expect(out.slice(3001).every((v) => v === 0)).toBe(true);
    expect(events).toContainEqual({ type: 'finished', itemId: 'a', renderedSamples: 3001 });
    expect(events.filter((e) => e.type === 'first')).toHaveLength(1);
    expect(q.underruns).toBe(0);
  });

  test('waits for the pre-roll only when starting from empty with a tiny chunk, then counts an underrun', () => {
    const q = new PlaybackQueue(opts);
    q.push('a', ramp(100));
    expect(renderAll(q, 1).out.every((v) => v === 0)).toBe(true); // primed, not started
    q.push('a', ramp(400, 101));
    const { events } = renderAll(q, 5);
    expect(events.some((e) => e.type === 'first')).toBe(true);
    expect(events).toContainEqual({ type: 'underrun', itemId: 'a', underruns: 1 });
  });

  test('stop reports the exact count, silences at once and drops late chunks of the item', () => {
    const q = new PlaybackQueue(opts);
    q.push('a', ramp(2000));
    renderAll(q, 3);
    const r = q.stop();
    expect(r).toEqual({ itemId: 'a', renderedSamples: 384 });
    expect(q.push('a', ramp(500))).toBe(false);
    expect(renderAll(q, 2).out.every((v) => v === 0)).toBe(true);
  });
});

describe('FrameAssembler', () => {
  test('cuts 480-sample frames numbered from 0 and flushes the partial one', () => {
    const a = new FrameAssembler(480);
    const frames: { n: number; seq: number }[] = [];
    for (let i = 0; i < 9; i++) a.push(new Float32Array(128).fill(0.5), (pcm, seq) => frames.push({ n: pcm.length, seq }));
    expect(frames).toEqual([{ n: 480, seq: 0 }, { n: 480, seq: 1 }]);
    const last = a.flush();
    expect(last?.pcm.length).toBe(9 * 128 - 960);
    expect(last?.seq).toBe(2);
    expect(a.totalSamples).toBe(9 * 128);
    expect(a.flush()).toBeNull();
  });
});
