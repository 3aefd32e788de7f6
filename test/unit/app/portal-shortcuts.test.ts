/**
 * Hold-to-talk on Wayland through the GlobalShortcuts portal, against a fake portal service on a
 * private session bus (Debian's dbus-daemon, started per test), with the real D-Bus client
 * (main/app/portal-shortcuts.ts) inside the hotkey controller as main/app/hotkeys.ts builds it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAccelerator, type ParsedAccelerator } from '../../../main/app/accelerator.ts';
import {
  HotkeyController,
  PORTAL_SCREEN_SHORTCUT_DESCRIPTION,
  PORTAL_SHORTCUT_DESCRIPTION,
  type HotkeyDeps,
} from '../../../main/app/hotkey-controller.ts';
import { NOTHING_BOUND, openPortalShortcuts, PORTAL_APP_ID, REFUSED } from '../../../main/app/portal-shortcuts.ts';
import { portalTrigger } from '../../../main/app/portal-trigger.ts';
import { keyUpSourceText } from '../../../renderer/src/state/settings-form.ts';
import { startFakePortal, type FakePortal, type FakePortalOptions } from '../../support/portal/fake-portal.ts';
import { dbusDaemonPath, startPrivateBus, type PrivateBus } from '../../support/portal/session-bus.ts';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const WAYLAND = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' };

function parsed(accelerator: string): ParsedAccelerator {
  const result = parseAccelerator(accelerator, 'linux');
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('accelerator → the Shortcuts Specification trigger the portal takes', () => {
  it.each([
    ['Control+Alt+Space', 'CTRL+ALT+space'],
    ['Ctrl+Shift+A', 'CTRL+SHIFT+a'],
    ['Super+F9', 'LOGO+F9'],
    ['Alt+Shift+Control+PageDown', 'CTRL+ALT+SHIFT+Page_Down'],
    ['F4', 'F4'],
    ['Control+Backspace', 'CTRL+BackSpace'],
    ['Control+Esc', 'CTRL+Escape'],
    ['Alt+PrintScreen', 'ALT+Print'],
    ['Control+7', 'CTRL+7'],
  ])('%s → %s', (accelerator, trigger) => {
    expect(portalTrigger(parsed(accelerator))).toBe(trigger);
  });

  it('registers with the portal under the desktop file name the installers use (package.json desktopName)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { desktopName: string };
    expect(`${PORTAL_APP_ID}.desktop`).toBe(pkg.desktopName);
  });
});

/** Electron's globalShortcut as in hotkeys.test.ts: the app's own map of what it holds. */
function shortcuts() {
  const held = new Map<string, () => void>();
  return {
    held,
    register: (accelerator: string, callback: () => void) => (held.has(accelerator) ? false : (held.set(accelerator, callback), true)),
    unregister: (accelerator: string) => void held.delete(accelerator),
    isRegistered: (accelerator: string) => held.has(accelerator),
    unregisterAll: () => held.clear(),
    press: (accelerator: string) => held.get(accelerator)?.(),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function bus(): Promise<PrivateBus> {
  const started = await startPrivateBus();
  cleanups.push(() => started.stop());
  return started;
}

async function portal(address: string, options: Omit<FakePortalOptions, 'busAddress'> = {}): Promise<FakePortal> {
  const started = await startFakePortal({ busAddress: address, ...options });
  cleanups.push(() => started.close());
  return started;
}

const SCREEN_NOT_BOUND = 'the shortcut portal did not bind the screen shortcut; the tray and the window still ask about the screen';

function controller(busAddress: string | undefined, overrides: Partial<HotkeyDeps> = {}) {
  const log: string[] = [];
  const warnings: string[] = [];
  let sourceChanges = 0;
  const fake = shortcuts();
  const deps: HotkeyDeps = {
    shortcuts: fake,
    loadKeyHook: () => Promise.reject(new Error('uiohook must not be loaded on Wayland')),
    platform: 'linux',
    env: WAYLAND,
    accessibilityTrusted: () => true,
    probeDisplay: () => Promise.reject(new Error('no X probe on Wayland')),
    now: () => performance.now(),
    openPortal: (events) => openPortalShortcuts({ busAddress, logger: quiet, callTimeoutMs: 3000, bindTimeoutMs: 3000 }, events),
    ...overrides,
  };
  const hotkeys = new HotkeyController(
    { onDown: () => log.push('down'), onUp: () => log.push('up'), onSourceChanged: () => void sourceChanges++, onScreen: () => log.push('screen') },
    { ...quiet, warn: (message) => void warnings.push(message) },
    deps,
  );
  cleanups.push(async () => {
    hotkeys.dispose();
    await hotkeys.portalClosed;
  });
  return { hotkeys, log, warnings, shortcuts: fake, sourceChanges: () => sourceChanges };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!dbusDaemonPath)('the GlobalShortcuts portal on a private session bus', () => {
  it('registers the app id first, binds the hotkey with its preferred trigger, and turns Activated/Deactivated into down/up; globalShortcut stays out of it', async () => {
    const { address } = await bus();
    const fake = await portal(address, { userTriggers: { talk: 'Super+F9', screen: 'Shift+Super+F9' } });
    const { hotkeys, log, shortcuts: gs, sourceChanges } = controller(address);
    expect(await hotkeys.enableKeyUp()).toBe(true);
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    await hotkeys.portalSettled;
    expect(fake.calls).toEqual(['Register app.earshot.Earshot', 'CreateSession', 'BindShortcuts']);
    // Both shortcuts in the one BindShortcuts of the session, the screen's as the Shift variant.
    expect(fake.lastBind).toEqual([
      { id: 'talk', description: PORTAL_SHORTCUT_DESCRIPTION, preferredTrigger: 'CTRL+ALT+space' },
      { id: 'screen', description: PORTAL_SCREEN_SHORTCUT_DESCRIPTION, preferredTrigger: 'CTRL+ALT+SHIFT+space' },
    ]);
    expect(hotkeys.screenShortcut).toEqual({ via: 'portal', keys: 'Shift+Super+F9' });
    // The user chose other keys in the portal's dialog: that is what Settings shows.
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'portal', portalTrigger: 'Super+F9' });
    expect(keyUpSourceText('portal', 'Super+F9')).toBe("Key release from the desktop's shortcut portal, bound to Super+F9.");
    expect(hotkeys.holdUnavailableReason).toBeNull();
    expect(sourceChanges()).toBe(1);
    expect([...gs.held.keys()]).toEqual([]);

    const down = fake.activate('talk');
    await until(() => log.length === 1, 'key down');
    fake.activate('talk'); // a second Activated while held changes nothing
    const up = fake.deactivate('talk');
    await until(() => log.length === 2, 'key up');
    console.log(`portal hold: Activated at ${down} ms, Deactivated at ${up} ms (portal clock)`);
    expect(log).toEqual(['down', 'up']);

    fake.changeTrigger('talk', 'Ctrl+F12');
    await until(() => hotkeys.keyUpSource.portalTrigger === 'Ctrl+F12', 'ShortcutsChanged');
  });

  it('a new hotkey closes the bound session and binds the new trigger in a new one (a session binds once)', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    expect(hotkeys.register('Ctrl+Alt+Space')).toEqual({ ok: true }); // same keys: no new dialog
    expect(hotkeys.register('Shift+F9')).toEqual({ ok: true });
    await hotkeys.portalSettled;
    expect(fake.calls).toEqual(['Register app.earshot.Earshot', 'CreateSession', 'BindShortcuts', 'Session.Close', 'CreateSession', 'BindShortcuts']);
    // A hotkey that already holds Shift has no screen variant: talk alone.
    expect(fake.lastBind).toEqual([{ id: 'talk', description: PORTAL_SHORTCUT_DESCRIPTION, preferredTrigger: 'SHIFT+F9' }]);
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'portal', portalTrigger: 'SHIFT+F9' });
    expect(hotkeys.screenShortcut).toBeNull();
    expect(gs.held.size).toBe(0);
  });

  it('Activated(screen) asks about the screen once per press and starts no talk turn; talk still holds; no globalShortcut for either', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, log, warnings, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    expect(fake.bound()).toEqual({ talk: 'CTRL+ALT+space', screen: 'CTRL+ALT+SHIFT+space' });

    fake.activate('screen');
    await until(() => log.length === 1, 'the screen question');
    fake.activate('screen'); // the key still held: no second question
    fake.deactivate('screen');
    // talk's press and release after it: their arrival also proves the signals above were handled.
    fake.activate('talk');
    fake.deactivate('talk');
    await until(() => log.length === 3, 'talk down and up');
    expect(log).toEqual(['screen', 'down', 'up']);
    fake.activate('screen');
    await until(() => log.length === 4, 'the next press of the screen shortcut');
    expect(log).toEqual(['screen', 'down', 'up', 'screen']);
    // Neither the talk hotkey nor its Shift variant went through Electron's globalShortcut.
    expect([...gs.held.keys()]).toEqual([]);
    expect(warnings).toEqual([]);

    // The person gives the screen shortcut other keys in the desktop's settings.
    fake.changeTrigger('screen', 'Ctrl+Alt+S');
    await until(() => hotkeys.screenShortcut?.keys === 'Ctrl+Alt+S', 'ShortcutsChanged for screen');
    expect(hotkeys.keyUpSource.portalTrigger).toBe('CTRL+ALT+space');
  });

  it('a new hotkey rebinds talk and screen together in a new session', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, log, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    expect(hotkeys.register('Alt+F9')).toEqual({ ok: true });
    await hotkeys.portalSettled;
    expect(fake.calls).toEqual(['Register app.earshot.Earshot', 'CreateSession', 'BindShortcuts', 'Session.Close', 'CreateSession', 'BindShortcuts']);
    expect(fake.binds.map((b) => b.map((s) => `${s.id} ${s.preferredTrigger}`))).toEqual([
      ['talk CTRL+ALT+space', 'screen CTRL+ALT+SHIFT+space'],
      ['talk ALT+F9', 'screen ALT+SHIFT+F9'],
    ]);
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'portal', portalTrigger: 'ALT+F9' });
    expect(hotkeys.screenShortcut).toEqual({ via: 'portal', keys: 'ALT+SHIFT+F9' });
    fake.activate('screen');
    fake.activate('talk');
    await until(() => log.length === 2, 'screen and talk in the new session');
    expect(log).toEqual(['screen', 'down']);
    expect(gs.held.size).toBe(0);
  });

  it('a portal that binds talk but not screen: talk holds, the screen shortcut is reported missing once, and no globalShortcut stands in', async () => {
    const { address } = await bus();
    const fake = await portal(address, { declineIds: ['screen'] });
    const { hotkeys, log, warnings, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    expect(fake.lastBind.map((s) => s.id)).toEqual(['talk', 'screen']);
    expect(fake.bound()).toEqual({ talk: 'CTRL+ALT+space' });
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'portal', portalTrigger: 'CTRL+ALT+space' });
    expect(hotkeys.holdUnavailableReason).toBeNull();
    expect(hotkeys.screenShortcut).toBeNull();
    expect(warnings).toEqual([SCREEN_NOT_BOUND]);
    expect(() => fake.activate('screen')).toThrow(/has not bound/);
    fake.activate('talk');
    fake.deactivate('talk');
    await until(() => log.length === 2, 'talk down and up');
    expect(log).toEqual(['down', 'up']);
    expect([...gs.held.keys()]).toEqual([]);
  });

  it('a portal that binds screen but not talk is no key source: both go to globalShortcut, as without a portal', async () => {
    const { address } = await bus();
    const fake = await portal(address, { declineIds: ['talk'] });
    const { hotkeys, log, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    await hotkeys.portalClosed;
    expect(fake.calls.at(-1)).toBe('Session.Close');
    expect(hotkeys.holdUnavailableReason).toBe(NOTHING_BOUND);
    expect([...gs.held.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
    expect(hotkeys.screenShortcut).toEqual({ via: 'globalShortcut', keys: 'Shift+Control+Alt+Space' });
    gs.press('Shift+Control+Alt+Space');
    expect(log).toEqual(['screen']);
  });

  it('a hotkey registered before the portal answered moves to the portal with its Shift variant', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, shortcuts: gs } = controller(address);
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    expect([...gs.held.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
    expect(await hotkeys.enableKeyUp()).toBe(true);
    await hotkeys.portalSettled;
    expect([...gs.held.keys()]).toEqual([]);
    expect(fake.lastBind.map((s) => `${s.id} ${s.preferredTrigger}`)).toEqual(['talk CTRL+ALT+space', 'screen CTRL+ALT+SHIFT+space']);
    expect(hotkeys.screenShortcut).toEqual({ via: 'portal', keys: 'CTRL+ALT+SHIFT+space' });
  });

  it('no portal on the bus: hold is unavailable with the reason, toggle through globalShortcut', async () => {
    const { address } = await bus();
    const { hotkeys, log, shortcuts: gs } = controller(address);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.holdUnavailableReason).toBe(
      'no desktop portal (org.freedesktop.portal.Desktop) answers on the session bus, and wayland does not let apps see key releases; hold mode needs an X11 session',
    );
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'none', portalTrigger: null });
    gs.press('Control+Alt+Space');
    expect(log).toEqual(['down']);
    // Without the portal the screen shortcut is its own globalShortcut, as on X11, macOS and Windows.
    expect(hotkeys.screenShortcut).toEqual({ via: 'globalShortcut', keys: 'Shift+Control+Alt+Space' });
    gs.press('Shift+Control+Alt+Space');
    expect(log).toEqual(['down', 'screen']);
  });

  it('a portal without GlobalShortcuts: the reason names the missing interface', async () => {
    const { address } = await bus();
    const fake = await portal(address, { globalShortcuts: false });
    const { hotkeys } = controller(address);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.holdUnavailableReason).toMatch(/^the desktop portal has no GlobalShortcuts interface \(org\.freedesktop\.DBus\.Error\.\w+\)/);
    expect(fake.calls).toEqual(['Register app.earshot.Earshot']);
  });

  it('a portal without the host registry (older than 1.19) still binds', async () => {
    const { address } = await bus();
    const fake = await portal(address, { registry: false });
    const { hotkeys } = controller(address);
    expect(await hotkeys.enableKeyUp()).toBe(true);
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    expect(fake.calls).toEqual(['CreateSession', 'BindShortcuts']);
    expect(hotkeys.keyUpSource.keyUpSource).toBe('portal');
  });

  it.each([
    [2 as const, REFUSED],
    [1 as const, `${REFUSED} (cancelled in its dialog)`],
  ])('the portal refuses the bind (response %i): hold falls back to toggle through globalShortcut and says why', async (code, reason) => {
    const { address } = await bus();
    const fake = await portal(address, { bindResponse: code });
    const { hotkeys, log, shortcuts: gs, sourceChanges } = controller(address);
    expect(await hotkeys.enableKeyUp()).toBe(true);
    expect(hotkeys.register('Control+Alt+Space')).toEqual({ ok: true });
    await hotkeys.portalSettled;
    expect(fake.calls.at(-1)).toBe('Session.Close');
    expect(hotkeys.holdUnavailableReason).toBe(reason);
    expect(hotkeys.keyUpSource).toEqual({ keyUpSource: 'none', portalTrigger: null });
    expect(sourceChanges()).toBe(1);
    // Both fall back to globalShortcut: the talk hotkey for presses, its Shift variant for the screen.
    expect([...gs.held.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
    gs.press('Control+Alt+Space');
    gs.press('Shift+Control+Alt+Space');
    expect(log).toEqual(['down', 'screen']);
  });

  it('the desktop closes the session later: a held key is released, hold becomes unavailable, toggle takes over', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, log, shortcuts: gs, sourceChanges } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    fake.activate('talk');
    await until(() => log.length === 1, 'key down');
    fake.closeSession();
    await until(() => hotkeys.holdUnavailableReason !== null, 'the session to be lost');
    expect(hotkeys.holdUnavailableReason).toBe('the desktop closed the shortcut portal session');
    expect(log).toEqual(['down', 'up']);
    expect(sourceChanges()).toBe(2);
    expect([...gs.held.keys()]).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
  });

  it('the portal process leaves the bus: same fallback', async () => {
    const { address } = await bus();
    const fake = await portal(address);
    const { hotkeys, shortcuts: gs } = controller(address);
    await hotkeys.enableKeyUp();
    hotkeys.register('Control+Alt+Space');
    await hotkeys.portalSettled;
    await fake.close();
    await until(() => hotkeys.holdUnavailableReason !== null, 'the portal to be gone');
    expect(hotkeys.holdUnavailableReason).toBe('the desktop portal left the session bus');
    expect(gs.isRegistered('Control+Alt+Space')).toBe(true);
  });
});

const chunksDir = join(import.meta.dirname, '..', '..', '..', 'out', 'main', 'chunks');
const builtPortalChunk = existsSync(chunksDir) ? readdirSync(chunksDir).find((f) => f.startsWith('portal-shortcuts-')) : undefined;

describe.skipIf(!dbusDaemonPath || !builtPortalChunk)('the built main bundle', () => {
  it('its portal chunk finds dbus-native where the packaged app has it, and binds', async () => {
    const built = (await import(pathToFileURL(join(chunksDir, builtPortalChunk ?? '')).href)) as { openPortalShortcuts: typeof openPortalShortcuts };
    const { address } = await bus();
    const fake = await portal(address);
    const opened = await built.openPortalShortcuts(
      { busAddress: address, logger: quiet },
      { activated: () => undefined, deactivated: () => undefined, triggerChanged: () => undefined, lost: () => undefined },
    );
    if (!opened.ok) throw new Error(opened.reason);
    expect(
      await opened.portal.bind([
        { id: 'talk', description: 'test', preferredTrigger: 'CTRL+ALT+space' },
        { id: 'screen', description: 'test', preferredTrigger: 'CTRL+ALT+SHIFT+space' },
      ]),
    ).toEqual({ ok: true, bound: { talk: 'CTRL+ALT+space', screen: 'CTRL+ALT+SHIFT+space' } });
    await opened.portal.close();
    expect(fake.calls).toEqual(['Register app.earshot.Earshot', 'CreateSession', 'BindShortcuts', 'Session.Close']);
  });
});
if (!builtPortalChunk) console.log('skipped: built portal chunk: out/main has no portal-shortcuts chunk (run electron-vite build)');

describe('no session bus', () => {
  it('DBUS_SESSION_BUS_ADDRESS unset: the reason says so', async () => {
    const { hotkeys } = controller(undefined);
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.holdUnavailableReason).toMatch(/^there is no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\), and wayland/);
  });

  it('an address where nothing listens: a reason, not a crash', async () => {
    const { hotkeys } = controller('unix:path=/tmp/earshot-no-such-bus-socket');
    expect(await hotkeys.enableKeyUp()).toBe(false);
    expect(hotkeys.holdUnavailableReason).toMatch(/^the D-Bus session bus cannot be reached \(.*ENOENT.*\)/);
  });
});

if (!dbusDaemonPath) console.log('skipped: GlobalShortcuts portal tests: dbus-daemon is not installed (apt-get install dbus-daemon)');
