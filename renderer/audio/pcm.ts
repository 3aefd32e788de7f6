/**
 * PCM16 <-> float conversion. One scale (1/32768) both ways, so a PCM16 chunk played through the
 * float graph and read back comes out bit-exact.
 */

/** Float sample in [-1, 1] → PCM16 (rounded, clamped). */
export function floatToPcm16(sample: number): number {
  const v = Math.round(sample * 32768);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Writes PCM16 samples as floats into `out` starting at `at`. */
export function pcm16ToFloat(pcm: Int16Array, out: Float32Array, at = 0): void {
  for (let i = 0; i < pcm.length; i++) out[at + i] = (pcm[i] ?? 0) / 32768;
}

/**
 * PCM16 little-endian bytes → Int16Array. Copies only when the host is big-endian or the buffer
 * is unaligned; on the platforms we ship (x64, arm64) it is a view.
 */
export function pcm16View(bytes: ArrayBuffer): Int16Array {
  const count = Math.floor(bytes.byteLength / 2);
  if (LITTLE_ENDIAN) return new Int16Array(bytes, 0, count);
  const dv = new DataView(bytes);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = dv.getInt16(i * 2, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An Int16Array whose bytes are little-endian on the wire (swaps on big-endian hosts). */
export function toLittleEndian(pcm: Int16Array): Int16Array {
  if (LITTLE_ENDIAN) return pcm;
  const out = new Int16Array(pcm.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) dv.setInt16(i * 2, pcm[i] ?? 0, true);
  return out;
}
