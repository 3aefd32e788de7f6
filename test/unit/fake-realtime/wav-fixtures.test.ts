/** Speech fixtures and the WAV reader: real files made by espeak-ng + sox. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_NAMES, fixturePath, fixtureTranscripts, parseWavPcm16, readWavPcm16 } from '../../support/fixtures.ts';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'earshot-wav-'));
const seconds = (w: { samples: Int16Array; sampleRate: number; channels: number }): number => w.samples.length / w.channels / w.sampleRate;
const rms = (s: Int16Array): number => Math.sqrt(s.reduce((a, v) => a + (v / 32768) ** 2, 0) / Math.max(1, s.length));

beforeAll(async () => {
  await ensureFixtures();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fixtures', () => {
  it('has every file with the rate, channels and length the tests rely on', () => {
    const q = readWavPcm16(fixturePath('question.wav'));
    expect([q.sampleRate, q.channels]).toEqual([24000, 1]);
    expect(seconds(q)).toBeGreaterThan(2);
    expect(seconds(q)).toBeLessThan(4);
    expect(rms(q.samples)).toBeGreaterThan(0.02); // real speech, not silence

    const tap = readWavPcm16(fixturePath('short-tap.wav'));
    expect(seconds(tap) * 1000).toBeCloseTo(60, 0);
    expect(rms(tap.samples)).toBeGreaterThan(0.01);

    const reply = readWavPcm16(fixturePath('reply.wav'));
    expect([reply.sampleRate, reply.channels]).toEqual([24000, 1]);
    expect(seconds(reply)).toBeGreaterThan(2.5);
    expect(seconds(reply)).toBeLessThan(4.5);

    for (const [mono, stereo, len] of [['speech-5s.wav', 'speech-5s-44k-stereo.wav', 5], ['speech-60s.wav', 'speech-60s-44k-stereo.wav', 60]] as const) {
      const m = readWavPcm16(fixturePath(mono));
      const s = readWavPcm16(fixturePath(stereo));
      expect([m.sampleRate, m.channels, seconds(m)]).toEqual([24000, 1, len]);
      expect([s.sampleRate, s.channels, seconds(s)]).toEqual([44100, 2, len]);
    }
    const q48 = readWavPcm16(fixturePath('question-48k-stereo.wav'));
    expect([q48.sampleRate, q48.channels]).toEqual([48000, 2]);
    expect(seconds(q48)).toBeCloseTo(seconds(q), 2);
    expect(fixtureTranscripts()['question.wav']).toBe('What files are in my documents folder?');
  });

  it('the 44.1 kHz stereo copy holds the same speech as the 24 kHz mono one', () => {
    const m = readWavPcm16(fixturePath('speech-5s.wav')).samples;
    const s = readWavPcm16(fixturePath('speech-5s-44k-stereo.wav')).samples;
    // Left channel, resampled by nearest index to 24 kHz, correlates with the mono file.
    const n = m.length;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      const x = m[i] ?? 0;
      const y = s[2 * Math.round((i * 44100) / 24000)] ?? 0;
      sxy += x * y; sxx += x * x; syy += y * y;
    }
    const corr = sxy / Math.sqrt(sxx * syy);
    console.log(`speech-5s: 24k mono vs 44.1k stereo correlation ${corr.toFixed(3)}`);
    expect(corr).toBeGreaterThan(0.9);
  });

  it('two concurrent runs of the script into one folder leave only complete files', async () => {
    const out = join(tmp, 'gen');
    const script = join(import.meta.dirname, '../../../scripts/make-fixtures.sh');
    await Promise.all([run('bash', [script, out]), run('bash', [script, out])]);
    const files = readdirSync(out).filter((f) => !f.startsWith('.'));
    expect(files.sort()).toEqual([...FIXTURE_NAMES].sort());
    for (const f of files.filter((x) => x.endsWith('.wav') && x !== 'not-audio.wav')) {
      const w = readWavPcm16(join(out, f));
      expect(w.samples.length).toBeGreaterThan(0);
      // Same script, same samples: the fixtures are deterministic.
      expect(Buffer.from(w.samples.buffer).equals(Buffer.from(readWavPcm16(fixturePath(f as 'question.wav')).samples.buffer))).toBe(true);
    }
  }, 60_000);
});

describe('readWavPcm16', () => {
  it('skips LIST chunks (odd-sized, word-padded) before and after the data chunk', () => {
    const plainBytes = readFileSync(fixturePath('question.wav'));
    expect(plainBytes.subarray(36, 40).toString('latin1')).toBe('data'); // RIFF header + 24-byte fmt chunk
    const info = Buffer.from('INFOICMT\x0b\x00\x00\x00Earshot hi\x00', 'latin1'); // 23 bytes: odd
    const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.alloc(4), info, Buffer.alloc(1)]);
    list.writeUInt32LE(info.length, 4);
    const bytes = Buffer.concat([plainBytes.subarray(0, 36), list, plainBytes.subarray(36), list]);
    bytes.writeUInt32LE(bytes.length - 8, 4);
    const withList = parseWavPcm16(bytes);
    const plain = readWavPcm16(fixturePath('question.wav'));
    expect([withList.sampleRate, withList.channels]).toEqual([24000, 1]);
    expect(Buffer.from(withList.samples.buffer).equals(Buffer.from(plain.samples.buffer))).toBe(true);
  });

  it('rejects a text file named .wav, and 8-bit audio', async () => {
    expect(() => readWavPcm16(fixturePath('not-audio.wav'))).toThrow(/RIFF/);
    const path8 = join(tmp, 'eight.wav');
    await run('sox', [fixturePath('question.wav'), '-b', '8', path8]);
    expect(() => readWavPcm16(path8)).toThrow(/16-bit/);
    expect(() => parseWavPcm16(new Uint8Array(4))).toThrow();
  });
});
