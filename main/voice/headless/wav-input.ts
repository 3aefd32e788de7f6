/** Loads any PCM/float WAV as PCM16 mono 24 kHz (downmixed and resampled when needed). */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeWav } from '../audio/wav.ts';
import { toPcm16Mono } from '../audio/resample.ts';
import { SAMPLE_RATE } from '../audio/pcm.ts';

export interface LoadedInput {
  path: string;
  pcm: Int16Array;
  originalRate: number;
  originalChannels: number;
}

export async function loadWavAs24kMono(path: string): Promise<LoadedInput> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`Cannot read ${path}${code ? ` (${code})` : ''}.`, { cause: err });
  }
  const wav = decodeWav(bytes, basename(path));
  return {
    path,
    pcm: toPcm16Mono(wav.channels, wav.sampleRate, SAMPLE_RATE),
    originalRate: wav.sampleRate,
    originalChannels: wav.channels.length,
  };
}
