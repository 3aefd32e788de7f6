/**
 * The tray icons as shipped in resources/tray/: every state × panel theme × size each platform
 * asks for exists, is a PNG of that pixel size (read from its header, then decoded), each state's
 * icon differs from every other state's (hash of the decoded pixels), the light-panel and dark-panel
 * variants differ the right way round, and a macOS Template image is black + alpha only. Plus which
 * file the app picks for a platform and theme (main/app/tray-theme.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allTrayIconFiles, panelTheme, PANEL_THEMES, TRAY_STATES, trayIconFile, type TrayIconFile } from '../../../main/app/tray-theme.ts';

const trayDir = join(import.meta.dirname, '..', '..', '..', 'resources', 'tray');

interface Decoded {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  rgba: Buffer;
}

/** A PNG decoder for 8-bit RGBA images (all five scanline filters), enough to check our icons. */
function decodePng(bytes: Buffer): Decoded {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]], 'bit depth 8, colour type 6 (RGBA)').toEqual([8, 6]);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= 4 ? (rgba[y * stride + x - 4] ?? 0) : 0;
      const b = y > 0 ? (rgba[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 4 && y > 0 ? (rgba[(y - 1) * stride + x - 4] ?? 0) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      rgba[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

const files = allTrayIconFiles();
const decoded = new Map<string, Decoded>(files.filter((f) => existsSync(join(trayDir, f.file))).map((f) => [f.file, decodePng(readFileSync(join(trayDir, f.file)))]));
const pixelHash = (file: string): string => createHash('sha256').update(decoded.get(file)?.rgba ?? Buffer.alloc(0)).digest('hex');

/** Mean luminance of the opaque pixels (alpha-weighted), 0 black … 255 white. */
function meanLuminance(file: string): number {
  const { rgba } = decoded.get(file) ?? { rgba: Buffer.alloc(0) };
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = (rgba[i + 3] ?? 0) / 255;
    sum += alpha * (0.2126 * (rgba[i] ?? 0) + 0.7152 * (rgba[i + 1] ?? 0) + 0.0722 * (rgba[i + 2] ?? 0));
    weight += alpha;
  }
  return sum / weight;
}

describe('tray icons for every state, theme and size', () => {
  it('covers each platform’s sizes: macOS 16/32 Template, Windows 16/20/24/32, Linux 22/44 and 24/48, both themes', () => {
    const sizes = (set: TrayIconFile['set']): number[] => [...new Set(files.filter((f) => f.set === set).map((f) => f.size))].sort((a, b) => a - b);
    expect(sizes('mac')).toEqual([16, 32]);
    expect(sizes('win')).toEqual([16, 20, 24, 32]);
    expect(sizes('linux22')).toEqual([22, 44]);
    expect(sizes('linux24')).toEqual([24, 48]);
    for (const state of TRAY_STATES) {
      expect(files.filter((f) => f.state === state && f.set === 'mac')).toHaveLength(2);
      for (const theme of PANEL_THEMES) {
        expect(files.filter((f) => f.state === state && f.theme === theme && f.set === 'win').map((f) => f.file)).toEqual([
          `${state}-win-${theme}.png`,
          `${state}-win-${theme}@1.25x.png`,
          `${state}-win-${theme}@1.5x.png`,
          `${state}-win-${theme}@2x.png`,
        ]);
      }
    }
    expect(files).toHaveLength(TRAY_STATES.length * (2 + 2 * (4 + 2 + 2)));
  });

  it('every file exists and is a PNG of its pixel size (header and decoded data)', () => {
    const missing = files.filter((f) => !existsSync(join(trayDir, f.file))).map((f) => f.file);
    expect(missing).toEqual([]);
    for (const f of files) {
      const bytes = readFileSync(join(trayDir, f.file));
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], `${f.file} header`).toEqual([f.size, f.size]);
      const image = decoded.get(f.file);
      expect(image?.rgba.length, `${f.file} pixels`).toBe(f.size * f.size * 4);
    }
  });

  it('the folder holds exactly these files (nothing stale is packaged)', () => {
    expect(readdirSync(trayDir).sort()).toEqual(files.map((f) => f.file).sort());
  });

  it('each state’s icon differs from every other state’s, in every set, theme and size', () => {
    const groups = new Map<string, TrayIconFile[]>();
    for (const f of files) {
      const key = `${f.set} ${f.theme ?? 'template'} ${f.size}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    expect(groups.size).toBe(2 + 2 * (4 + 2 + 2));
    for (const [key, group] of groups) {
      const hashes = group.map((f) => pixelHash(f.file));
      expect(new Set(hashes).size, `${key}: ${group.map((f) => f.state).join(', ')}`).toBe(TRAY_STATES.length);
    }
  });

  it('light-panel icons are dark glyphs and dark-panel icons light ones', () => {
    for (const f of files.filter((x) => x.theme === 'on-light')) {
      const onDark = f.file.replace('-on-light', '-on-dark');
      expect(pixelHash(onDark)).not.toBe(pixelHash(f.file));
      expect(meanLuminance(f.file), f.file).toBeLessThan(110);
      expect(meanLuminance(onDark), onDark).toBeGreaterThan(150);
    }
  });

  it('a Template image is black + alpha only, and not empty', () => {
    for (const f of files.filter((x) => x.template)) {
      const { rgba } = decoded.get(f.file) ?? { rgba: Buffer.alloc(0) };
      let opaque = 0;
      const coloured: number[] = [];
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i] !== 0 || rgba[i + 1] !== 0 || rgba[i + 2] !== 0) coloured.push(i / 4);
        if ((rgba[i + 3] ?? 0) > 0) opaque++;
      }
      expect(coloured, `${f.file}: pixels that are not black`).toEqual([]);
      expect(opaque, f.file).toBeGreaterThan(f.size * f.size * 0.1);
      expect(f.file).toMatch(/Template(@2x)?\.png$/); // Electron treats a name ending in Template as one
    }
  });
});

describe('which icon the app picks', () => {
  const light = { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: false };
  it('Windows follows the taskbar’s (system) theme, not the apps’ theme', () => {
    expect(panelTheme('win32', { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: true })).toBe('on-dark');
    expect(panelTheme('win32', { shouldUseDarkColors: true, shouldUseDarkColorsForSystemIntegratedUI: false })).toBe('on-light');
    expect(trayIconFile('listening', { platform: 'win32', theme: 'on-dark' })).toEqual({ file: 'listening-win-on-dark.png', template: false });
  });

  it('Linux follows shouldUseDarkColors, at 22 px on KDE Plasma and 24 px elsewhere', () => {
    expect(panelTheme('linux', { ...light, shouldUseDarkColors: true })).toBe('on-dark');
    expect(panelTheme('linux', light)).toBe('on-light');
    expect(trayIconFile('idle', { platform: 'linux', theme: 'on-dark', desktop: 'KDE' }).file).toBe('idle-linux22-on-dark.png');
    expect(trayIconFile('idle', { platform: 'linux', theme: 'on-light', desktop: 'ubuntu:GNOME' }).file).toBe('idle-linux24-on-light.png');
  });

  it('macOS always takes the Template image (the menu bar tints it)', () => {
    for (const theme of PANEL_THEMES) expect(trayIconFile('error', { platform: 'darwin', theme })).toEqual({ file: 'errorTemplate.png', template: true });
  });
});
