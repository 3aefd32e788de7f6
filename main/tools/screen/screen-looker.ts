/**
 * Looking at the screen with consent, in one place whoever asks (the model's look_at_screen tool,
 * the tray's "Ask about my screen", the window's picker):
 *
 * 1. macOS screen-recording consent is checked first; a refusal is explained with the way to change
 *    it (System Settings → Privacy & Security → Screen Recording), and nothing is attempted.
 * 2. The source is chosen (by id from the picker, or by kind and window title for the tool) from a
 *    list fetched WITHOUT thumbnails (`thumbnailSize` 0 × 0 means no pixels are captured,
 *    docs/api/desktop-capturer.md), so nothing is captured before the one capture asked for.
 * 3. The indicator is switched on, the port captures at the size the detail level needs
 *    (image-sizing.ts), the indicator goes off, and a notice says "Earshot looked at <name>".
 *    The port is never asked for pixels while the indicator is off.
 */
import type { Notice } from '../../../preload/contract.ts';
import type { Logger } from '../../base/logger.ts';
import type { CaptureIndicator, ImageDetail, PixelSize, ScreenCapturePort, ScreenPermission, ScreenSource } from './ports.ts';
import { captureBox, imageTokens, targetSize } from './image-sizing.ts';

/** An image ready for the model: a PNG data URL and the detail it is sent at. */
export interface LookedImage {
  dataUrl: string;
  detail: ImageDetail;
}

export interface LookResult {
  image: LookedImage;
  sourceName: string;
  kind: 'screen' | 'window';
  width: number;
  height: number;
  /** What the service will bill for it (OpenAI's sizing rules); usage reports the real figure later. */
  estimatedTokens: number;
}

export type LookTarget = { sourceId: string } | { which: 'screen' | 'window'; windowName?: string };

/** A capture that did not happen, with a message a person (and the model) can act on. */
export type ScreenLookProblem = 'permission' | 'no-source' | 'ambiguous' | 'capture-failed' | 'unavailable';

export class ScreenLookError extends Error {
  override name = 'ScreenLookError';
  readonly reason: ScreenLookProblem;
  constructor(message: string, reason: ScreenLookProblem) {
    super(message);
    this.reason = reason;
  }
}

export const PERMISSION_EXPLANATION =
  'Earshot may not record the screen. On macOS, allow it in System Settings → Privacy & Security → Screen Recording, then quit and reopen Earshot.';

export interface ScreenLookerOptions {
  port: ScreenCapturePort;
  indicator: CaptureIndicator;
  detail: () => ImageDetail;
  notice: (notice: Notice) => void;
  logger?: Logger;
}

export class ScreenLooker {
  readonly #o: ScreenLookerOptions;

  constructor(options: ScreenLookerOptions) {
    this.#o = options;
  }

  permission(): ScreenPermission {
    return this.#o.port.permission();
  }

  /** Refused consent, explained; null when capturing may be tried ('not-determined': macOS asks at the first capture). */
  permissionProblem(): string | null {
    const state = this.permission();
    if (state === 'denied') return PERMISSION_EXPLANATION;
    if (state === 'restricted') return 'Screen recording is blocked on this Mac by a device policy (restricted); Earshot cannot look at the screen.';
    return null;
  }

  openPermissionSettings(): Promise<void> {
    return this.#o.port.openPermissionSettings?.() ?? Promise.resolve();
  }

  /** Screens and windows with thumbnails, for the person to pick from (this captures thumbnails: user-initiated only). */
  async sources(): Promise<ScreenSource[]> {
    this.assertConsent();
    return this.#o.port.listSources(['screen', 'window'], { thumbnails: true });
  }

  async look(target: LookTarget, detail: ImageDetail = this.#o.detail()): Promise<LookResult> {
    this.assertConsent();
    const source = await this.#resolve(target);
    const { port, indicator } = this.#o;
    indicator.begin(source.name);
    let outcome: 'captured' | 'failed' = 'failed';
    try {
      const captured = await port.capture(source.id, captureBox(detail), (size: PixelSize) => targetSize(size, detail));
      outcome = 'captured';
      const dataUrl = `data:image/png;base64,${Buffer.from(captured.png.buffer, captured.png.byteOffset, captured.png.byteLength).toString('base64')}`;
      return {
        image: { dataUrl, detail },
        sourceName: captured.sourceName || source.name,
        kind: source.kind,
        width: captured.width,
        height: captured.height,
        estimatedTokens: imageTokens({ width: captured.width, height: captured.height }, detail),
      };
    } catch (error) {
      this.#o.logger?.warn('screen capture failed', { error: String(error) });
      throw new ScreenLookError(`Capturing ${source.name} failed: ${error instanceof Error ? error.message : String(error)}`, 'capture-failed');
    } finally {
      indicator.end(source.name, outcome);
      this.#o.notice(
        outcome === 'captured'
          ? { level: 'info', message: `Earshot looked at ${source.name}.`, subject: 'screen' }
          : { level: 'warning', message: `Earshot could not capture ${source.name}.`, subject: 'screen' },
      );
    }
  }

  /**
   * Throws (ScreenLookError 'permission') when consent is refused, after telling the person why in a
   * notice with the button that opens the system setting: the model is told too, but the fix is theirs.
   */
  assertConsent(): void {
    const problem = this.permissionProblem();
    if (!problem) return;
    this.#o.notice({ level: 'error', message: problem, subject: 'screen', ...(this.#o.port.openPermissionSettings ? { button: 'open-screen-settings' as const } : {}) });
    throw new ScreenLookError(problem, 'permission');
  }

  async #resolve(target: LookTarget): Promise<ScreenSource> {
    const kinds: ('screen' | 'window')[] = 'sourceId' in target ? ['screen', 'window'] : [target.which];
    let listed: ScreenSource[];
    try {
      // No thumbnails: listing must not capture anything (thumbnailSize 0 × 0).
      listed = await this.#o.port.listSources(kinds, { thumbnails: false });
    } catch (error) {
      throw new ScreenLookError(`The desktop did not list screens or windows: ${error instanceof Error ? error.message : String(error)}`, 'unavailable');
    }
    if ('sourceId' in target) {
      const found = listed.find((s) => s.id === target.sourceId);
      if (!found) throw new ScreenLookError('That screen or window is no longer there. Pick it again.', 'no-source');
      return found;
    }
    const ofKind = listed.filter((s) => s.kind === target.which);
    if (ofKind.length === 0) {
      throw new ScreenLookError(target.which === 'screen' ? 'No screen can be captured here.' : 'No window can be captured here.', 'no-source');
    }
    if (target.which === 'screen') return ofKind[0] as ScreenSource;
    const wanted = target.windowName?.trim().toLowerCase() ?? '';
    const titles = ofKind.map((s) => `“${s.name}”`).slice(0, 20).join(', ');
    if (!wanted) {
      if (ofKind.length === 1) return ofKind[0] as ScreenSource;
      throw new ScreenLookError(`Say which window to look at; open windows: ${titles}.`, 'ambiguous');
    }
    const exact = ofKind.filter((s) => s.name.toLowerCase() === wanted);
    const partial = exact.length > 0 ? exact : ofKind.filter((s) => s.name.toLowerCase().includes(wanted));
    if (partial.length === 1) return partial[0] as ScreenSource;
    if (partial.length === 0) throw new ScreenLookError(`No open window is called “${target.windowName}”; open windows: ${titles}.`, 'no-source');
    throw new ScreenLookError(`Several windows match “${target.windowName}”: ${partial.map((s) => `“${s.name}”`).join(', ')}. Say which one.`, 'ambiguous');
  }
}
