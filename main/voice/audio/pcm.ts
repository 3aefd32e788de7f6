/** PCM16 little-endian helpers: the only place audio becomes base64 (the protocol needs it) and back. */

export const SAMPLE_RATE = 24_000;
export const SAMPLES_PER_MS = SAMPLE_RATE / 1000;

export function pcmToBase64(pcm: Int16Array): string {
  const bytes = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) bytes.writeInt16LE(pcm[i] ?? 0, i * 2);
  return bytes.toString('base64');
}

export function base64ToPcm(b64: string): Int16Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function samplesToMs(samples: number): number {
  return samples / SAMPLES_PER_MS;
}

export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
