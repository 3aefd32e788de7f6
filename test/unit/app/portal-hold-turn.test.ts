/**
 * A whole hold-to-talk turn on "Wayland", driven by the GlobalShortcuts portal: the fake portal on a
 * private session bus (dbus-daemon) emits Activated and Deactivated, the hotkey controller with the
 * real D-Bus client turns them into key down / key up for the composed core (startCore over the
 * in-memory transport, as main/index.ts wires it), the renderer stand-in sends real speech frames,
 * and the fake Realtime server records the commit and response.create. The screen shortcut (Shift +
 * the hotkey, the portal's `screen` id) opens the window's screen picker and starts no turn. Then the
 * fallback: a portal that refuses the bind leaves toggle mode, with the reason, in Settings and the status.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBridge, type EarshotBridge } from '../../../preload/bridge.ts';
import type { Notice } from '../../../preload/contract.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import type { DesktopPort } from '../../../main/core/ports.ts';
import { HotkeyController } from '../../../main/app/hotkey-controller.ts';
import { openPortalShortcuts, REFUSED } from '../../../main/app/portal-shortcuts.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';
import { startFakePortal, type FakePortal, type FakePortalOptions } from '../../support/portal/fake-portal.ts';
import { dbusDaemonPath, startPrivateBus } from '../../support/portal/session-bus.ts';

const KEY = 'sk-test-portal-0a1b2c3d4e5f66778899';
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let question: Int16Array;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Rig {
  core: Core;
  bridge: EarshotBridge;
  portal: FakePortal;
  fake: FakeRealtime;
  hotkeys: HotkeyController;
  test: TestCorePorts;
  notices: Notice[];
  captureStarts: string[];
  /** screenPicker events the page received. */
  pickers: number;
  speak(turnId: string): void;
}

async function rig(portalOptions: Omit<FakePortalOptions, 'busAddress'> = {}): Promise<Rig> {
  const bus = await startPrivateBus();
  cleanups.push(() => bus.stop());
  const portal = await startFakePortal({ busAddress: bus.address, ...portalOptions });
  cleanups.push(() => portal.close());
  const fake = await startFakeRealtime({ speedup: 0 });
  cleanups.push(() => fake.close());
  const test = makeTestCorePorts({ apiKey: KEY, baseURL: fake.baseURL, caPath: fake.caPath, settings: { turnMode: 'hold', allowedFolders: [] } });
  cleanups.push(() => rmSync(test.userDataDir, { recursive: true, force: true }));

  // main/index.ts's wiring: the controller's handlers call the core; the desktop port asks the controller.
  let core: Core | null = null;
  const held = new Map<string, () => void>();
  const hotkeys = new HotkeyController(
    { onDown: () => core?.hotkeyDown(), onUp: () => core?.hotkeyUp(), onSourceChanged: () => core?.desktopChanged(), onScreen: () => core?.askAboutScreen() },
    quiet,
    {
      shortcuts: {
        register: (a, cb) => (held.has(a) ? false : (held.set(a, cb), true)),
        unregister: (a) => void held.delete(a),
        isRegistered: (a) => held.has(a),
        unregisterAll: () => held.clear(),
      },
      loadKeyHook: () => Promise.reject(new Error('uiohook must not be loaded on Wayland')),
      platform: 'linux',
      env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
      accessibilityTrusted: () => true,
      probeDisplay: () => Promise.reject(new Error('no X probe on Wayland')),
      now: () => performance.now(),
      openPortal: (events) => openPortalShortcuts({ busAddress: bus.address, logger: quiet, callTimeoutMs: 3000, bindTimeoutMs: 3000 }, events),
    },
  );
  cleanups.push(async () => {
    hotkeys.dispose();
    await hotkeys.portalClosed;
  });
  const desktop: DesktopPort = {
    ...test.ports.desktop,
    registerHotkey: (accelerator) => hotkeys.register(accelerator),
    holdUnavailableReason: () => hotkeys.holdUnavailableReason,
    keyUpSource: () => hotkeys.keyUpSource,
  };
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  core = await startCore(main, { ...test.ports, desktop }, { isTrustedSender: () => true, desktopReady: hotkeys.enableKeyUp() });
  const started = core;
  cleanups.push(() => started.dispose());

  const bridge = createBridge(renderer);
  const notices: Notice[] = [];
  const captureStarts: string[] = [];
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  bridge.on.notice((n) => notices.push(n));
  let pickers = 0;
  bridge.on.screenPicker(() => void pickers++);
  bridge.on.capture((command) => {
    if (command.command === 'start') captureStarts.push(command.turnId);
    if (command.command === 'stop') void bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: sent.get(command.turnId) ?? 0 });
  });
  bridge.audio.onPlayback((itemId, pcm) => received.set(itemId, (received.get(itemId) ?? 0) + pcm.byteLength / 2));
  bridge.on.playback((command) => {
    if (command.command === 'end-of-item') void bridge.request.reportPlayback({ itemId: command.itemId, renderedSamples: received.get(command.itemId) ?? 0 });
    if (command.command === 'stop') void bridge.request.reportPlayback({ itemId: '', renderedSamples: 0, requestId: command.requestId });
  });
  const speak = (turnId: string): void => {
    for (let i = 0; i < question.length; i += 480) {
      const frame = question.slice(i, i + 480);
      sent.set(turnId, (sent.get(turnId) ?? 0) + frame.length);
      bridge.audio.sendCapture(turnId, frame.buffer);
    }
  };
  await hotkeys.portalSettled;
  return {
    core: started,
    bridge,
    portal,
    fake,
    hotkeys,
    test,
    notices,
    captureStarts,
    get pickers() {
      return pickers;
    },
    speak,
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!dbusDaemonPath)('a hold turn driven by the GlobalShortcuts portal', () => {
  it('Activated starts listening, Deactivated commits the speech and asks for a response; Settings shows the portal and the keys it bound', async () => {
    const s = await rig({ userTrigger: 'Ctrl+Alt+Space' });
    expect(s.core.status()).toMatchObject({ state: 'idle', turnMode: 'hold', holdAvailable: true });
    const view = await s.bridge.request.getSettings({});
    expect(view).toMatchObject({ holdUnavailableReason: null, keyUpSource: 'portal', portalTrigger: 'Ctrl+Alt+Space', turnMode: 'hold' });
    expect(s.portal.lastBind[0]?.preferredTrigger).toBe('CTRL+ALT+space');

    const t0 = performance.now();
    const downAt = s.portal.activate('talk');
    await until(() => s.captureStarts.length === 1, 'capture to start');
    const turnId = s.captureStarts[0] ?? '';
    await until(() => s.core.status().state === 'listening', 'listening');
    const listeningMs = performance.now() - t0;
    s.speak(turnId);
    const commit = s.fake.waitForNext('input_audio_buffer.commit', undefined, 10_000);
    const create = s.fake.waitForNext('response.create', undefined, 10_000);
    const upAt = s.portal.deactivate('talk');
    const t1 = performance.now();
    await commit;
    const committedMs = performance.now() - t1;
    await create;
    await s.fake.waitForNext('response.done', undefined, 10_000);
    await until(() => s.core.status().state === 'idle', 'idle after the turn');
    console.log(
      `portal hold turn: key down (Activated) at ${downAt} ms, key up (Deactivated) at ${upAt} ms on the portal's clock; ` +
        `listening ${listeningMs.toFixed(1)} ms after Activated, commit ${committedMs.toFixed(1)} ms after Deactivated; ` +
        `${(question.length / 24).toFixed(0)} ms of speech sent`,
    );
    const appended = s.fake.events('input_audio_buffer.append').length;
    expect(appended).toBeGreaterThan(0);
    expect(s.fake.events('input_audio_buffer.commit')).toHaveLength(1);
    expect(s.fake.events('response.create')).toHaveLength(1);
    expect(s.fake.schemaErrors).toEqual([]);
  });

  it('Activated(screen) opens the screen picker once and shows the window, starting no turn; talk still holds to talk', async () => {
    const s = await rig();
    expect(s.portal.lastBind.map((b) => `${b.id} ${b.preferredTrigger}`)).toEqual(['talk CTRL+ALT+space', 'screen CTRL+ALT+SHIFT+space']);
    s.portal.activate('screen');
    await until(() => s.pickers === 1, 'the screen picker');
    s.portal.activate('screen'); // still held
    s.portal.deactivate('screen');
    // Talk's press after it: once listening, the screen signals before it have been handled too.
    s.portal.activate('talk');
    await until(() => s.core.status().state === 'listening', 'listening');
    expect(s.pickers).toBe(1);
    expect(s.test.desktopCalls.filter((c) => c === 'showWindow')).toEqual(['showWindow']);
    expect(s.captureStarts).toHaveLength(1);
    s.speak(s.captureStarts[0] ?? '');
    const commit = s.fake.waitForNext('input_audio_buffer.commit', undefined, 10_000);
    s.portal.deactivate('talk');
    await commit;
    expect(s.fake.events('input_audio_buffer.commit')).toHaveLength(1);
  });

  it('a portal that refuses the bind: toggle mode, the reason in Settings and the status, and one notice', async () => {
    const s = await rig({ bindResponse: 2 });
    await until(() => s.core.status().holdAvailable === false, 'hold to become unavailable');
    expect(s.core.status().turnMode).toBe('toggle');
    const view = await s.bridge.request.getSettings({});
    expect(view).toMatchObject({ holdUnavailableReason: REFUSED, keyUpSource: 'none', portalTrigger: null });
    await until(() => s.notices.some((n) => n.message.includes(REFUSED)), 'the notice');
    expect(s.notices.filter((n) => n.message.includes('Hold-to-talk is unavailable'))).toEqual([
      { level: 'warning', message: `Hold-to-talk is unavailable: ${REFUSED}. Press once to start and again to send.`, subject: 'hotkey' },
    ]);
  });
});

if (!dbusDaemonPath) console.log('skipped: portal hold turn: dbus-daemon is not installed (apt-get install dbus-daemon)');
