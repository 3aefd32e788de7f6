/**
 * How many pixels to send for a detail level, and what the model is billed for them, from OpenAI's
 * vision guide ("Calculating costs", platform.openai.com/docs/guides/vision): `detail: "low"` is a
 * fixed 85 tokens for a 512 px rendition; `"high"` (and `"auto"`, treated as high for a large image)
 * is first scaled to fit a 2048 × 2048 square, then so that its shortest side is 768 px, and costs
 * 170 tokens per 512 px tile plus 85. Worked examples there: 1024 × 1024 → 768 × 768 → 4 tiles →
 * 765 tokens; 2048 × 4096 → 1024 × 2048 → 768 × 1536 → 6 tiles → 1105 tokens. Pixels beyond those
 * sizes are thrown away by the service, so sending them only costs upload time: the capture is
 * scaled here first. Images are only ever made smaller, never enlarged.
 */
import type { ImageDetail, PixelSize } from './ports.ts';

export const LOW_DETAIL_EDGE = 512;
export const HIGH_DETAIL_SQUARE = 2048;
export const HIGH_DETAIL_SHORT_SIDE = 768;
const TILE = 512;
const BASE_TOKENS = 85;
const TILE_TOKENS = 170;

function fitWithin(size: PixelSize, box: PixelSize): PixelSize {
  const ratio = Math.min(1, box.width / size.width, box.height / size.height);
  return { width: Math.max(1, Math.round(size.width * ratio)), height: Math.max(1, Math.round(size.height * ratio)) };
}

/** The box a capture is first fitted into (the adapter asks desktopCapturer for this thumbnail size). */
export function captureBox(detail: ImageDetail): PixelSize {
  return detail === 'low' ? { width: LOW_DETAIL_EDGE, height: LOW_DETAIL_EDGE } : { width: HIGH_DETAIL_SQUARE, height: HIGH_DETAIL_SQUARE };
}

/** The size to send for an image of `size` at `detail`. */
export function targetSize(size: PixelSize, detail: ImageDetail): PixelSize {
  if (size.width < 1 || size.height < 1) throw new RangeError(`an image of ${size.width}×${size.height} has no pixels`);
  if (detail === 'low') return fitWithin(size, captureBox('low'));
  const square = fitWithin(size, captureBox('high'));
  const shortest = Math.min(square.width, square.height);
  if (shortest <= HIGH_DETAIL_SHORT_SIDE) return square;
  const ratio = HIGH_DETAIL_SHORT_SIDE / shortest;
  return { width: Math.max(1, Math.round(square.width * ratio)), height: Math.max(1, Math.round(square.height * ratio)) };
}

/** Tokens the service reports for one image of `size` sent at `detail` (an estimate before usage arrives). */
export function imageTokens(size: PixelSize, detail: ImageDetail): number {
  if (detail === 'low') return BASE_TOKENS;
  const scaled = targetSize(size, detail);
  return BASE_TOKENS + TILE_TOKENS * Math.ceil(scaled.width / TILE) * Math.ceil(scaled.height / TILE);
}
