/**
 * Image input as the service bills it, so the fake reports `input_token_details.image_tokens` for a
 * user message with `input_image` content (DESIGN §3 "Images"). Written apart from the app's own
 * sizing code (main/tools/screen/image-sizing.ts) so a mistake there is not repeated here. The rules,
 * from OpenAI's vision guide ("Calculating costs"): detail "low" costs 85 tokens; "high" and "auto"
 * scale the image to fit 2048 × 2048, then down so the shortest side is at most 768 px, and cost
 * 85 + 170 per 512 px tile (1024 × 1024 → 765 tokens; 2048 × 4096 → 1105).
 */
import { isObject, type JsonObject } from './session-config.ts';

/** Width and height from a PNG (IHDR) or JPEG (SOFn) header; null for anything else. */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('ascii', 12, 16) === 'IHDR') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 <= bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1] as number;
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
      }
      at += 2 + bytes.readUInt16BE(at + 2);
    }
  }
  return null;
}

export function billedImageTokens(width: number, height: number, detail: string): number {
  if (detail === 'low') return 85;
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / w, 2048 / h);
  w *= fit;
  h *= fit;
  const short = Math.min(w, h);
  if (short > 768) {
    w = (w * 768) / short;
    h = (h * 768) / short;
  }
  return 85 + 170 * Math.ceil(Math.round(w) / 512) * Math.ceil(Math.round(h) / 512);
}

/**
 * The image tokens of a message item's content, or an error message the way the service would
 * refuse it (an image_url that is not a base64 PNG/JPEG data URL).
 */
export function contentImageTokens(content: unknown[]): { tokens: number } | { error: string } {
  let tokens = 0;
  for (const part of content) {
    if (!isObject(part) || part['type'] !== 'input_image') continue;
    const url = (part as JsonObject)['image_url'];
    const match = typeof url === 'string' ? /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(url) : null;
    const size = match ? imageDimensions(Buffer.from(match[2] as string, 'base64')) : null;
    if (!size) return { error: 'Invalid image_url: expected a base64 data URL of a PNG or JPEG image.' };
    tokens += billedImageTokens(size.width, size.height, String(part['detail'] ?? 'auto'));
  }
  return { tokens };
}
