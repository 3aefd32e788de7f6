/**
 * Speech fixtures for tests: made by scripts/make-fixtures.sh (espeak-ng + sox) into
 * test/fixtures/generated/, on demand, once. Plus a small WAV reader for PCM16 files.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

/** Where the generated fixtures live. */
export const FIXTURE_DIR = join(repoRoot, 'test', 'fixtures', 'generated');
const SCRIPT = join(repoRoot, 'scripts', 'make-fixtures.sh');

/** Every file the script makes. */
export const FIXTURE_NAMES = [
  'question.wav',
  'followup.wav',
  'short-tap.wav',
  'reply.wav',
  'speech-5s.wav',
  'speech-5s-44k-stereo.wav',
  'speech-60s.wav',
  'speech-60s-44k-stereo.wav',
  'question-48k-stereo.wav',
  'not-audio.wav',
  'transcripts.json',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

function missing(): string[] {
  return FIXTURE_NAMES.filter((n) => {
    const p = join(FIXTURE_DIR, n);
    return !existsSync(p) || statSync(p).size === 0;
  });
}

let pending: Promise<string> | null = null;

/**
 * Makes the fixtures if any is missing and resolves with their folder. Safe for concurrent
 * callers: in one process the work is shared; across processes the script writes each file
 * under a temporary name and renames it into place, so two runs never leave half a file.
 */
export function ensureFixtures(): Promise<string> {
  if (missing().length === 0) return Promise.resolve(FIXTURE_DIR);
  pending ??= (async () => {
    try {
      await run('bash', [SCRIPT, FIXTURE_DIR], { timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message?: string };
      throw new Error(`make-fixtures.sh failed: ${e.stderr ?? e.message ?? String(err)}`, { cause: err });
    }
    const still = missing();
    if (still.length > 0) throw new Error(`make-fixtures.sh did not make: ${still.join(', ')}`);
    return FIXTURE_DIR;
  })().finally(() => {
    pending = null;
  });
  return pending;
}

/** Absolute path of a fixture (call ensureFixtures() first). */
export function fixturePath(name: FixtureName): string {
  return join(FIXTURE_DIR, name);
}

export interface WavPcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved samples when channels > 1. */
  samples: Int16Array;
}

/**
 * Parses a RIFF/WAVE file holding 16-bit integer PCM. Walks the chunk list, so extra chunks
 * (`LIST`, `fact`, …) before or after `data` are skipped. Throws on anything else.
 */
export function parseWavPcm16(bytes: Uint8Array): WavPcm16 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');

  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  let data: Uint8Array | null = null;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const end = Math.min(body + size, bytes.byteLength);
    if (id === 'fmt ') {
      if (size < 16) throw new Error('fmt chunk too short');
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 40) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      data = bytes.subarray(body, end);
    }
    at = body + size + (size % 2); // chunks are word-aligned
  }
  if (!fmt) throw new Error('no fmt chunk');
  if (!data) throw new Error('no data chunk');
  if (fmt.format !== 1 || fmt.bits !== 16) throw new Error(`not 16-bit PCM (format ${fmt.format}, ${fmt.bits} bits)`);
  if (fmt.channels < 1 || fmt.sampleRate < 1) throw new Error('bad channel count or sample rate');

  const count = Math.floor(data.byteLength / 2);
  const samples = new Int16Array(count);
  const dv = new DataView(data.buffer, data.byteOffset, count * 2);
  for (let i = 0; i < count; i++) samples[i] = dv.getInt16(i * 2, true);
  return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples };
}

/** What the speech fixtures say (written by the script beside the WAV files). */
export function fixtureTranscripts(): Record<string, string> {
  const parsed: unknown = JSON.parse(readFileSync(join(FIXTURE_DIR, 'transcripts.json'), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('transcripts.json is not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads a 16-bit PCM WAV file from disk. */
export function readWavPcm16(path: string): WavPcm16 {
  return parseWavPcm16(readFileSync(path));
}

/** Little-endian bytes of PCM16 samples (what the Realtime API carries as base64). */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, i * 2);
  return out;
}

/** PCM16 samples from little-endian bytes (an odd trailing byte is dropped). */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const count = Math.floor(bytes.byteLength / 2);
  const out = new Int16Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  for (let i = 0; i < count; i++) out[i] = dv.getInt16(i * 2, true);
  return out;
}
