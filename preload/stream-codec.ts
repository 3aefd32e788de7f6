/**
 * Binary framing for stream chunks on transports that carry bytes only (the test WebSocket):
 * [u8 stream id][u8 tag length][tag utf-8][PCM bytes]. The MessagePort transport posts chunks as
 * structured-clone objects with the ArrayBuffer transferred instead.
 */
import type { StreamChunk, StreamName } from './contract.ts';

const STREAM_IDS: Record<StreamName, number> = { capture: 1, playback: 2 };
const STREAM_BY_ID = new Map<number, StreamName>([
  [1, 'capture'],
  [2, 'playback'],
]);

export function encodeChunk(chunk: StreamChunk): Uint8Array<ArrayBuffer> {
  const tag = new TextEncoder().encode(chunk.tag);
  if (tag.length > 255) throw new Error(`stream tag too long (${tag.length} bytes)`);
  const out = new Uint8Array(2 + tag.length + chunk.data.byteLength);
  out[0] = STREAM_IDS[chunk.stream];
  out[1] = tag.length;
  out.set(tag, 2);
  out.set(new Uint8Array(chunk.data), 2 + tag.length);
  return out;
}

export function decodeChunk(bytes: Uint8Array): StreamChunk {
  if (bytes.length < 2) throw new Error('stream chunk shorter than its header');
  const stream = STREAM_BY_ID.get(bytes[0] ?? 0);
  if (!stream) throw new Error(`unknown stream id ${bytes[0]}`);
  const tagLength = bytes[1] ?? 0;
  if (bytes.length < 2 + tagLength) throw new Error('stream chunk shorter than its tag');
  const tag = new TextDecoder().decode(bytes.subarray(2, 2 + tagLength));
  const pcm = bytes.slice(2 + tagLength);
  if (pcm.byteLength % 2 !== 0) throw new Error('PCM16 chunk with an odd byte count');
  return { stream, tag, data: pcm.buffer };
}
