/**
 * RIFF/WAVE reading and writing. Reads PCM 8/16/24/32-bit integer and 32/64-bit float, any channel
 * count, and returns float channels; writes 16-bit PCM mono. A file that is not a WAV throws a
 * WavFormatError with a sentence a person can act on.
 */

export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

export interface DecodedWav {
  sampleRate: number;
  /** One Float32Array per channel, samples in [-1, 1]. */
  channels: Float32Array[];
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export function decodeWav(bytes: Uint8Array, name = 'the file'): DecodedWav {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError(`${name} is not a WAV audio file (no RIFF/WAVE header). Give a .wav recording.`);
  }
  let offset = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  let data: Buffer | null = null;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = buf.subarray(offset + 8, Math.min(buf.length, offset + 8 + size));
    if (id === 'fmt ') {
      if (body.length < 16) throw new WavFormatError(`${name}: the WAV format chunk is too short.`);
      let format = body.readUInt16LE(0);
      if (format === FORMAT_EXTENSIBLE && body.length >= 26) format = body.readUInt16LE(24);
      fmt = { format, channels: body.readUInt16LE(2), sampleRate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      data = body;
    }
    offset += 8 + size + (size % 2);
  }
  if (!fmt) throw new WavFormatError(`${name}: the WAV file has no format chunk.`);
  if (!data) throw new WavFormatError(`${name}: the WAV file has no audio data.`);
  const { format, channels: channelCount, sampleRate, bits } = fmt;
  if (channelCount < 1 || sampleRate < 1000) throw new WavFormatError(`${name}: the WAV header is invalid.`);
  const bytesPer = bits / 8;
  const supported =
    (format === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) || (format === FORMAT_FLOAT && [32, 64].includes(bits));
  if (!supported) {
    throw new WavFormatError(`${name}: unsupported WAV encoding (format ${format}, ${bits} bits). Use PCM or float.`);
  }
  const frames = Math.floor(data.length / (bytesPer * channelCount));
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++) {
      const at = (i * channelCount + c) * bytesPer;
      let v: number;
      if (format === FORMAT_FLOAT) v = bits === 32 ? data.readFloatLE(at) : data.readDoubleLE(at);
      else if (bits === 8) v = (data.readUInt8(at) - 128) / 128;
      else if (bits === 16) v = data.readInt16LE(at) / 32768;
      else if (bits === 24) v = data.readIntLE(at, 3) / 8388608;
      else v = data.readInt32LE(at) / 2147483648;
      (channels[c] as Float32Array)[i] = v;
    }
  }
  return { sampleRate, channels };
}

/** 16-bit PCM mono WAV bytes. */
export function encodeWavPcm16(pcm: Int16Array, sampleRate: number): Uint8Array {
  const dataBytes = pcm.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(FORMAT_PCM, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < pcm.length; i++) buf.writeInt16LE(pcm[i] ?? 0, 44 + i * 2);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
