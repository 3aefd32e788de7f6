/**
 * An image the user hands over as a file (the CLI's --image): only PNG and JPEG, the two formats
 * DESIGN §3 lists for `input_image`, recognised by their signatures (not the file name) and
 * measured from their headers, so a renamed or truncated file is refused with a reason instead of
 * being sent for the service to reject.
 */
import { readFile, stat } from 'node:fs/promises';
import type { PixelSize } from './ports.ts';

/**
 * Our bound, not a documented service limit: a 10 MB file becomes ~13.4 MB of base64 inside one
 * WebSocket event. A screenshot saved as PNG is typically well under 5 MB.
 */
export const MAX_IMAGE_FILE_BYTES = 10 * 1024 * 1024;

export interface ImageFile extends PixelSize {
  mime: 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG: the signature, then the IHDR chunk with width and height (PNG spec §11.2.2). */
function pngSize(b: Uint8Array): PixelSize | null {
  if (b.length < 24 || !PNG_SIGNATURE.every((v, i) => b[i] === v)) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** JPEG: SOI, then markers until a start-of-frame (SOF0…SOF15 except DHT/JPG/DAC) carries the size (ITU T.81 B.2.2). */
function jpegSize(b: Uint8Array): PixelSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > b.length) return null;
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan data before any frame header
    at += 2 + length;
  }
  return null;
}

/** Recognises PNG or JPEG bytes and reads their pixel size; throws ImageFileError otherwise. */
export function parseImage(bytes: Uint8Array): ImageFile {
  const png = pngSize(bytes);
  const jpeg = png ? null : jpegSize(bytes);
  const size = png ?? jpeg;
  if (!size) throw new ImageFileError('is not a PNG or JPEG image (only those two can be sent)');
  if (size.width < 1 || size.height < 1) throw new ImageFileError(`says it is ${size.width}×${size.height} pixels: the header is damaged`);
  return { ...size, mime: png ? 'image/png' : 'image/jpeg', bytes };
}

export async function readImageFile(path: string): Promise<ImageFile> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImageFileError('is not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof ImageFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageFileError(code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(error)})`);
  }
  if (size === 0) throw new ImageFileError('is empty');
  if (size > MAX_IMAGE_FILE_BYTES) {
    throw new ImageFileError(`is ${(size / 1024 / 1024).toFixed(1)} MB; images up to ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MB can be sent (scale it down or save it as JPEG)`);
  }
  return parseImage(new Uint8Array(await readFile(path)));
}

export function toDataUrl(image: Pick<ImageFile, 'mime' | 'bytes'>): string {
  return `data:${image.mime};base64,${Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64')}`;
}
