/** PCM16 helpers for the fake: base64 <-> samples, durations at 24 kHz. */

export const RATE = 24000;

export function samplesToMs(samples: number): number {
  return (samples / RATE) * 1000;
}

export function msToSamples(ms: number): number {
  return Math.round((ms / 1000) * RATE);
}

/** Decodes base64 little-endian PCM16 (an odd trailing byte is dropped). */
export function base64ToPcm16(b64: string): Int16Array {
  const bytes = Buffer.from(b64, 'base64');
  const count = Math.floor(bytes.byteLength / 2);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function pcm16ToBase64(samples: Int16Array): string {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * 2);
  return bytes.toString('base64');
}

/** Growing buffer of appended input audio. */
export class PcmBuffer {
  private chunks: Int16Array[] = [];
  private count = 0;

  append(samples: Int16Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.count += samples.length;
  }

  get length(): number {
    return this.count;
  }

  get ms(): number {
    return samplesToMs(this.count);
  }

  /** Takes everything out. */
  take(): Int16Array {
    const out = new Int16Array(this.count);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.clear();
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
