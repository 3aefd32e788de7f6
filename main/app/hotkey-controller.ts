/**
 * The global hotkey without Electron: everything it needs comes in as ports, so tests drive it fully
 * and main/app/hotkeys.ts only plugs in Electron's globalShortcut and systemPreferences.
 *
 * One key source at a time:
 * - `uiohook` (X11, Windows, macOS with Accessibility permission): globalShortcut gives the press,
 *   uiohook-napi the release;
 * - `portal` (Wayland, where the desktop portal offers GlobalShortcuts): the portal gives both, and
 *   globalShortcut must then NOT hold the same accelerator — Electron itself binds globalShortcut
 *   through that same portal on Wayland (docs/api/global-shortcut.md, "Usage on Linux"), which would
 *   make two bindings and two consent dialogs;
 * - `none` (no permission, no X server that lets us in, no portal, the native module missing, the
 *   portal refused or closed the binding): globalShortcut presses only; hold is unavailable, the app
 *   falls back to toggle mode and says why.
 *
 * The screen shortcut (Shift + the talk hotkey, main/app/screen-shortcut.ts) follows the same source:
 * with the portal it is a second shortcut id, `screen`, in the same session and the same
 * BindShortcuts call as `talk` (a session binds once); otherwise it is its own globalShortcut. Never
 * both: on Wayland globalShortcut would bind the same combination through the same portal again. The
 * portal leaving `screen` unbound (refused, or declined in the desktop's dialog) costs only the screen
 * shortcut, which is logged as missing; the tray and the window still ask about the screen.
 */
import { HoldTracker, keyCodesFor, parseAccelerator, type ParsedAccelerator } from './accelerator.ts';
import { REPEAT_WINDOW_MS, RepeatFilter } from './key-repeat.ts';
import { portalTrigger } from './portal-trigger.ts';
import type { PortalEvents, PortalOpenResult, PortalShortcutRequest, PortalShortcuts } from './portal-shortcuts.ts';
import { ScreenShortcut, screenAccelerator } from './screen-shortcut.ts';
import { probeXDisplay, type XProbeResult } from './x11-display.ts';
import type { Logger } from '../base/logger.ts';

export interface HotkeyHandlers {
  onDown: () => void;
  onUp: () => void;
  /** The key source, hold availability or the portal's bound trigger changed after start-up. */
  onSourceChanged?: () => void;
  /** Shift + the hotkey: ask about the screen (as the tray's "Ask about my screen…"). Absent: no screen shortcut. */
  onScreen?: () => void;
}

/** Where the screen shortcut is bound now, and on which keys (the portal's trigger_description when it gave one). */
export interface ScreenShortcutInfo {
  via: 'portal' | 'globalShortcut';
  keys: string;
}

export type KeyUpSource = 'uiohook' | 'portal' | 'none';

/** What Settings shows about the hotkey's key-up source. */
export interface KeyUpSourceInfo {
  keyUpSource: KeyUpSource;
  /** The keys the desktop's shortcut portal bound (its trigger_description), when the portal is the source. */
  portalTrigger: string | null;
}

/** The id of our one portal shortcut, and what the desktop's dialog says it does. */
export const PORTAL_SHORTCUT_ID = 'talk';
export const PORTAL_SHORTCUT_DESCRIPTION = 'Hold to talk to Earshot';
/** The screen shortcut's portal id (Shift + the talk hotkey), bound beside `talk`. */
export const PORTAL_SCREEN_SHORTCUT_ID = 'screen';
export const PORTAL_SCREEN_SHORTCUT_DESCRIPTION = 'Ask Earshot about your screen';

export interface RegisterResult {
  ok: boolean;
  message?: string;
}

/** What we use of Electron's globalShortcut (docs/api/global-shortcut.md). */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  isRegistered(accelerator: string): boolean;
  unregisterAll(): void;
}

export interface KeyUpEvent {
  keycode: number;
}

/** What we use of uiohook-napi's `uIOhook` (an EventEmitter with start/stop). */
export interface KeyHook {
  on(event: 'keyup', listener: (event: KeyUpEvent) => void): unknown;
  removeListener(event: 'keyup', listener: (event: KeyUpEvent) => void): unknown;
  start(): void;
  stop(): void;
}

export interface KeyHookModule {
  hook: KeyHook;
  /** uiohook-napi's UiohookKey: key name → keycode. */
  keys: Readonly<Record<string, number>>;
}

export interface HotkeyDeps {
  shortcuts: GlobalShortcutPort;
  /** Loads the native key hook; rejects when it cannot be loaded. */
  loadKeyHook: () => Promise<KeyHookModule>;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** macOS: systemPreferences.isTrustedAccessibilityClient(false). uiohook crashes without it (DESIGN §5). */
  accessibilityTrusted: () => boolean;
  /** Linux: does an X server on this DISPLAY let us in (main/app/x11-display.ts)? */
  probeDisplay: (display: string) => Promise<XProbeResult>;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Auto-repeat window without a key-up source (main/app/key-repeat.ts). */
  repeatWindowMs?: number;
  /** Linux/Wayland: the GlobalShortcuts portal (main/app/portal-shortcuts.ts); absent: never tried. */
  openPortal?: (events: PortalEvents) => Promise<PortalOpenResult>;
}

/** The real uiohook-napi, imported lazily: loading it is harmless, starting it without a display is not. */
export async function loadUiohook(): Promise<KeyHookModule> {
  const { uIOhook, UiohookKey } = await import('uiohook-napi');
  return { hook: uIOhook, keys: UiohookKey as unknown as Readonly<Record<string, number>> };
}

/** The Electron-free defaults: this process's platform and environment, the real hook, X probe and portal. */
export function nodeHotkeyDeps(logger: Logger = QUIET): Omit<HotkeyDeps, 'shortcuts' | 'accessibilityTrusted'> {
  return {
    loadKeyHook: loadUiohook,
    platform: process.platform,
    env: process.env,
    probeDisplay: (display) => probeXDisplay(display),
    now: () => performance.now(),
    async openPortal(events) {
      // Imported lazily: only a Wayland session needs the D-Bus client.
      const { isSandboxed, openPortalShortcuts } = await import('./portal-shortcuts.ts');
      return openPortalShortcuts({ busAddress: process.env.DBUS_SESSION_BUS_ADDRESS, sandboxed: isSandboxed(process.env), logger }, events);
    },
  };
}

const QUIET: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function isWayland(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY && !env.DISPLAY);
}

const WAYLAND_NO_RELEASES = 'Wayland does not let apps see key releases; hold mode needs an X11 session';

export class HotkeyController {
  private accelerator: string | null = null;
  private parsed: ParsedAccelerator | null = null;
  private tracker: HoldTracker | null = null;
  private keyHook: KeyHookModule | null = null;
  private enabling: Promise<boolean> | null = null;
  private keyUpReason = 'not checked yet';
  private portal: PortalShortcuts | null = null;
  private portalTriggerText: string | null = null;
  /** The accelerator the portal was last asked to bind (its binding may still be pending). */
  private portalBinding: ParsedAccelerator | null = null;
  private portalHeld = false;
  /** Portal mode: whether `screen` is bound, and its trigger_description (or the keys we asked for). */
  private portalScreenKeys: string | null = null;
  private portalScreenHeld = false;
  private bindGeneration = 0;
  /** The screen shortcut as its own globalShortcut, used whenever the portal is not the key source. */
  private readonly screen: ScreenShortcut | null;
  private readonly repeat: RepeatFilter;
  private readonly handlers: HotkeyHandlers;
  private readonly logger: Logger;
  private readonly deps: HotkeyDeps;
  private readonly onKeyUp = (event: KeyUpEvent): void => this.tracker?.keyUp(event.keycode);
  private readonly onPress = (): void => this.press();

  constructor(handlers: HotkeyHandlers, logger: Logger, deps: HotkeyDeps) {
    this.handlers = handlers;
    this.logger = logger;
    this.deps = deps;
    this.repeat = new RepeatFilter(deps.repeatWindowMs ?? REPEAT_WINDOW_MS);
    const onScreen = handlers.onScreen;
    this.screen = onScreen ? new ScreenShortcut(deps.shortcuts, onScreen, logger) : null;
  }

  /** Where Shift + the hotkey asks about the screen now; null: nowhere (the tray and the window still do). */
  get screenShortcut(): ScreenShortcutInfo | null {
    if (this.portal) return this.portalScreenKeys ? { via: 'portal', keys: this.portalScreenKeys } : null;
    const accelerator = this.screen?.accelerator;
    return accelerator ? { via: 'globalShortcut', keys: accelerator } : null;
  }

  /** Try to get key-up events; safe to call more than once. */
  enableKeyUp(): Promise<boolean> {
    if (this.keyHook) return Promise.resolve(true);
    this.enabling ??= this.startKeyHook().finally(() => {
      this.enabling = null;
    });
    return this.enabling;
  }

  get holdAvailable(): boolean {
    return this.keyHook !== null || this.portal !== null;
  }

  /** Why hold mode is not available, for the settings page ("Hold-to-talk is unavailable: <reason>."). */
  get holdUnavailableReason(): string | null {
    return this.holdAvailable ? null : this.keyUpReason;
  }

  /** Which source delivers key releases, and the keys the portal bound. */
  get keyUpSource(): KeyUpSourceInfo {
    if (this.portal) return { keyUpSource: 'portal', portalTrigger: this.portalTriggerText };
    return { keyUpSource: this.keyHook ? 'uiohook' : 'none', portalTrigger: null };
  }

  /** Resolves when the portal's answer to the latest binding has been handled (tests, start-up logs). */
  portalSettled: Promise<void> = Promise.resolve();
  /** Resolves once dispose() has closed the portal session and connection. */
  portalClosed: Promise<void> = Promise.resolve();

  /** The accelerator that is registered now (after a failed change, still the previous one). */
  get current(): string | null {
    return this.accelerator;
  }

  /**
   * Registers `accelerator` and only then lets go of the previous one, so a hotkey that fails (taken by
   * another application, refused, invalid) leaves the previous hotkey working.
   */
  register(accelerator: string): RegisterResult {
    const previous = this.accelerator;
    const kept = previous ? `; Earshot kept ${previous}` : '';
    const parsed = parseAccelerator(accelerator, this.deps.platform);
    if ('error' in parsed) return { ok: false, message: `${parsed.error}${kept}.` };
    if (this.portal) return this.registerWithPortal(accelerator, parsed);
    const { shortcuts } = this.deps;
    const sameAsPrevious = previous !== null && this.parsed !== null && sameCombination(parsed, this.parsed);
    // Electron refuses to register a combination this app already holds (Chromium's
    // GlobalAcceleratorListener::RegisterAccelerator returns false for a known accelerator), so a
    // spelling of the current hotkey ("Ctrl+Alt+Space" for "Control+Alt+Space") keeps the registration
    // under the spelling it was made with.
    if (sameAsPrevious && shortcuts.isRegistered(previous)) return { ok: true };
    let failure: string | null = null;
    try {
      // register() fails silently when another application owns the combination: it can return
      // true and still not hold it, so isRegistered() decides (docs/api/global-shortcut.md).
      const returned = shortcuts.register(accelerator, this.onPress);
      if (!returned || !shortcuts.isRegistered(accelerator)) failure = 'taken';
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure !== null) {
      const restored = previous !== null && !sameAsPrevious && this.ensureRegistered(previous);
      const cause = failure === 'taken' ? `${accelerator} is taken by another application` : `${accelerator} cannot be used (${failure})`;
      if (restored) return { ok: false, message: `${cause}; Earshot kept ${previous}.` };
      this.accelerator = null;
      this.parsed = null;
      const lost = previous !== null && !sameAsPrevious ? `, and ${previous} could not be taken back either` : '';
      return { ok: false, message: `${cause}${lost}, so Earshot has no hotkey right now.` };
    }
    if (previous !== null && !sameAsPrevious) {
      try {
        shortcuts.unregister(previous);
      } catch (error) {
        this.logger.warn('could not release the previous hotkey', { accelerator: previous, error: String(error) });
      }
    }
    this.accelerator = accelerator;
    this.parsed = parsed;
    this.rebuildTracker();
    this.repeat.reset();
    this.screen?.follow(accelerator);
    return { ok: true };
  }

  dispose(): void {
    this.screen?.dispose();
    this.deps.shortcuts.unregisterAll();
    this.accelerator = null;
    this.parsed = null;
    const portal = this.portal;
    this.portal = null;
    this.bindGeneration++;
    // The portal would close our session anyway when this connection goes (Session documentation:
    // "a client ... vanishing from the D-Bus is equivalent to closing all active sessions").
    if (portal) this.portalClosed = portal.close();
    const keyHook = this.keyHook;
    this.keyHook = null;
    this.tracker = null;
    if (keyHook) {
      keyHook.hook.removeListener('keyup', this.onKeyUp);
      keyHook.hook.stop();
    }
  }

  /** The global shortcut's callback: one down per physical press, whatever the turn mode. */
  private press(): void {
    if (this.keyHook && this.tracker) {
      this.tracker.press();
      return;
    }
    if (this.repeat.isRepeat(this.deps.now())) return;
    this.handlers.onDown();
  }

  private rebuildTracker(): void {
    if (!this.keyHook || !this.parsed) {
      this.tracker = null;
      return;
    }
    this.tracker = new HoldTracker(keyCodesFor(this.parsed, this.keyHook.keys), this.handlers.onDown, this.handlers.onUp);
  }

  private ensureRegistered(accelerator: string): boolean {
    const { shortcuts } = this.deps;
    try {
      if (shortcuts.isRegistered(accelerator)) return true;
      return shortcuts.register(accelerator, this.onPress) && shortcuts.isRegistered(accelerator);
    } catch (error) {
      this.logger.warn('could not take back the previous hotkey', { accelerator, error: String(error) });
      return false;
    }
  }

  private async startKeyHook(): Promise<boolean> {
    if (this.deps.platform === 'linux' && isWayland(this.deps.env) && this.deps.openPortal) return this.startPortal(this.deps.openPortal);
    const reason = await this.keyUpUnavailableReason();
    if (reason) {
      this.keyUpReason = reason;
      this.logger.info('hold-to-talk unavailable', { reason });
      return false;
    }
    let loaded: KeyHookModule | null = null;
    try {
      loaded = await this.deps.loadKeyHook();
      loaded.hook.on('keyup', this.onKeyUp);
      loaded.hook.start();
      this.keyHook = loaded;
      this.rebuildTracker();
      return true;
    } catch (error) {
      loaded?.hook.removeListener('keyup', this.onKeyUp);
      this.keyUpReason = `the key-up hook could not start (${error instanceof Error ? error.message : String(error)})`;
      this.logger.warn('uiohook unavailable', { reason: this.keyUpReason });
      return false;
    }
  }

  private async startPortal(openPortal: NonNullable<HotkeyDeps['openPortal']>): Promise<boolean> {
    let opened: PortalOpenResult;
    try {
      opened = await openPortal({
        activated: (id) => this.portalDown(id),
        deactivated: (id) => this.portalUp(id),
        triggerChanged: (id, trigger) => this.portalTriggerChanged(id, trigger),
        lost: (reason) => this.leavePortal(reason),
      });
    } catch (error) {
      opened = { ok: false, reason: `the shortcut portal could not be used (${error instanceof Error ? error.message : String(error)})` };
    }
    if (!opened.ok) {
      this.keyUpReason = `${opened.reason}, and ${WAYLAND_NO_RELEASES.charAt(0).toLowerCase()}${WAYLAND_NO_RELEASES.slice(1)}`;
      this.logger.info('hold-to-talk unavailable', { reason: this.keyUpReason });
      return false;
    }
    this.portal = opened.portal;
    // A hotkey registered before the portal was found moves from globalShortcut to the portal, and so
    // does its Shift variant for the screen.
    if (this.accelerator && this.parsed) {
      try {
        this.deps.shortcuts.unregister(this.accelerator);
        this.screen?.dispose();
      } catch (error) {
        this.logger.warn('could not release the global shortcut for the portal', { error: String(error) });
      }
      this.bindPortal(this.accelerator, this.parsed);
    }
    return true;
  }

  /** Portal mode: the portal decides asynchronously; a refusal falls back to toggle and says why. */
  private registerWithPortal(accelerator: string, parsed: ParsedAccelerator): RegisterResult {
    this.accelerator = accelerator;
    this.parsed = parsed;
    if (!this.portalBinding || !sameCombination(this.portalBinding, parsed)) this.bindPortal(accelerator, parsed);
    return { ok: true };
  }

  /** `talk`, and `screen` (the Shift variant) when there is one, in one BindShortcuts of a new session. */
  private bindPortal(accelerator: string, parsed: ParsedAccelerator): void {
    const portal = this.portal;
    if (!portal) return;
    const generation = ++this.bindGeneration;
    this.portalBinding = parsed;
    this.portalTriggerText = null;
    this.portalScreenKeys = null;
    this.portalHeld = false;
    this.portalScreenHeld = false;
    // Without `talk` the portal is no key source (the bind fails); without `screen` only that shortcut is missing.
    const requests: PortalShortcutRequest[] = [{ id: PORTAL_SHORTCUT_ID, description: PORTAL_SHORTCUT_DESCRIPTION, preferredTrigger: portalTrigger(parsed), required: true }];
    const screenTrigger = this.screen ? screenPortalTrigger(accelerator, this.deps.platform) : null;
    if (screenTrigger) requests.push({ id: PORTAL_SCREEN_SHORTCUT_ID, description: PORTAL_SCREEN_SHORTCUT_DESCRIPTION, preferredTrigger: screenTrigger });
    this.portalSettled = portal.bind(requests).then((result) => {
      if (generation !== this.bindGeneration || this.portal !== portal) return;
      if (!result.ok) {
        this.leavePortal(result.reason);
        return;
      }
      this.portalTriggerText = result.bound[PORTAL_SHORTCUT_ID] ?? null;
      this.logger.info('hotkey bound through the shortcut portal', { trigger: this.portalTriggerText });
      if (screenTrigger) {
        if (PORTAL_SCREEN_SHORTCUT_ID in result.bound) {
          this.portalScreenKeys = result.bound[PORTAL_SCREEN_SHORTCUT_ID] ?? screenTrigger;
          // Settings shows these keys (screenShortcut, through onSourceChanged below); the log too.
          this.logger.info('screen shortcut bound through the shortcut portal', { trigger: this.portalScreenKeys });
        } else {
          this.logger.warn(SCREEN_NOT_BOUND, { preferredTrigger: screenTrigger });
        }
      }
      this.handlers.onSourceChanged?.();
    });
  }

  /** The portal refused, closed the session or went away: hold is unavailable, toggle through globalShortcut. */
  private leavePortal(reason: string): void {
    const portal = this.portal;
    if (!portal) return;
    this.portal = null;
    this.portalBinding = null;
    this.portalTriggerText = null;
    this.portalScreenKeys = null;
    this.portalScreenHeld = false;
    this.bindGeneration++;
    this.portalClosed = portal.close();
    if (this.portalHeld) {
      this.portalHeld = false;
      this.handlers.onUp();
    }
    this.keyUpReason = reason;
    this.logger.warn('hold-to-talk unavailable', { reason });
    if (this.accelerator && !this.ensureRegistered(this.accelerator)) {
      this.logger.warn('the hotkey could not be registered after the portal fell away', { accelerator: this.accelerator });
      this.accelerator = null;
      this.parsed = null;
    }
    // The screen shortcut goes back to its own globalShortcut, as without a portal.
    if (this.accelerator) this.screen?.follow(this.accelerator);
    this.repeat.reset();
    this.handlers.onSourceChanged?.();
  }

  private portalDown(id: string): void {
    if (id === PORTAL_SCREEN_SHORTCUT_ID) {
      // One question per press: a second Activated before Deactivated (a held key) asks nothing more.
      if (this.portalScreenHeld || !this.portalScreenKeys) return;
      this.portalScreenHeld = true;
      this.handlers.onScreen?.();
      return;
    }
    if (id !== PORTAL_SHORTCUT_ID || this.portalHeld) return;
    this.portalHeld = true;
    this.handlers.onDown();
  }

  private portalUp(id: string): void {
    if (id === PORTAL_SCREEN_SHORTCUT_ID) {
      this.portalScreenHeld = false;
      return;
    }
    if (id !== PORTAL_SHORTCUT_ID || !this.portalHeld) return;
    this.portalHeld = false;
    this.handlers.onUp();
  }

  /** ShortcutsChanged: the person changed the keys in the desktop's settings. */
  private portalTriggerChanged(id: string, trigger: string | null): void {
    if (id === PORTAL_SCREEN_SHORTCUT_ID) {
      if (!this.screen || !this.accelerator) return;
      this.portalScreenKeys = trigger ?? screenPortalTrigger(this.accelerator, this.deps.platform);
      // No onSourceChanged here: ShortcutsChanged lists every shortcut of the session, and talk's entry
      // (below) tells Settings, which then reads these keys too.
      this.logger.info('screen shortcut keys changed in the desktop', { trigger: this.portalScreenKeys });
      return;
    }
    if (id !== PORTAL_SHORTCUT_ID) return;
    this.portalTriggerText = trigger;
    this.handlers.onSourceChanged?.();
  }

  private async keyUpUnavailableReason(): Promise<string | null> {
    const { platform, env } = this.deps;
    if (platform === 'linux') {
      if (isWayland(env)) return WAYLAND_NO_RELEASES;
      if (!env.DISPLAY) return 'there is no X display (DISPLAY is not set)';
      // uiohook aborts the whole process when XOpenDisplay fails, so ask the server first.
      const probe = await this.deps.probeDisplay(env.DISPLAY);
      if (!probe.ok) return probe.reason;
    }
    if (platform === 'darwin' && !this.deps.accessibilityTrusted()) {
      return 'macOS needs Accessibility permission for Earshot (System Settings → Privacy & Security → Accessibility)';
    }
    return null;
  }
}

const SCREEN_NOT_BOUND = 'the shortcut portal did not bind the screen shortcut; the tray and the window still ask about the screen';

/** The portal trigger of Shift + `accelerator`, or null when it already has Shift (screen-shortcut.ts). */
function screenPortalTrigger(accelerator: string, platform: NodeJS.Platform): string | null {
  const shifted = screenAccelerator(accelerator);
  if (!shifted) return null;
  const parsed = parseAccelerator(shifted, platform);
  return 'error' in parsed ? null : portalTrigger(parsed);
}

function sameCombination(a: ParsedAccelerator, b: ParsedAccelerator): boolean {
  return a.key === b.key && a.modifiers.length === b.modifiers.length && a.modifiers.every((m) => b.modifiers.includes(m));
}
