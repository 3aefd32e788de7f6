import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeWav, encodeWavPcm16, WavFormatError } from '../../../main/voice/audio/wav.ts';
import { downmixToMono, resample, toPcm16Mono } from '../../../main/voice/audio/resample.ts';
import { base64ToPcm, pcmToBase64 } from '../../../main/voice/audio/pcm.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

function sine(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] ?? 0) ** 2;
  return Math.sqrt(s / Math.max(1, to - from));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] ?? 0) - ma;
    const y = (b[i] ?? 0) - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('resampler', () => {
  it('48 kHz → 24 kHz keeps a 1 kHz tone (amplitude and phase) and halves the length', () => {
    const src = sine(1000, 48000, 0.5);
    const out = resample(src, 48000, 24000);
    expect(out.length).toBe(12000);
    const ref = sine(1000, 24000, 0.5);
    // Ignore the edges where the filter sees zeros.
    expect(correlation(out.subarray(200, 11800), ref.subarray(200, 11800))).toBeGreaterThan(0.999);
    expect(rms(out, 200, 11800)).toBeCloseTo(rms(ref), 2);
  });

  it('removes content above the new Nyquist when downsampling (no aliasing)', () => {
    const src = sine(15000, 48000, 0.5); // above 12 kHz: must not fold back to 9 kHz
    const out = resample(src, 48000, 24000);
    expect(rms(out, 200, out.length - 200)).toBeLessThan(0.01); // from 0.35 RMS: > 30 dB down
  });

  it('44.1 kHz → 24 kHz and 16 kHz → 24 kHz keep a 440 Hz tone', () => {
    for (const rate of [44100, 16000]) {
      const out = resample(sine(440, rate, 0.5), rate, 24000);
      expect(Math.abs(out.length - 12000)).toBeLessThanOrEqual(1);
      const ref = sine(440, 24000, 0.5);
      expect(correlation(out.subarray(300, 11700), ref.subarray(300, 11700))).toBeGreaterThan(0.999);
    }
  });

  it('downmixes stereo by averaging', () => {
    const l = new Float32Array([1, 0.5, -1]);
    const r = new Float32Array([0, 0.5, 1]);
    expect([...downmixToMono([l, r])]).toEqual([0.5, 0.5, 0]);
  });
});

describe('WAV reading and writing', () => {
  it('round-trips PCM16 mono at 24 kHz exactly', () => {
    const pcm = Int16Array.from({ length: 1000 }, (_, i) => ((i * 97) % 65536) - 32768);
    const wav = encodeWavPcm16(pcm, 24000);
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(24000);
    expect(back.channels).toHaveLength(1);
    expect(toPcm16Mono(back.channels, 24000, 24000)).toEqual(pcm);
  });

  it('turns the 48 kHz stereo question into 24 kHz mono that matches the 24 kHz original', async () => {
    await ensureFixtures();
    const stereo = decodeWav(readFileSync(fixturePath('question-48k-stereo.wav')));
    expect(stereo.sampleRate).toBe(48000);
    expect(stereo.channels.length).toBe(2);
    const converted = toPcm16Mono(stereo.channels, stereo.sampleRate, 24000);
    const original = readWavPcm16(fixturePath('question.wav'));
    expect(original.sampleRate).toBe(24000);
    expect(Math.abs(converted.length - original.samples.length)).toBeLessThanOrEqual(2);
    const c = correlation(converted, original.samples);
    console.log(`48k stereo → 24k mono vs original: correlation ${c.toFixed(4)}, ${converted.length} samples`);
    expect(c).toBeGreaterThan(0.98);
  });

  it('rejects a file that is not audio with a clear message', async () => {
    await ensureFixtures();
    expect(() => decodeWav(readFileSync(fixturePath('not-audio.wav')), 'not-audio.wav')).toThrow(WavFormatError);
    expect(() => decodeWav(readFileSync(fixturePath('not-audio.wav')), 'not-audio.wav')).toThrow(/not a WAV audio file/);
  });

  it('base64 round trip is little-endian PCM16', () => {
    const pcm = new Int16Array([0, 1, -1, 32767, -32768, 258]);
    const b64 = pcmToBase64(pcm);
    expect(Buffer.from(b64, 'base64')).toEqual(Buffer.from([0, 0, 1, 0, 255, 255, 255, 127, 0, 128, 2, 1]));
    expect(base64ToPcm(b64)).toEqual(pcm);
  });
});
