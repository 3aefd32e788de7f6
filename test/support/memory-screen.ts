/**
 * An in-memory ScreenCapturePort and CaptureIndicator for the core's tests: a desktop with screens
 * and windows of given pixel sizes that captures real PNGs (test/support/png.ts), and records what
 * was asked of it, including whether the indicator was on at the moment pixels were taken.
 */
import type { CaptureIndicator, CapturedImage, PixelSize, ScreenCapturePort, ScreenPermission, ScreenSource } from '../../main/tools/screen/ports.ts';
import { encodePng } from './png.ts';

export interface DesktopSource {
  id: string;
  kind: 'screen' | 'window';
  name: string;
  size: PixelSize;
}

export class MemoryIndicator implements CaptureIndicator {
  on: string[] = [];
  log: string[] = [];
  begin(sourceName: string): void {
    this.on.push(sourceName);
    this.log.push(`begin ${sourceName}`);
  }
  end(sourceName: string, outcome: 'captured' | 'failed'): void {
    this.on = this.on.filter((n) => n !== sourceName);
    this.log.push(`end ${sourceName} ${outcome}`);
  }
}

export class MemoryScreen implements ScreenCapturePort {
  permissionState: ScreenPermission = 'granted';
  failNext: string | null = null;
  lists: { kinds: string[]; thumbnails: boolean }[] = [];
  captures: { sourceId: string; fit: PixelSize; sent: PixelSize; indicatorOn: boolean }[] = [];
  settingsOpened = 0;
  /**
   * Thumbnails fitted into this box from each source's size, as desktopCapturer fits them into its
   * thumbnailSize (null: a 32 × 20 stamp, enough for tests that only check there is one).
   */
  thumbnailBox: PixelSize | null = null;
  sources: DesktopSource[];
  readonly #indicator: MemoryIndicator;
  constructor(sources: DesktopSource[], indicator: MemoryIndicator) {
    this.sources = sources;
    this.#indicator = indicator;
  }

  permission(): ScreenPermission {
    return this.permissionState;
  }

  async listSources(kinds: readonly ('screen' | 'window')[], options: { thumbnails: boolean }): Promise<ScreenSource[]> {
    this.lists.push({ kinds: [...kinds], thumbnails: options.thumbnails });
    return this.sources
      .filter((s) => kinds.includes(s.kind))
      .map((s, index) => ({ id: s.id, kind: s.kind, name: s.name, thumbnailDataUrl: options.thumbnails ? `data:image/png;base64,${this.#thumbnail(s, index).toString('base64')}` : null }));
  }

  #thumbnail(source: DesktopSource, index: number): Buffer {
    const box = this.thumbnailBox;
    if (!box) return encodePng(32, 20);
    const ratio = Math.min(box.width / source.size.width, box.height / source.size.height);
    return encodePng(Math.max(1, Math.round(source.size.width * ratio)), Math.max(1, Math.round(source.size.height * ratio)), 40 * (index + 1));
  }

  async capture(sourceId: string, fit: PixelSize, scale: (captured: PixelSize) => PixelSize): Promise<CapturedImage> {
    const source = this.sources.find((s) => s.id === sourceId);
    if (!source) throw new Error('Failed to get sources.');
    if (this.failNext) {
      const message = this.failNext;
      this.failNext = null;
      throw new Error(message);
    }
    // As desktopCapturer does: fitted into the box (aspect kept), then the caller's final size.
    const ratio = Math.min(fit.width / source.size.width, fit.height / source.size.height, 1);
    const fitted = { width: Math.round(source.size.width * ratio), height: Math.round(source.size.height * ratio) };
    const sent = scale(fitted);
    this.captures.push({ sourceId, fit, sent, indicatorOn: this.#indicator.on.includes(source.name) });
    return { png: encodePng(sent.width, sent.height, this.captures.length), width: sent.width, height: sent.height, sourceName: source.name };
  }

  async openPermissionSettings(): Promise<void> {
    this.settingsOpened++;
  }
}
