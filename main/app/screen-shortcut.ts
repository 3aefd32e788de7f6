/**
 * The hotkey modifier for the screen (issue 11): the talk hotkey with Shift added — Shift+Control+Alt+
 * Space by default — asks about the screen, as the tray's "Ask about my screen…" does (the window's
 * picker opens: nothing is captured until the person picks a screen or window).
 *
 * It is a globalShortcut of its own (docs/api/global-shortcut.md: an accelerator matches its exact
 * modifiers, so the talk hotkey does not fire for it). A talk hotkey that already holds Shift has no
 * Shift variant: then there is none, and the tray and window remain the way in. Where the shortcut
 * cannot be registered (another app holds it) that is one line in the log: the tray and window still
 * work.
 *
 * The hotkey controller (hotkey-controller.ts) owns it and follows its key source: where the
 * GlobalShortcuts portal gives the talk hotkey (Wayland) the screen shortcut is the portal's `screen`
 * id instead and this globalShortcut is not registered (Electron would bind the same combination
 * through the same portal a second time); with any other source it is this globalShortcut.
 */
import type { Logger } from '../base/logger.ts';
import type { GlobalShortcutPort } from './hotkey-controller.ts';

/** The talk hotkey with Shift added, or null when it already has Shift (or no key to add it to). */
export function screenAccelerator(hotkey: string): string | null {
  const parts = hotkey.split('+').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) return null;
  if (parts.some((p) => p.toLowerCase() === 'shift')) return null;
  return ['Shift', ...parts].join('+');
}

export class ScreenShortcut {
  #registered: string | null = null;
  readonly #shortcuts: Pick<GlobalShortcutPort, 'register' | 'unregister' | 'isRegistered'>;
  readonly #onPress: () => void;
  readonly #logger: Logger;

  constructor(shortcuts: Pick<GlobalShortcutPort, 'register' | 'unregister' | 'isRegistered'>, onPress: () => void, logger: Logger) {
    this.#shortcuts = shortcuts;
    this.#onPress = onPress;
    this.#logger = logger;
  }

  /** The accelerator that asks about the screen now, or null when there is none. */
  get accelerator(): string | null {
    return this.#registered;
  }

  /** Follows the talk hotkey: the old Shift variant goes, the new one is registered. */
  follow(hotkey: string): string | null {
    const next = screenAccelerator(hotkey);
    if (next === this.#registered) return next;
    this.dispose();
    if (!next) return null;
    // register() can return true while another application holds the combination: isRegistered()
    // says whether it is ours (the same check the talk hotkey makes, hotkey-controller.ts).
    const ok = this.#shortcuts.register(next, this.#onPress) && this.#shortcuts.isRegistered(next);
    if (!ok) {
      this.#logger.warn('the screen shortcut could not be registered; the tray and the window still ask about the screen', { accelerator: next });
      return null;
    }
    this.#registered = next;
    return next;
  }

  dispose(): void {
    if (this.#registered) this.#shortcuts.unregister(this.#registered);
    this.#registered = null;
  }
}
