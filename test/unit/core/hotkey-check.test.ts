/**
 * Onboarding's hotkey check in the composed core, behind the real contract, with the fake Realtime
 * server: while the check is open a press of the global hotkey reaches the window as an event and
 * never opens a (paid) Realtime connection; the check ends when the window closes it or on its own,
 * and the hotkey talks again after that.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge, type EarshotBridge } from '../../../preload/bridge.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

const KEY = 'sk-test-hotkey-check-0a1b2c3d4e5f6a7b';
const LIMIT_MS = 400;
let fake: FakeRealtime | null = null;
let core: Core | null = null;
let test: TestCorePorts | null = null;

afterEach(async () => {
  await core?.dispose();
  await fake?.close();
  if (test) rmSync(test.userDataDir, { recursive: true, force: true });
  core = null;
  fake = null;
  test = null;
});

async function start(): Promise<{ core: Core; bridge: EarshotBridge; checks: string[]; captureStarts: string[]; captureStops: string[]; fake: FakeRealtime }> {
  fake = await startFakeRealtime({ speedup: 0 });
  test = makeTestCorePorts({ apiKey: KEY, baseURL: fake.baseURL, caPath: fake.caPath, settings: { turnMode: 'hold' } });
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  core = await startCore(main, test.ports, { isTrustedSender: () => true, hotkeyCheckMs: LIMIT_MS });
  const bridge = createBridge(renderer);
  const checks: string[] = [];
  const captureStarts: string[] = [];
  const captureStops: string[] = [];
  bridge.on.hotkeyCheck(({ phase }) => checks.push(phase));
  bridge.on.capture((command) => {
    if (command.command === 'start') captureStarts.push(command.turnId);
    if (command.command === 'stop') captureStops.push(command.turnId);
  });
  return { core, bridge, checks, captureStarts, captureStops, fake };
}

const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the hotkey check', () => {
  it('reports presses to the window instead of starting a turn, and connects to nothing', async () => {
    const s = await start();
    const answer = await s.bridge.request.setHotkeyCheck({ active: true });
    expect(answer.active).toBe(true);
    expect(answer.endsAt).toBeGreaterThan(Date.now());
    s.core.hotkeyDown();
    s.core.hotkeyUp();
    s.core.hotkeyDown();
    s.core.hotkeyUp();
    await settle();
    expect(s.checks).toEqual(['down', 'up', 'down', 'up']);
    expect(s.captureStarts).toEqual([]);
    expect(s.core.status().state).toBe('idle');
    expect(s.fake.connections).toBe(0);
  });

  it('ends when the window closes it, and the hotkey talks again', async () => {
    const s = await start();
    await s.bridge.request.setHotkeyCheck({ active: true });
    const closed = await s.bridge.request.setHotkeyCheck({ active: false });
    expect(closed).toEqual({ active: false, endsAt: null });
    await settle();
    expect(s.checks).toEqual(['ended']);
    s.core.hotkeyDown();
    expect(s.captureStarts).toHaveLength(1);
    expect(s.core.status().state).not.toBe('idle');
  });

  it('ends on its own after its time limit', async () => {
    const s = await start();
    await s.bridge.request.setHotkeyCheck({ active: true });
    await settle(LIMIT_MS + 200);
    expect(s.checks).toEqual(['ended']);
    s.core.hotkeyDown();
    expect(s.captureStarts).toHaveLength(1);
  });

  it('keeps a press and its release together across the end of the check', async () => {
    const s = await start();
    await s.bridge.request.setHotkeyCheck({ active: true });
    s.core.hotkeyDown();
    await s.bridge.request.setHotkeyCheck({ active: false });
    s.core.hotkeyUp();
    await settle();
    // The release of a press the check took is the check's too: no turn was started, none is ended.
    expect(s.checks).toEqual(['down', 'ended', 'up']);
    expect(s.captureStarts).toEqual([]);
    expect(s.core.status().state).toBe('idle');
  });

  it('leaves a turn already going on alone: its release still sends it', async () => {
    const s = await start();
    s.core.hotkeyDown();
    expect(s.captureStarts).toHaveLength(1);
    await s.bridge.request.setHotkeyCheck({ active: true });
    s.core.hotkeyUp();
    await settle();
    expect(s.checks).toEqual([]);
    // The session got the release: it asks the window to stop capturing for that turn.
    expect(s.captureStops).toEqual(s.captureStarts);
  });
});
