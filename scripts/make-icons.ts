/**
 * Draws Earshot's tray icons and the app icon as PNG files in resources/. Run with
 * `node scripts/make-icons.ts`; the output is committed.
 *
 * The files, their names and sizes come from main/app/tray-theme.ts (allTrayIconFiles), which the
 * app loads from and the tests check:
 * - macOS Template images (`<state>Template.png` 16 px, `@2x` 32 px): black and alpha only, so the
 *   menu bar tints them for light and dark mode (electron docs/api/native-image.md, "Template Image",
 *   and "High Resolution Image" for the files picked up beside it). Colour cannot tell the states
 *   apart there, so each state adds its own mark to the ear.
 * - Windows (16 px, `@1.25x` 20, `@1.5x` 24, `@2x` 32) and Linux (22 or 24 px, `@2x`), each in an
 *   `on-light` variant (a dark ear for light panels) and an `on-dark` one (a light ear for dark
 *   panels); the state's mark is drawn in its colour, brighter on dark panels.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { allTrayIconFiles, type PanelTheme, type TrayState } from '../main/app/tray-theme.ts';

type RGB = [number, number, number];

const STATES: Record<string, RGB> = {
  idle: [128, 134, 145],
  connecting: [214, 150, 20],
  listening: [220, 60, 60],
  thinking: [214, 150, 20],
  speaking: [59, 110, 245],
  reconnecting: [214, 150, 20],
  error: [150, 30, 30],
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** A filled disc with a white "ear" arc: coverage by 4x4 supersampling for smooth edges. */
function earIcon(size: number, color: RGB): Buffer {
  return png(size, (x, y) => {
    let disc = 0;
    let arc = 0;
    for (let sy = 0; sy < 4; sy++) {
      for (let sx = 0; sx < 4; sx++) {
        const u = (x + (sx + 0.5) / 4) / size - 0.5;
        const v = (y + (sy + 0.5) / 4) / size - 0.5;
        const r = Math.hypot(u, v);
        if (r <= 0.48) disc++;
        const ar = Math.hypot(u + 0.04, v + 0.02);
        const angle = Math.atan2(v, u + 0.04);
        if (ar > 0.17 && ar < 0.27 && angle > -Math.PI * 0.95 && angle < Math.PI * 0.45) arc++;
      }
    }
    const d = disc / 16;
    const a = Math.min(arc / 16, d);
    const mix = (c: number): number => Math.round(c * (1 - a) + 255 * a);
    return [mix(color[0]), mix(color[1]), mix(color[2]), Math.round(255 * d)];
  });
}

type Point = { u: number; v: number };
/** Coverage test in the unit square centred on 0 (u right, v down). */
type Shape = (p: Point) => boolean;

const ring =
  (cu: number, cv: number, inner: number, outer: number, from = -Math.PI, to = Math.PI): Shape =>
  ({ u, v }) => {
    const r = Math.hypot(u - cu, v - cv);
    const a = Math.atan2(v - cv, u - cu);
    return r >= inner && r <= outer && a >= from && a <= to;
  };
const disc = (cu: number, cv: number, r: number): Shape => ring(cu, cv, 0, r);
const any =
  (...shapes: Shape[]): Shape =>
  (p) =>
    shapes.some((s) => s(p));

/** The ear: a thick open arc with a small inner hook, drawn larger than on the colour disc. */
const EAR: Shape = any(ring(-0.06, -0.04, 0.2, 0.32, -Math.PI * 0.98, Math.PI * 0.42), disc(-0.06, 0.02, 0.075));

/** Each state's mark, drawn bottom-right (or across) and knocked out of the ear with a gap. */
const MARKS: Record<string, { mark: Shape | null; knockout: Shape | null }> = {
  idle: { mark: null, knockout: null },
  // connecting: an open ring
  connecting: { mark: ring(0.3, 0.3, 0.1, 0.18), knockout: disc(0.3, 0.3, 0.25) },
  // listening: a filled "recording" dot
  listening: { mark: disc(0.3, 0.3, 0.18), knockout: disc(0.3, 0.3, 0.25) },
  // thinking: three dots along the bottom
  thinking: {
    mark: any(disc(-0.3, 0.38, 0.085), disc(0, 0.38, 0.085), disc(0.3, 0.38, 0.085)),
    knockout: ({ v }) => v > 0.24,
  },
  // speaking: two sound waves to the right
  speaking: {
    mark: any(ring(0.1, 0.12, 0.19, 0.26, -Math.PI / 4, Math.PI / 4), ring(0.1, 0.12, 0.32, 0.39, -Math.PI / 4, Math.PI / 4)),
    knockout: ({ u, v }) => u > 0.22 && v > -0.15,
  },
  // reconnecting: a ring with a gap (a circular arrow at 16 px)
  reconnecting: { mark: ring(0.3, 0.3, 0.1, 0.18, -Math.PI * 0.6, Math.PI * 0.9), knockout: disc(0.3, 0.3, 0.25) },
  // error: a slash through the ear
  error: {
    mark: ({ u, v }) => Math.abs(u - v) / Math.SQRT2 < 0.055 && Math.hypot(u, v) < 0.46,
    // the gap beside the slash, and the arc's lower tail that would stand alone beside it
    knockout: ({ u, v }) => Math.abs(u - v) / Math.SQRT2 < 0.12 || (v > 0.1 && u > -0.12),
  },
};

/** Coverage (0..1) of the ear and of the state's mark at one pixel, 4x4 supersampled. */
function coverage(size: number, state: string, x: number, y: number): { ear: number; mark: number } {
  const { mark, knockout } = MARKS[state] ?? { mark: null, knockout: null };
  let ear = 0;
  let marked = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const p = { u: (x + (sx + 0.5) / 4) / size - 0.5, v: (y + (sy + 0.5) / 4) / size - 0.5 };
      if (mark?.(p) ?? false) marked++;
      else if (EAR(p) && !(knockout?.(p) ?? false)) ear++;
    }
  }
  return { ear: ear / 16, mark: marked / 16 };
}

/** A black-and-alpha Template image of the ear with the state's mark. */
function templateIcon(size: number, state: string): Buffer {
  return png(size, (x, y) => {
    const { ear, mark } = coverage(size, state, x, y);
    return [0, 0, 0, Math.round(255 * Math.min(1, ear + mark))];
  });
}

/** The ear's colour on each panel, and each state's mark colour there (deeper on light, brighter on dark). */
const FOREGROUND: Record<PanelTheme, RGB> = { 'on-light': [32, 32, 32], 'on-dark': [240, 240, 240] };
const MARK_COLOURS: Record<PanelTheme, Record<TrayState, RGB>> = {
  'on-light': {
    idle: [32, 32, 32],
    connecting: [184, 116, 0],
    listening: [204, 36, 36],
    thinking: [184, 116, 0],
    speaking: [28, 88, 220],
    reconnecting: [184, 116, 0],
    error: [176, 16, 16],
  },
  'on-dark': {
    idle: [240, 240, 240],
    connecting: [255, 190, 64],
    listening: [255, 96, 96],
    thinking: [255, 190, 64],
    speaking: [112, 162, 255],
    reconnecting: [255, 190, 64],
    error: [255, 84, 84],
  },
};

/** The ear in the panel's foreground with the state's mark in its colour. */
function themedIcon(size: number, state: TrayState, theme: PanelTheme): Buffer {
  const fg = FOREGROUND[theme];
  const mc = MARK_COLOURS[theme][state];
  return png(size, (x, y) => {
    const { ear, mark } = coverage(size, state, x, y);
    const alpha = Math.min(1, ear + mark);
    if (alpha === 0) return [0, 0, 0, 0];
    const mix = (i: 0 | 1 | 2): number => Math.round((fg[i] * ear + mc[i] * mark) / (ear + mark));
    return [mix(0), mix(1), mix(2), Math.round(255 * alpha)];
  });
}

const root = join(import.meta.dirname, '..', 'resources');
// The folder holds exactly the files tray-theme.ts names: stale ones are removed.
rmSync(join(root, 'tray'), { recursive: true, force: true });
mkdirSync(join(root, 'tray'), { recursive: true });
for (const icon of allTrayIconFiles()) {
  const bytes = icon.template || icon.theme === null ? templateIcon(icon.size, icon.state) : themedIcon(icon.size, icon.state, icon.theme);
  writeFileSync(join(root, 'tray', icon.file), bytes);
}
writeFileSync(join(root, 'icon.png'), earIcon(512, STATES.speaking ?? [59, 110, 245]));
console.log(`icons written to ${root}`);
