/**
 * Reading a request: the whole body, then JSON, or multipart/form-data parsed with Node's own
 * fetch implementation (`Request.formData()`, undici), which handles boundaries, quoting and
 * binary parts the way browsers and servers do.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpRecord } from './types.ts';

/** Upload limit of the service for audio files (25 MB); the fake refuses bigger bodies outright. */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.byteLength;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export type JsonParse = { ok: true; value: unknown } | { ok: false };

export function parseJson(body: Buffer): JsonParse {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export interface ParsedForm {
  fields: Record<string, string | string[]>;
  files: HttpRecord['files'];
}

/** Parses a multipart body; throws when it is not valid multipart for the given content type. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<ParsedForm> {
  const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
  const fields: Record<string, string | string[]> = {};
  const files: HttpRecord['files'] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      const prev = fields[name];
      // A repeated field (`include[]`, sent once per element) becomes an array.
      fields[name] = prev === undefined ? (name.endsWith('[]') ? [value] : value) : Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      files.push({ field: name, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}

/** Fields the service reads as numbers or booleans from their text (TranscriptionCreateParams). */
const NUMBER_FIELDS = new Set(['temperature', 'chunking_strategy.prefix_padding_ms', 'chunking_strategy.silence_duration_ms', 'chunking_strategy.threshold']);
const BOOLEAN_FIELDS = new Set(['stream']);

function coerce(path: string, text: string): unknown {
  if (NUMBER_FIELDS.has(path) && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (BOOLEAN_FIELDS.has(path) && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * The form as the JSON the SDK started from, undoing its encoding (openai internal/uploads.ts
 * addFormValue): `key[]` repeated per array element, `key[sub]` per object property, scalars as
 * text. `stream=true` and `temperature=0.2` become a boolean and a number again.
 */
export function formToJson(fields: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const arrayMatch = /^([^[\]]+)\[\]$/.exec(name);
    const objectMatch = /^([^[\]]+)\[([^[\]]+)\]$/.exec(name);
    if (arrayMatch?.[1]) {
      const key = arrayMatch[1];
      const list = Array.isArray(value) ? value : [value];
      out[key] = list.map((v) => coerce(key, v));
    } else if (objectMatch?.[1] && objectMatch[2]) {
      const [key, sub] = [objectMatch[1], objectMatch[2]];
      const prev = out[key];
      const obj: Record<string, unknown> = typeof prev === 'object' && prev !== null && !Array.isArray(prev) ? (prev as Record<string, unknown>) : {};
      obj[sub] = coerce(`${key}.${sub}`, Array.isArray(value) ? (value[0] ?? '') : value);
      out[key] = obj;
    } else {
      // A plain field sent twice is kept as an array, which the schema then refuses.
      out[name] = Array.isArray(value) ? value.map((v) => coerce(name, v)) : coerce(name, value);
    }
  }
  return out;
}
