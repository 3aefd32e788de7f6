/**
 * Audio for the fake: decoding uploaded WAV, synthesizing "speech" from the reply.wav fixture,
 * WAV encoding, and the token figures the service bills for audio (DESIGN §3: user audio about
 * 1 token per 100 ms, assistant audio 1 per 50 ms; text about 4 characters per token).
 */
import { parseWavPcm16 } from '../fixtures.ts';

export const RATE = 24000;

export interface DecodedAudio {
  sampleRate: number;
  channels: number;
  /** Duration in seconds. */
  seconds: number;
  /** Mono samples at the file's rate (channels averaged). */
  mono: Int16Array;
}

/** Decodes a WAV upload; throws Error with a readable reason when it is not a PCM16 WAV. */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const wav = parseWavPcm16(bytes);
  const frames = Math.floor(wav.samples.length / wav.channels);
  const mono = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < wav.channels; c++) sum += wav.samples[i * wav.channels + c] ?? 0;
    mono[i] = Math.round(sum / wav.channels);
  }
  return { sampleRate: wav.sampleRate, channels: wav.channels, seconds: frames / wav.sampleRate, mono };
}

/** True when the bytes start like an MP3 (ID3 tag or an MPEG frame sync). */
export function looksLikeMp3(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 3) return false;
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) return true; // "ID3"
  return bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0;
}

/**
 * Deterministic speech-like samples of `ms` length: reply.wav from its start, looped when longer.
 * (Real speech, so level meters, VAD and playback tests see what they would see from the service.)
 */
export function synthSpeech(source: Int16Array, ms: number): Int16Array {
  const count = Math.max(0, Math.round((ms / 1000) * RATE));
  const out = new Int16Array(count);
  if (source.length === 0) return out;
  for (let at = 0; at < count; at += source.length) out.set(source.subarray(0, Math.min(source.length, count - at)), at);
  return out;
}

export function pcm16Bytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, i * 2);
  return out;
}

/** A canonical 44-byte-header WAV of 24 kHz mono PCM16. */
export function encodeWav(samples: Int16Array, sampleRate = RATE): Buffer {
  const data = pcm16Bytes(samples);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.byteLength, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.byteLength, 40);
  return Buffer.concat([header, data]);
}

/** Input audio tokens: about 1 per 100 ms (at least 1). */
export function inputAudioTokens(seconds: number): number {
  return Math.max(1, Math.round(seconds * 10));
}

/** Output (assistant) audio tokens: about 1 per 50 ms. */
export function outputAudioTokens(samples: number): number {
  return Math.max(samples > 0 ? 1 : 0, Math.round((samples / RATE) * 20));
}

/** Text tokens: about 4 characters per token (at least 1 for non-empty text). */
export function textTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}
