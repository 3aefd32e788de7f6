/**
 * The global hotkey. globalShortcut gives key presses only; hold-to-talk also needs key-up, which
 * comes from uiohook-napi where it can work (X11, Windows, macOS with Accessibility permission).
 * Elsewhere (Wayland, no permission, the native module missing) hold is unavailable: the app falls
 * back to toggle mode and says so.
 */
import { globalShortcut, systemPreferences } from 'electron';
import { HoldTracker, keyCodesFor, parseAccelerator } from './accelerator.ts';
import type { Logger } from '../voice/ports.ts';

export interface HotkeyHandlers {
  onDown: () => void;
  onUp: () => void;
}

export interface RegisterResult {
  ok: boolean;
  message?: string;
}

interface KeyUpSource {
  onKeyUp(listener: (keycode: number) => void): void;
  table: Readonly<Record<string, number>>;
  stop(): void;
}

export class Hotkeys {
  private accelerator: string | null = null;
  private tracker: HoldTracker | null = null;
  private keyUpSource: KeyUpSource | null = null;
  private keyUpReason = 'not checked yet';
  private readonly handlers: HotkeyHandlers;
  private readonly logger: Logger;

  constructor(handlers: HotkeyHandlers, logger: Logger) {
    this.handlers = handlers;
    this.logger = logger;
  }

  /** Try to get key-up events; safe to call more than once. */
  async enableKeyUp(): Promise<boolean> {
    if (this.keyUpSource) return true;
    const reason = keyUpUnavailableReason();
    if (reason) {
      this.keyUpReason = reason;
      return false;
    }
    try {
      const { uIOhook, UiohookKey } = await import('uiohook-napi');
      const listeners = new Set<(keycode: number) => void>();
      uIOhook.on('keyup', (event) => {
        for (const listener of listeners) listener(event.keycode);
      });
      uIOhook.start();
      this.keyUpSource = {
        onKeyUp: (listener) => listeners.add(listener),
        table: UiohookKey as unknown as Readonly<Record<string, number>>,
        stop: () => uIOhook.stop(),
      };
      this.keyUpSource.onKeyUp((code) => this.tracker?.keyUp(code));
      if (this.accelerator) this.register(this.accelerator);
      return true;
    } catch (error) {
      this.keyUpReason = `the key-up hook could not start (${error instanceof Error ? error.message : String(error)})`;
      this.logger.warn('uiohook unavailable', { reason: this.keyUpReason });
      return false;
    }
  }

  get holdAvailable(): boolean {
    return this.keyUpSource !== null;
  }

  /** Why hold mode is not available, for the settings page. */
  get holdUnavailableReason(): string | null {
    return this.keyUpSource ? null : this.keyUpReason;
  }

  register(accelerator: string): RegisterResult {
    const parsed = parseAccelerator(accelerator);
    if ('error' in parsed) return { ok: false, message: parsed.error };
    if (this.accelerator) globalShortcut.unregister(this.accelerator);
    const codes = this.keyUpSource ? keyCodesFor(parsed, this.keyUpSource.table) : new Set<number>();
    this.tracker = new HoldTracker(codes, this.handlers.onDown, this.handlers.onUp);
    const tracker = this.tracker;
    let ok: boolean;
    try {
      ok = globalShortcut.register(accelerator, () => {
        if (this.keyUpSource) tracker.press();
        else this.handlers.onDown();
      });
    } catch (error) {
      return { ok: false, message: `${accelerator} cannot be used: ${error instanceof Error ? error.message : String(error)}` };
    }
    // register() can fail silently when another application owns the combination.
    if (!ok || !globalShortcut.isRegistered(accelerator)) {
      this.accelerator = null;
      return { ok: false, message: `${accelerator} is taken by another application. Choose another hotkey in Settings.` };
    }
    this.accelerator = accelerator;
    return { ok: true };
  }

  dispose(): void {
    globalShortcut.unregisterAll();
    this.keyUpSource?.stop();
    this.keyUpSource = null;
  }
}

function keyUpUnavailableReason(): string | null {
  if (process.platform === 'linux') {
    if (process.env.XDG_SESSION_TYPE === 'wayland' || (process.env.WAYLAND_DISPLAY && !process.env.DISPLAY)) {
      return 'Wayland does not let apps see key releases; hold mode needs an X11 session';
    }
    if (!process.env.DISPLAY) return 'no X display';
  }
  if (process.platform === 'darwin' && !systemPreferences.isTrustedAccessibilityClient(false)) {
    return 'macOS needs Accessibility permission for Earshot (System Settings → Privacy & Security → Accessibility)';
  }
  return null;
}
