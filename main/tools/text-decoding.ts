/**
 * Turns file bytes into text for the model, or says why they are not text.
 * Order: a byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise NUL bytes or a known binary
 * signature mean binary; otherwise strict UTF-8, and Latin-1 (Windows-1252) when UTF-8 fails.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
export type EncodingChoice = 'auto' | TextEncodingName;

export type Decoded = { kind: 'text'; text: string; encoding: TextEncodingName; bom: boolean } | { kind: 'binary'; what: string };

const SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; what: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (or an Office document)' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows program' },
  { bytes: [0x49, 0x44, 0x33], what: 'an MP3 audio file' },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: 'a RIFF file (WAV audio, AVI or WebP)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

/** Detects a binary file from its first bytes; returns a description or null when it looks like text. */
export function detectBinary(bytes: Uint8Array): string | null {
  for (const sig of SIGNATURES) if (startsWith(bytes, sig.bytes)) return sig.what;
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return 'a binary file';
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control += 1;
  }
  return sample.length > 0 && control / sample.length > 0.1 ? 'a binary file' : null;
}

function bomOf(bytes: Uint8Array): TextEncodingName | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  return null;
}

function decodeAs(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  // Windows-1252 is what "Latin-1" text files really are; TextDecoder maps 'latin1' to it.
  const label = encoding === 'latin1' ? 'windows-1252' : encoding;
  return new TextDecoder(label, { fatal, ignoreBOM: false }).decode(bytes);
}

export function decodeText(bytes: Uint8Array, choice: EncodingChoice = 'auto'): Decoded {
  const bom = bomOf(bytes);
  if (choice !== 'auto') return { kind: 'text', text: decodeAs(bytes, choice, false), encoding: choice, bom: bom === choice };
  if (bom) return { kind: 'text', text: decodeAs(bytes, bom, false), encoding: bom, bom: true };
  const binary = detectBinary(bytes);
  if (binary) return { kind: 'binary', what: binary };
  try {
    return { kind: 'text', text: decodeAs(bytes, 'utf-8', true), encoding: 'utf-8', bom: false };
  } catch {
    return { kind: 'text', text: decodeAs(bytes, 'latin1', false), encoding: 'latin1', bom: false };
  }
}

/** Readable encoding names for the model. */
export function encodingLabel(encoding: TextEncodingName, bom: boolean): string {
  const names: Record<TextEncodingName, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', latin1: 'Latin-1' };
  return bom ? `${names[encoding]} with BOM` : names[encoding];
}
