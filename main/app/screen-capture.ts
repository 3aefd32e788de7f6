/**
 * The desktop side of "look at the screen": Electron's desktopCapturer, nativeImage and
 * systemPreferences behind the core's ScreenCapturePort (main/tools/screen/ports.ts). Everything
 * Electron is passed in, so the strict stand-in Electron runs it in the unit tier. Facts relied on,
 * from electron/electron (docs/api/desktop-capturer.md, lib/browser/api/desktop-capturer.ts,
 * shell/browser/api/electron_api_desktop_capturer.cc, docs/api/native-image.md,
 * docs/api/system-preferences.md):
 *
 * - `getSources({ types, thumbnailSize })` lists screens and windows; ids look like `screen:ZZ:0` and
 *   `window:XX:YY`. A `thumbnailSize` of 0 × 0 captures no pixels ("Set width or height to 0 when you
 *   do not need the thumbnails"): names are listed that way before the person said yes.
 * - The thumbnail is the source scaled to FIT thumbnailSize with its aspect kept (Chromium's
 *   ScaleDesktopFrame uses ComputeLetterboxRegion), and "there is no guarantee that the size of the
 *   thumbnail is the same as the thumbnailSize" — so the real size is read back with getSize().
 * - On macOS without screen-recording consent the capturer fails and the promise rejects with the
 *   plain STRING "Failed to get sources." (HandleFailure → _onerror), not an Error.
 * - `getMediaAccessStatus('screen')` exists on macOS and Windows only and answers not-determined,
 *   granted, denied, restricted or unknown; Windows always answers granted for the screen.
 * - `image.resize({ width, height, quality })` and `image.toPNG()` give the final PNG.
 */
import type { CapturedImage, PixelSize, ScreenCapturePort, ScreenPermission, ScreenSource } from '../tools/screen/ports.ts';

type SourceKind = 'screen' | 'window';

/** The part of a NativeImage this file uses. */
export interface ImageLike {
  isEmpty(): boolean;
  getSize(): PixelSize;
  resize(options: { width?: number; height?: number; quality?: 'good' | 'better' | 'best' }): ImageLike;
  toPNG(): Buffer;
  toDataURL(): string;
}

export interface CapturerSourceLike {
  id: string;
  name: string;
  thumbnail: ImageLike;
}

export interface ScreenCaptureDeps {
  desktopCapturer: { getSources(options: { types: SourceKind[]; thumbnailSize?: PixelSize; fetchWindowIcons?: boolean }): Promise<CapturerSourceLike[]> };
  /** Absent or without getMediaAccessStatus off macOS and Windows (docs/api/system-preferences.md). */
  systemPreferences?: { getMediaAccessStatus?: (mediaType: 'microphone' | 'camera' | 'screen') => string };
  shell: { openExternal(url: string): Promise<void> };
  platform: NodeJS.Platform;
}

/** Size of the picker's thumbnails (fitted, so a 16:10 screen gives 320 × 200). */
export const PICKER_THUMBNAIL: PixelSize = { width: 320, height: 200 };
/** Apple's URL for System Settings → Privacy & Security → Screen Recording. */
export const MAC_SCREEN_RECORDING_SETTINGS = 'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture';
const STATES: readonly ScreenPermission[] = ['granted', 'denied', 'not-determined', 'restricted', 'unknown'];

const kindOf = (id: string): SourceKind => (id.startsWith('screen:') ? 'screen' : 'window');

/** desktopCapturer rejects with a string on failure; the core wants an Error it can show. */
function asError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : String(reason));
}

export function createScreenCapture(deps: ScreenCaptureDeps): ScreenCapturePort {
  const getSources = async (types: SourceKind[], thumbnailSize: PixelSize): Promise<CapturerSourceLike[]> => {
    try {
      return await deps.desktopCapturer.getSources({ types, thumbnailSize, fetchWindowIcons: false });
    } catch (reason) {
      throw asError(reason);
    }
  };

  return {
    permission(): ScreenPermission {
      if (deps.platform !== 'darwin') return 'granted'; // Windows answers granted for the screen; Linux has no such consent
      const status = deps.systemPreferences?.getMediaAccessStatus?.('screen') ?? 'unknown';
      return (STATES as readonly string[]).includes(status) ? (status as ScreenPermission) : 'unknown';
    },

    async listSources(kinds, options): Promise<ScreenSource[]> {
      const sources = await getSources([...kinds], options.thumbnails ? PICKER_THUMBNAIL : { width: 0, height: 0 });
      return sources.map((s) => ({
        id: s.id,
        kind: kindOf(s.id),
        name: s.name,
        thumbnailDataUrl: options.thumbnails && !s.thumbnail.isEmpty() ? s.thumbnail.toDataURL() : null,
      }));
    },

    async capture(sourceId: string, fit: PixelSize, scale: (captured: PixelSize) => PixelSize): Promise<CapturedImage> {
      const sources = await getSources([kindOf(sourceId)], fit);
      const source = sources.find((s) => s.id === sourceId);
      if (!source) throw new Error('that screen or window is no longer there');
      if (source.thumbnail.isEmpty()) throw new Error('the desktop gave an empty picture (screen recording may be blocked)');
      // Fitted to `fit` by the capturer (a small window may even come out enlarged to it); the detail
      // rules then decide the size sent, never larger than what was captured.
      const captured = source.thumbnail.getSize();
      const target = scale(captured);
      const image = target.width === captured.width && target.height === captured.height ? source.thumbnail : source.thumbnail.resize({ width: target.width, height: target.height, quality: 'best' });
      const size = image.getSize();
      return { png: new Uint8Array(image.toPNG()), width: size.width, height: size.height, sourceName: source.name };
    },

    ...(deps.platform === 'darwin' ? { openPermissionSettings: () => deps.shell.openExternal(MAC_SCREEN_RECORDING_SETTINGS) } : {}),
  };
}
