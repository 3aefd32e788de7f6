/**
 * What the core needs from the desktop to look at the screen. main/app/screen-capture.ts implements
 * it with Electron's desktopCapturer, nativeImage and systemPreferences; tests implement it in
 * memory. Nothing here imports Electron.
 */

/** How much detail the model gets (OpenAI `input_image.detail`), which also decides the pixels sent. */
export type ImageDetail = 'auto' | 'low' | 'high';

/**
 * macOS screen-recording consent (`systemPreferences.getMediaAccessStatus('screen')`,
 * docs/api/system-preferences.md): 'not-determined' until asked, 'denied' / 'restricted' once refused
 * or blocked by policy. Windows always answers 'granted' for the screen; Linux has no such consent
 * (the adapter answers 'granted', the desktop's portal may still ask).
 */
export type ScreenPermission = 'granted' | 'denied' | 'not-determined' | 'restricted' | 'unknown';

export interface PixelSize {
  width: number;
  height: number;
}

/** A screen or a window that can be captured. */
export interface ScreenSource {
  /** desktopCapturer's id (`screen:ZZ:0`, `window:XX:YY`); valid for a short while only. */
  id: string;
  kind: 'screen' | 'window';
  /** "Entire Screen", "Screen 2", or the window's title. */
  name: string;
  /** A small PNG for the picker, as a data URL (null when the desktop gave none). */
  thumbnailDataUrl: string | null;
}

/** One capture, already scaled to fit `maxSize` (never enlarged). */
export interface CapturedImage {
  /** PNG bytes. */
  png: Uint8Array;
  width: number;
  height: number;
  /** The source as it was named when it was captured. */
  sourceName: string;
}

export interface ScreenCapturePort {
  permission(): ScreenPermission;
  /**
   * Screens and windows. With `thumbnails: false` nothing is captured (names only, thumbnailDataUrl
   * null); with true, small thumbnails for the picker. Rejects with a readable Error.
   */
  listSources(kinds: readonly ('screen' | 'window')[], options: { thumbnails: boolean }): Promise<ScreenSource[]>;
  /**
   * Captures one source as a PNG no larger than `fit` (aspect kept, never enlarged); `scale` then
   * decides the final size from the captured one (image-sizing.ts). Rejects with a readable Error
   * (the source is gone, the desktop refused).
   */
  capture(sourceId: string, fit: PixelSize, scale: (captured: PixelSize) => PixelSize): Promise<CapturedImage>;
  /** Opens the system's screen-recording privacy settings (macOS), when there are such settings. */
  openPermissionSettings?(): Promise<void>;
}

/**
 * What the person sees while Earshot captures: the app shows a tray state and tooltip while `begin`
 * is in force and a notice ("Earshot looked at <name>") at `end`. The capture service calls `begin`
 * before it asks the port for pixels and `end` after, whatever happened, so nothing is captured
 * without it.
 */
export interface CaptureIndicator {
  begin(sourceName: string): void;
  end(sourceName: string, outcome: 'captured' | 'failed'): void;
}
