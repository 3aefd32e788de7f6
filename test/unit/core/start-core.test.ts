/**
 * The composed core (settings, secrets, history, ledger, tools, voice session) behind the real
 * contract, over an in-memory transport, against the fake Realtime server: what the window sees
 * when things go right and when they do not.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBridge, type EarshotBridge } from '../../../preload/bridge.ts';
import type { Notice, ViewName } from '../../../preload/contract.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

const KEY = 'sk-test-core-5f4e3d2c1b0a99887766';
let question: Int16Array;
let fake: FakeRealtime | null = null;
let core: Core | null = null;
let test: TestCorePorts | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

afterEach(async () => {
  await core?.dispose();
  await fake?.close();
  if (test) rmSync(test.userDataDir, { recursive: true, force: true });
  core = null;
  fake = null;
  test = null;
});

interface Started {
  core: Core;
  bridge: EarshotBridge;
  notices: Notice[];
  views: ViewName[];
  captureStarts: string[];
  test: TestCorePorts;
  fake: FakeRealtime;
  /** The renderer's microphone: one turn's worth of real speech in 20 ms frames. */
  speak(turnId: string): void;
}

async function start(options: { apiKey?: string; settings?: Record<string, unknown> } = {}): Promise<Started> {
  fake = await startFakeRealtime({ speedup: 0 });
  test = makeTestCorePorts({ ...('apiKey' in options ? (options.apiKey ? { apiKey: options.apiKey } : {}) : { apiKey: KEY }), baseURL: fake.baseURL, caPath: fake.caPath, settings: options.settings ?? {} });
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  core = await startCore(main, test.ports, { isTrustedSender: () => true });
  const bridge = createBridge(renderer);
  const notices: Notice[] = [];
  const views: ViewName[] = [];
  const captureStarts: string[] = [];
  bridge.on.notice((n) => notices.push(n));
  bridge.on.view((v) => views.push(v));
  // A renderer stand-in: answers capture commands with frames of real speech, and the player's reports.
  bridge.on.capture((command) => {
    if (command.command === 'start') captureStarts.push(command.turnId);
    if (command.command === 'stop') {
      void bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: sent.get(command.turnId) ?? 0 });
    }
  });
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
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
  return { core, bridge, notices, views, captureStarts, test, fake, speak };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function turn(s: Started): Promise<void> {
  s.core.hotkeyDown();
  const turnId = s.captureStarts.at(-1);
  if (!turnId) throw new Error('capture did not start');
  s.speak(turnId);
  s.core.hotkeyUp();
  await s.fake.waitForNext('response.done', undefined, 10_000);
  await until(() => s.core.status().state === 'idle', 'idle after the turn');
}

describe('the composed core behind the contract', () => {
  it('runs a turn, records it in history with its cost, and never logs the key', async () => {
    const s = await start({ settings: { allowedFolders: [] } });
    await turn(s);
    const list = await s.bridge.request.listConversations({});
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toContain('What files are in my documents folder');
    expect(list[0]?.costUsd).toBeGreaterThan(0);
    const { markdown } = await s.bridge.request.exportConversation({ id: list[0]?.id ?? '' });
    expect(markdown).toContain(s.fake.replyTranscript);
    const cost = await s.bridge.request.getCostSummary({});
    expect(cost.todayUsd).toBeGreaterThan(0);
    expect(s.test.logLines.length).toBeGreaterThan(0);
    expect(s.test.logLines.join('\n')).not.toContain(KEY);
    expect(JSON.stringify(await s.bridge.request.getSettings({}))).not.toContain(KEY);
  });

  it('without a key, the hotkey opens onboarding and says what to do; nothing connects', async () => {
    const s = await start({ apiKey: undefined });
    expect((await s.bridge.request.getStatus({})).apiKey).toBe('not-set');
    s.core.hotkeyDown();
    expect(s.views).toEqual(['onboarding']);
    expect(s.notices.at(-1)?.message).toMatch(/needs an OpenAI API key/);
    expect(s.captureStarts).toEqual([]);
    expect(s.fake.connections).toBe(0);
    const saved = await s.bridge.request.setApiKey({ key: KEY });
    expect(saved.apiKey).toBe('set');
    expect((await s.bridge.request.getStatus({})).apiKey).toBe('set');
  });

  it('stops new turns once the daily budget is spent, and lets them go on when it is raised', async () => {
    const s = await start({ settings: { dailyBudgetUsd: 0.001 } });
    await turn(s);
    const turnsBefore = s.captureStarts.length;
    s.core.hotkeyDown();
    expect(s.captureStarts.length).toBe(turnsBefore);
    expect(s.notices.map((n) => n.message).join('\n')).toMatch(/budget/i);
    await s.bridge.request.updateSettings({ patch: { dailyBudgetUsd: 100 } });
    s.core.hotkeyDown();
    expect(s.captureStarts.length).toBe(turnsBefore + 1);
    s.core.hotkeyUp();
  });

  it('applies live settings to the running session and says which wait for the next one', async () => {
    const s = await start();
    await turn(s);
    const result = await s.bridge.request.updateSettings({ patch: { instructions: 'Answer like a pirate.', voice: 'cedar' } });
    expect(result.nextSession).toContain('voice');
    expect(result.appliedLive).toContain('instructions');
    const update = await s.fake.waitForNext('session.update', (e) => JSON.stringify(e).includes('like a pirate'), 5000);
    expect(update).toBeTruthy();
  });

  it('rejects an invalid setting with a message naming the field, and keeps the old value', async () => {
    const s = await start();
    await expect(s.bridge.request.updateSettings({ patch: { micWarmSeconds: -3 } })).rejects.toThrow(/micWarmSeconds/);
    expect((await s.bridge.request.getSettings({})).micWarmSeconds).toBe(10);
  });

  it('tells the user when the hotkey is taken, at start and when it is changed', async () => {
    fake = await startFakeRealtime({ speedup: 0 });
    test = makeTestCorePorts({ apiKey: KEY, baseURL: fake.baseURL, caPath: fake.caPath });
    test.hotkeyTaken.value = true;
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const notices: Notice[] = [];
    const bridge = createBridge(renderer);
    bridge.on.notice((n) => notices.push(n));
    core = await startCore(main, test.ports, { isTrustedSender: () => true });
    await bridge.request.updateSettings({ patch: { hotkey: 'Control+Shift+F9' } });
    expect(test.desktopCalls).toContain('registerHotkey Control+Alt+Space');
    expect(test.desktopCalls).toContain('registerHotkey Control+Shift+F9');
    expect(notices.filter((n) => /taken by another application/.test(n.message))).toHaveLength(2);
  });
});
