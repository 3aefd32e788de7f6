/**
 * The screen's hotkey modifier: Shift plus the talk hotkey opens the screen picker; it follows a
 * changed talk hotkey, gives way when the talk hotkey already uses Shift, and a combination another
 * application holds is logged, not fatal.
 */
import { describe, expect, it } from 'vitest';
import { HotkeyController } from '../../../main/app/hotkey-controller.ts';
import { ScreenShortcut, screenAccelerator } from '../../../main/app/screen-shortcut.ts';
import type { Logger } from '../../../main/base/logger.ts';

/** globalShortcut as docs/api/global-shortcut.md describes it: one owner per accelerator; `taken` are held by other apps. */
function shortcuts(taken: string[] = []) {
  const mine = new Map<string, () => void>();
  return {
    mine,
    register(accelerator: string, callback: () => void): boolean {
      if (mine.has(accelerator)) return false;
      if (taken.includes(accelerator)) return true; // Electron may say true although another app holds it
      mine.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string): void {
      mine.delete(accelerator);
    },
    isRegistered(accelerator: string): boolean {
      return mine.has(accelerator);
    },
    press(accelerator: string): void {
      mine.get(accelerator)?.();
    },
  };
}

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
}

describe('the screen shortcut', () => {
  it('is the talk hotkey with Shift, and asks about the screen when pressed', () => {
    const s = shortcuts();
    let asked = 0;
    const screen = new ScreenShortcut(s, () => asked++, logger());
    expect(screen.follow('Control+Alt+Space')).toBe('Shift+Control+Alt+Space');
    s.press('Control+Alt+Space');
    expect(asked).toBe(0);
    s.press('Shift+Control+Alt+Space');
    expect(asked).toBe(1);
  });

  it('follows a new talk hotkey and lets the old combination go', () => {
    const s = shortcuts();
    const screen = new ScreenShortcut(s, () => {}, logger());
    screen.follow('Control+Alt+Space');
    expect(screen.follow('Alt+F9')).toBe('Shift+Alt+F9');
    expect([...s.mine.keys()]).toEqual(['Shift+Alt+F9']);
    screen.dispose();
    expect([...s.mine.keys()]).toEqual([]);
  });

  it('has no variant for a talk hotkey that already uses Shift', () => {
    expect(screenAccelerator('Control+Shift+K')).toBeNull();
    const s = shortcuts();
    const screen = new ScreenShortcut(s, () => {}, logger());
    screen.follow('Control+Alt+Space');
    expect(screen.follow('Control+Shift+K')).toBeNull();
    expect([...s.mine.keys()]).toEqual([]);
  });

  it('says in the log, not in a dialog, when another application holds the combination', () => {
    const s = shortcuts(['Shift+Control+Alt+Space']);
    const log = logger();
    const screen = new ScreenShortcut(s, () => {}, log);
    expect(screen.follow('Control+Alt+Space')).toBeNull();
    expect(screen.accelerator).toBeNull();
    expect(log.warnings).toEqual(['the screen shortcut could not be registered; the tray and the window still ask about the screen']);
  });
});

describe('the screen shortcut in the hotkey controller without a portal (X11, macOS, Windows, or no key-up source)', () => {
  function controller(taken: string[] = []) {
    const s = { ...shortcuts(taken), unregisterAll: () => undefined };
    const log: string[] = [];
    const hotkeys = new HotkeyController({ onDown: () => log.push('down'), onUp: () => log.push('up'), onScreen: () => log.push('screen') }, logger(), {
      shortcuts: s,
      loadKeyHook: () => Promise.reject(new Error('no hook here')),
      platform: 'win32',
      env: {},
      accessibilityTrusted: () => true,
      probeDisplay: () => Promise.reject(new Error('no X here')),
      now: () => performance.now(),
    });
    return { s, log, hotkeys };
  }

  it('is its own globalShortcut after the talk hotkey, asks about the screen, and follows a new hotkey', () => {
    const { s, log, hotkeys } = controller();
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    expect([...s.mine.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
    expect(hotkeys.screenShortcut).toEqual({ via: 'globalShortcut', keys: 'Shift+Control+Alt+Space' });
    s.press('Shift+Control+Alt+Space');
    expect(log).toEqual(['screen']);
    hotkeys.register('Alt+F9');
    expect([...s.mine.keys()]).toEqual(['Alt+F9', 'Shift+Alt+F9']);
  });

  it('a talk hotkey that cannot be had keeps the previous one and its screen shortcut', () => {
    const { s, hotkeys } = controller(['Alt+F9']);
    hotkeys.register('Control+Alt+Space');
    expect(hotkeys.register('Alt+F9').ok).toBe(false);
    expect([...s.mine.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
  });
});
