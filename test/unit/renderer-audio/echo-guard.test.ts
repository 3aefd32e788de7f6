import { describe, expect, test } from 'vitest';
import { EchoGuard } from '../../../renderer/audio/echo-guard.ts';
import type { Level } from '../../../renderer/audio/level-meter.ts';

const lv = (rms: number): Level => ({ rms, peak: Math.min(1, rms * 4) });

function guard(strategy: 'duck' | 'none' | 'browser-aec' = 'duck'): { g: EchoGuard; gains: number[] } {
  const gains: number[] = [];
  const g = new EchoGuard(strategy, (v) => gains.push(v));
  g.setCapturing(true);
  return { g, gains };
}

describe('echo guard (duck)', () => {
  test('the user talking clearly over the playback ducks it to 0.2, and it comes back after the hold', () => {
    const { g, gains } = guard();
    for (let i = 0; i < 10; i++) g.onInputLevel(lv(0.01), lv(0.08));
    expect(gains).toEqual([]);
    g.onInputLevel(lv(0.2), lv(0.08));
    expect(gains).toEqual([0.2]);
    for (let i = 0; i < 11; i++) g.onInputLevel(lv(0.01), lv(0.08));
    expect(gains).toEqual([0.2]);
    g.onInputLevel(lv(0.01), lv(0.08));
    expect(gains).toEqual([0.2, 1]);
  });

  test('the echo of the last loud word, arriving after the playback went quiet, does not duck', () => {
    const { g, gains } = guard();
    for (let i = 0; i < 20; i++) g.onInputLevel(lv(0.05), lv(0.1));
    // The assistant pauses; the microphone still hears its last word for ~75 ms (2–3 windows).
    g.onInputLevel(lv(0.05), lv(0.001));
    g.onInputLevel(lv(0.045), lv(0.001));
    g.onInputLevel(lv(0.03), lv(0.001));
    expect(gains).toEqual([]);
    expect(g.isDucked).toBe(false);
  });

  test('the room coupling is learnt: with the echo 20 dB down, a user at a third of the playback level ducks it', () => {
    const { g, gains } = guard();
    // Before learning, the echo is assumed as loud as the playback: a quiet user does not duck.
    g.onInputLevel(lv(0.033), lv(0.1));
    expect(gains).toEqual([]);
    for (let i = 0; i < 40; i++) g.onInputLevel(lv(0.01), lv(0.1));
    expect(g.coupling).toBeCloseTo(0.1, 5);
    g.onInputLevel(lv(0.033), lv(0.1));
    expect(gains).toEqual([0.2]);
  });

  test('outside a turn, or with another strategy, the playback is never touched', () => {
    const { g, gains } = guard();
    g.setCapturing(false);
    g.onInputLevel(lv(0.5), lv(0.05));
    const none = guard('none');
    none.g.onInputLevel(lv(0.5), lv(0.05));
    const aec = guard('browser-aec');
    aec.g.onInputLevel(lv(0.5), lv(0.05));
    expect([...gains, ...none.gains, ...aec.gains]).toEqual([]);
  });
});
