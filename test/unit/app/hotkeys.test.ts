/**
 * The global hotkey as main/index.ts builds it (`new Hotkeys(handlers, logger)`), with Electron's
 * globalShortcut and uiohook-napi replaced by in-memory models, and then the controller with every
 * dependency injected. The first block ("defects") is written against the public API only, so the
 * same file runs against the hotkeys.ts from before the fix: each test there failed on it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Hotkeys } from '../../../main/app/hotkeys.ts';
import { HotkeyController, type GlobalShortcutPort, type HotkeyDeps, type KeyHookModule, type KeyUpEvent } from '../../../main/app/hotkey-controller.ts';
import type { XProbeResult } from '../../../main/app/x11-display.ts';
import { freeDisplayNumber, startXvfb, xvfbPath } from '../../support/hotkey/x-server.ts';

type Callback = () => void;

const fakes = vi.hoisted(() => {
  /**
   * Electron's globalShortcut as shell/browser/api/electron_api_global_shortcut.cc behaves:
   * register() returns false when the platform listener refuses the combination (another application
   * holds it: docs/api/global-shortcut.md "this call will silently fail") or when this app already
   * holds it (Chromium's GlobalAcceleratorListener::RegisterAccelerator); isRegistered() answers from
   * the app's own map; unregister() of an unknown accelerator does nothing.
   */
  const held = new Map<string, Callback>();
  const takenByOthers = new Set<string>();
  const shortcuts = {
    held,
    takenByOthers,
    register(accelerator: string, callback: Callback): boolean {
      if (held.has(accelerator) || takenByOthers.has(accelerator)) return false;
      held.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string): void {
      held.delete(accelerator);
    },
    isRegistered(accelerator: string): boolean {
      return held.has(accelerator);
    },
    unregisterAll(): void {
      held.clear();
    },
    /** What the OS does when the user presses the combination: calls the app that holds it, if any. */
    press(accelerator: string): boolean {
      const callback = held.get(accelerator);
      callback?.();
      return callback !== undefined;
    },
  };
  /**
   * uiohook-napi's uIOhook: start() on Linux calls XOpenDisplay and the real module aborts the process
   * when it fails; this model cannot abort, so it records every start() with the DISPLAY it saw.
   */
  const keyup = new Set<(event: { keycode: number }) => void>();
  const hook = {
    starts: [] as (string | undefined)[],
    on(event: string, listener: (event: { keycode: number }) => void) {
      if (event === 'keyup') keyup.add(listener);
      return hook;
    },
    removeListener(event: string, listener: (event: { keycode: number }) => void) {
      if (event === 'keyup') keyup.delete(listener);
      return hook;
    },
    start(): void {
      hook.starts.push(process.env.DISPLAY);
    },
    stop(): void {},
    keyUp(keycode: number): void {
      for (const listener of keyup) listener({ keycode });
    },
  };
  const keys = { Ctrl: 29, CtrlRight: 3613, Alt: 56, AltRight: 3640, Shift: 42, ShiftRight: 54, Meta: 3675, MetaRight: 3676, Space: 57, F4: 62, F9: 67 };
  return { shortcuts, hook, keys };
});

vi.mock('electron', () => ({
  globalShortcut: fakes.shortcuts,
  systemPreferences: { isTrustedAccessibilityClient: () => true },
}));
vi.mock('uiohook-napi', () => ({ uIOhook: fakes.hook, UiohookKey: fakes.keys }));

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function recorder(): { log: string[]; handlers: { onDown: Callback; onUp: Callback } } {
  const log: string[] = [];
  return { log, handlers: { onDown: () => log.push('down'), onUp: () => log.push('up') } };
}

beforeEach(() => {
  fakes.shortcuts.held.clear();
  fakes.shortcuts.takenByOthers.clear();
  fakes.hook.starts.length = 0;
  vi.stubEnv('XDG_SESSION_TYPE', '');
  vi.stubEnv('WAYLAND_DISPLAY', '');
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('defects (public Hotkeys API, as main/index.ts uses it)', () => {
  it.skipIf(process.platform !== 'linux')('no X server on DISPLAY: hold is unavailable with the reason, and the key hook is never started', async () => {
    const n = await freeDisplayNumber();
    vi.stubEnv('DISPLAY', `:${n}`);
    const { handlers } = recorder();
    const hotkeys = new Hotkeys(handlers, quiet);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(fakes.hook.starts).toEqual([]);
    expect(hotkeys.holdUnavailableReason).toBe(`no X server answers on DISPLAY :${n}`);
    hotkeys.dispose();
  });

  it.skipIf(process.platform !== 'linux')('no X server on DISPLAY: the real uiohook path does not take the process down (exit 0, reason printed)', async () => {
    const n = await freeDisplayNumber();
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'support', 'hotkey', 'enable-key-up.ts')], {
      env: { ...process.env, DISPLAY: `:${n}`, XDG_SESSION_TYPE: '', WAYLAND_DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    console.log(`enableKeyUp with DISPLAY=:${n} and no server: exit ${code ?? signal}; ${stdout.trim()}${stderr ? `; stderr: ${stderr.trim().split('\n').pop()}` : ''}`);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(JSON.parse(stdout.trim())).toEqual({ holdAvailable: false, reason: `no X server answers on DISPLAY :${n}` });
  });

  it('auto-repeat in toggle mode (no key-up source): one physical hold with 40 repeats is one press; presses 1.2 s apart are two', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'Date', 'setTimeout', 'clearTimeout'] });
    vi.stubEnv('DISPLAY', '');
    const { log, handlers } = recorder();
    const hotkeys = new Hotkeys(handlers, quiet);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    // X11's default auto-repeat: first repeat after 660 ms, then every 40 ms (`xset r rate 660 25`).
    fakes.shortcuts.press('Control+Alt+Space');
    vi.advanceTimersByTime(660);
    for (let repeat = 0; repeat < 40; repeat++) {
      fakes.shortcuts.press('Control+Alt+Space');
      vi.advanceTimersByTime(40);
    }
    expect(log).toEqual(['down']);
    // Released; two deliberate presses 1.2 s apart.
    vi.advanceTimersByTime(1200);
    fakes.shortcuts.press('Control+Alt+Space');
    vi.advanceTimersByTime(1200);
    fakes.shortcuts.press('Control+Alt+Space');
    expect(log).toEqual(['down', 'down', 'down']);
    hotkeys.dispose();
  });

  it('changing the hotkey to one another application holds keeps the previous hotkey working and says so', () => {
    const { log, handlers } = recorder();
    const hotkeys = new Hotkeys(handlers, quiet);
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    fakes.shortcuts.takenByOthers.add('Alt+F4');
    const result = hotkeys.register('Alt+F4');
    expect(result.ok).toBe(false);
    expect(result.message).toBe('Alt+F4 is taken by another application; Earshot kept Control+Alt+Space.');
    expect(fakes.shortcuts.isRegistered('Control+Alt+Space')).toBe(true);
    expect(fakes.shortcuts.press('Control+Alt+Space')).toBe(true);
    expect(log).toEqual(['down']);
    hotkeys.dispose();
  });
});

/** A key hook like uiohook's, per test: records start/stop and delivers key-ups on demand. */
function keyHook(): KeyHookModule & { started: number; stopped: number; keyUp(code: number): void } {
  const listeners = new Set<(event: KeyUpEvent) => void>();
  const module = {
    started: 0,
    stopped: 0,
    keys: fakes.keys,
    hook: {
      on: (_event: 'keyup', listener: (event: KeyUpEvent) => void) => listeners.add(listener),
      removeListener: (_event: 'keyup', listener: (event: KeyUpEvent) => void) => listeners.delete(listener),
      start: () => void module.started++,
      stop: () => void module.stopped++,
    },
    keyUp(keycode: number): void {
      for (const listener of listeners) listener({ keycode });
    },
  };
  return module;
}

function controller(overrides: Partial<HotkeyDeps> = {}) {
  const clock = { now: 0 };
  const hook = keyHook();
  const probes: string[] = [];
  const { log, handlers } = recorder();
  const deps: HotkeyDeps = {
    shortcuts: fakes.shortcuts,
    loadKeyHook: () => Promise.resolve(hook),
    platform: 'linux',
    env: { DISPLAY: ':0' },
    accessibilityTrusted: () => true,
    probeDisplay: (display): Promise<XProbeResult> => {
      probes.push(display);
      return Promise.resolve({ ok: true, via: 'test' });
    },
    now: () => clock.now,
    ...overrides,
  };
  return { hotkeys: new HotkeyController(handlers, quiet, deps), log, hook, clock, probes };
}

const SPACE = fakes.keys.Space;

describe('one down per physical press with a key-up source (uiohook)', () => {
  it('toggle or hold: a held hotkey with 40 auto-repeats gives one down and one up; the next press gives the next down', async () => {
    const { hotkeys, log, hook, clock } = controller();
    expect(await hotkeys.enableKeyUp()).toBe(true);
    expect(hook.started).toBe(1);
    hotkeys.register('Control+Alt+Space');
    fakes.shortcuts.press('Control+Alt+Space');
    clock.now += 660;
    for (let repeat = 0; repeat < 40; repeat++) {
      fakes.shortcuts.press('Control+Alt+Space');
      clock.now += 40;
    }
    hook.keyUp(SPACE);
    hook.keyUp(fakes.keys.Alt);
    expect(log).toEqual(['down', 'up']);
    clock.now += 300;
    fakes.shortcuts.press('Control+Alt+Space');
    hook.keyUp(fakes.keys.CtrlRight);
    expect(log).toEqual(['down', 'up', 'down', 'up']);
  });

  it('a key-up that overtook its press costs at most one press: the next release ends the hold', async () => {
    const { hotkeys, log, hook } = controller();
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    hook.keyUp(SPACE); // the hook's release of a quick tap reached us before the shortcut's press
    fakes.shortcuts.press('Control+Alt+Space');
    expect(log).toEqual(['down']);
    fakes.shortcuts.press('Control+Alt+Space'); // next physical press: taken for the same hold
    hook.keyUp(SPACE);
    expect(log).toEqual(['down', 'up']);
    fakes.shortcuts.press('Control+Alt+Space');
    expect(log).toEqual(['down', 'up', 'down']);
  });

  it('starts the hook once when asked twice at once, and stops it on dispose', async () => {
    const { hotkeys, hook } = controller();
    const [a, b] = await Promise.all([hotkeys.enableKeyUp(), hotkeys.enableKeyUp()]);
    expect([a, b, hook.started]).toEqual([true, true, 1]);
    hotkeys.register('Control+Alt+Space');
    hotkeys.dispose();
    expect(hook.stopped).toBe(1);
    expect(fakes.shortcuts.held.size).toBe(0);
  });
});

describe('why hold is unavailable (shown in Settings)', () => {
  it('probes the X server named by DISPLAY and passes its reason on, without starting the hook', async () => {
    const { hotkeys, hook, probes } = controller({ probeDisplay: (display) => Promise.resolve({ ok: false, reason: `no X server answers on DISPLAY ${display}` }) });
    expect(probes).toEqual([]);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hook.started).toBe(0);
    expect(hotkeys.holdUnavailableReason).toBe('no X server answers on DISPLAY :0');
  });

  it.each([
    [{ platform: 'linux' as const, env: { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' } }, 'Wayland does not let apps see key releases; hold mode needs an X11 session'],
    [{ platform: 'linux' as const, env: {} }, 'there is no X display (DISPLAY is not set)'],
    [{ platform: 'darwin' as const, env: {}, accessibilityTrusted: () => false }, 'macOS needs Accessibility permission for Earshot (System Settings → Privacy & Security → Accessibility)'],
  ])('%j', async (overrides, reason) => {
    const { hotkeys, hook } = controller(overrides);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hook.started).toBe(0);
    expect(hotkeys.holdUnavailableReason).toBe(reason);
  });

  it('says the hook could not start when the native module does not load, and falls back to the time filter', async () => {
    const { hotkeys, log, clock } = controller({ loadKeyHook: () => Promise.reject(new Error('No native build was found for platform=linux arch=x64')) });
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.holdUnavailableReason).toBe('the key-up hook could not start (No native build was found for platform=linux arch=x64)');
    hotkeys.register('Control+Alt+Space');
    for (let i = 0; i < 10; i++, clock.now += 250) fakes.shortcuts.press('Control+Alt+Space'); // Windows: 250 ms repeats
    expect(log).toEqual(['down']);
  });

  it('does not probe X on Windows and starts the hook there', async () => {
    const { hotkeys, hook, probes } = controller({ platform: 'win32', env: {} });
    expect(await hotkeys.enableKeyUp()).toBe(true);
    expect([hook.started, probes]).toEqual([1, []]);
  });
});

describe('changing the hotkey never leaves none', () => {
  it('keeps the previous hotkey when register() returns true but the shortcut is not held (silent failure)', () => {
    const silent: GlobalShortcutPort = { ...fakes.shortcuts, register: (a, cb) => (a === 'Alt+F4' ? true : fakes.shortcuts.register(a, cb)) };
    const { hotkeys } = controller({ shortcuts: silent });
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    expect(hotkeys.register('Alt+F4')).toEqual({ ok: false, message: 'Alt+F4 is taken by another application; Earshot kept Control+Alt+Space.' });
    expect(hotkeys.current).toBe('Control+Alt+Space');
    expect(fakes.shortcuts.isRegistered('Control+Alt+Space')).toBe(true);
  });

  it('keeps the previous hotkey when register() throws, and names the error', () => {
    const { hotkeys, log } = controller({
      shortcuts: {
        ...fakes.shortcuts,
        register: (a, cb) => {
          if (a === 'Shift+F9') throw new Error('Failed to parse accelerator');
          return fakes.shortcuts.register(a, cb);
        },
      },
    });
    hotkeys.register('Control+Alt+Space');
    expect(hotkeys.register('Shift+F9')).toEqual({ ok: false, message: 'Shift+F9 cannot be used (Failed to parse accelerator); Earshot kept Control+Alt+Space.' });
    fakes.shortcuts.press('Control+Alt+Space');
    expect(log).toEqual(['down']);
  });

  it('takes the previous hotkey back when it was lost, and says plainly when there is none', () => {
    const { hotkeys } = controller();
    hotkeys.register('Control+Alt+Space');
    fakes.shortcuts.held.delete('Control+Alt+Space'); // lost meanwhile (e.g. the portal session ended)
    fakes.shortcuts.takenByOthers.add('Alt+F4');
    expect(hotkeys.register('Alt+F4').message).toBe('Alt+F4 is taken by another application; Earshot kept Control+Alt+Space.');
    expect(fakes.shortcuts.isRegistered('Control+Alt+Space')).toBe(true);
    fakes.shortcuts.held.delete('Control+Alt+Space');
    fakes.shortcuts.takenByOthers.add('Control+Alt+Space');
    expect(hotkeys.register('Alt+F4').message).toBe('Alt+F4 is taken by another application, and Control+Alt+Space could not be taken back either, so Earshot has no hotkey right now.');
    expect(hotkeys.current).toBeNull();
  });

  it('refuses an invalid hotkey without touching the registered one', () => {
    const { hotkeys } = controller();
    hotkeys.register('Control+Alt+Space');
    expect(hotkeys.register('Control+Banana')).toEqual({ ok: false, message: '"Banana" is not a key Earshot can use in a hotkey; Earshot kept Control+Alt+Space.' });
    expect([...fakes.shortcuts.held.keys()]).toEqual(['Control+Alt+Space']);
  });

  it('a successful change releases the previous hotkey; another spelling of the same keys keeps the registration', () => {
    const { hotkeys, log } = controller();
    hotkeys.register('Control+Alt+Space');
    expect(hotkeys.register('Ctrl+Alt+Space')).toEqual({ ok: true });
    expect([...fakes.shortcuts.held.keys()]).toEqual(['Control+Alt+Space']);
    expect(hotkeys.register('Shift+F9')).toEqual({ ok: true });
    expect([...fakes.shortcuts.held.keys()]).toEqual(['Shift+F9']);
    expect(fakes.shortcuts.press('Control+Alt+Space')).toBe(false);
    fakes.shortcuts.press('Shift+F9');
    expect(log).toEqual(['down']);
  });
});

describe.skipIf(process.platform !== 'linux' || !xvfbPath)('the real key hook on a real X server (Xvfb)', () => {
  it('starts uiohook when an X server answers on DISPLAY', async () => {
    const xvfb = await startXvfb();
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'support', 'hotkey', 'enable-key-up.ts')], {
        env: { ...process.env, DISPLAY: `:${xvfb.display}`, XDG_SESSION_TYPE: '', WAYLAND_DISPLAY: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(JSON.parse(stdout.trim())).toEqual({ holdAvailable: true, reason: null });
    } finally {
      await xvfb.stop();
    }
  });
});
if (process.platform !== 'linux') console.log(`skipped: hotkey X11 tests: they need Linux (this is ${process.platform})`);
else if (!xvfbPath) console.log('skipped: real key hook on Xvfb: Xvfb is not installed (apt-get install xvfb)');
