/**
 * The composed core (startCore) behind the real contract over the in-memory transport, with the
 * settings in a real electron-store file and the history and cost ledger in a temp user-data folder,
 * against the fake Realtime server. A renderer stand-in answers the microphone and the player the
 * way the real one does, and keeps what the window shows: status, notices, transcripts on screen,
 * tool calls and approvals. `nothingLost()` checks the JSONL history and the settings file against it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createBridge, type EarshotBridge } from '../../../preload/bridge.ts';
import type { ApprovalRequest, Notice, Status, ToolCallView, Transcript, TurnMetrics } from '../../../preload/contract.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import type { KeyValueStorePort } from '../../../main/settings/settings-service.ts';
import type { createElectronStoreSettingsPort as CreatePort } from '../../../main/app/electron-store-settings-port.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../support/core-host.ts';
import { installElectronStub } from '../../support/electron-stub.ts';
import { startFakeRealtime, type FakeRealtime, type FakeRealtimeOptions } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

export const KEY = 'sk-test-reliability-8a7b6c5d4e3f2a1b';

let createPort: typeof CreatePort | null = null;
let question: Int16Array | null = null;

/** The real electron-store port (Electron stubbed in Node's loader, see test/support/electron-stub.ts). */
async function settingsPort(dir: string): Promise<KeyValueStorePort> {
  if (!createPort) {
    installElectronStub(join(tmpdir(), 'earshot-user-data-unused'));
    ({ createElectronStoreSettingsPort: createPort } = await import('../../../main/app/electron-store-settings-port.ts'));
  }
  return createPort({ cwd: dir, name: 'settings' });
}

export interface RigOptions {
  fake?: FakeRealtimeOptions;
  settings?: Record<string, unknown>;
  /** Where history/ lives (a tiny tmpfs for the disk-full row); default inside the user-data folder. */
  historyDir?: string;
  /** Answer every approval with this decision at once (default: leave it to the test). */
  approve?: 'allow-once' | 'deny';
  /** Override the Realtime base URL the core connects to (a host that does not resolve). */
  baseURL?: string;
}

export interface Rig {
  core: Core;
  bridge: EarshotBridge;
  fake: FakeRealtime;
  test: TestCorePorts;
  userDataDir: string;
  settingsFile: string;
  statuses: Status[];
  notices: Notice[];
  transcripts: Transcript[];
  toolCalls: ToolCallView[];
  approvals: ApprovalRequest[];
  metrics: TurnMetrics[];
  /** Capture turn ids the core started. */
  captureStarts: string[];
  /** What the window shows as the conversation: the latest text of each item, in order of appearance. */
  screen(): Array<{ role: string; text: string; final: boolean; truncated: boolean; itemId: string }>;
  /** Press, speak the question in 20 ms frames, release. Does not wait for the answer. */
  ask(): string;
  /** ask() and wait until the core is idle again after response.done. */
  turn(timeoutMs?: number): Promise<void>;
  /** Records of every history file on disk, parsed line by line (damaged lines are counted). */
  historyOnDisk(): { records: Array<Record<string, unknown>>; damaged: number };
  close(): Promise<void>;
}

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  await ensureFixtures();
  question ??= readWavPcm16(fixturePath('question.wav')).samples;
  const speech = question;
  const fake = await startFakeRealtime({ speedup: 0, ...options.fake });
  const test = makeTestCorePorts({ apiKey: KEY, baseURL: options.baseURL ?? fake.baseURL, caPath: fake.caPath });
  const userDataDir = test.userDataDir;
  const settingsFile = join(userDataDir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ version: 2, endpoint: { kind: 'openai', extraCaCertPath: fake.caPath }, ...options.settings }, null, '\t'));
  const ports = { ...test.ports, settingsStore: await settingsPort(userDataDir) };
  if (options.historyDir) {
    // The core keeps history under <userData>/history: point that name at the given folder.
    const { symlinkSync } = await import('node:fs');
    symlinkSync(options.historyDir, join(userDataDir, 'history'));
  }
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  const bridge = createBridge(renderer);
  const statuses: Status[] = [];
  const notices: Notice[] = [];
  const transcripts: Transcript[] = [];
  const toolCalls: ToolCallView[] = [];
  const approvals: ApprovalRequest[] = [];
  const metrics: TurnMetrics[] = [];
  const captureStarts: string[] = [];
  bridge.on.status((s) => statuses.push(s));
  bridge.on.notice((n) => notices.push(n));
  bridge.on.transcript((t) => transcripts.push(t));
  bridge.on.toolCall((v) => toolCalls.push(v));
  bridge.on.turnMetrics((m) => metrics.push(m));
  bridge.on.approval((a) => {
    approvals.push(a);
    if (options.approve) void bridge.request.answerApproval({ id: a.id, decision: options.approve });
  });
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  bridge.on.capture((command) => {
    if (command.command === 'start') captureStarts.push(command.turnId);
    if (command.command === 'stop') void bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: sent.get(command.turnId) ?? 0 }).catch(() => undefined);
  });
  bridge.audio.onPlayback((itemId, pcm) => received.set(itemId, (received.get(itemId) ?? 0) + pcm.byteLength / 2));
  bridge.on.playback((command) => {
    if (command.command === 'end-of-item') void bridge.request.reportPlayback({ itemId: command.itemId, renderedSamples: received.get(command.itemId) ?? 0 }).catch(() => undefined);
    if (command.command === 'stop') void bridge.request.reportPlayback({ itemId: '', renderedSamples: 0, requestId: command.requestId }).catch(() => undefined);
  });
  const core = await startCore(main, ports, { isTrustedSender: () => true, approvalTimeoutMs: 20_000 });

  const ask = (): string => {
    core.hotkeyDown();
    const turnId = captureStarts.at(-1);
    if (!turnId) throw new Error('the microphone did not start');
    for (let i = 0; i < speech.length; i += 480) {
      const frame = speech.slice(i, i + 480);
      sent.set(turnId, (sent.get(turnId) ?? 0) + frame.length);
      bridge.audio.sendCapture(turnId, frame.buffer);
    }
    core.hotkeyUp();
    return turnId;
  };

  const rig: Rig = {
    core,
    bridge,
    fake,
    test,
    userDataDir,
    settingsFile,
    statuses,
    notices,
    transcripts,
    toolCalls,
    approvals,
    metrics,
    captureStarts,
    screen() {
      const byItem = new Map<string, { role: string; text: string; final: boolean; truncated: boolean; itemId: string }>();
      for (const t of transcripts) byItem.set(t.itemId, { role: t.role, text: t.text, final: t.final, truncated: t.truncated, itemId: t.itemId });
      return [...byItem.values()];
    },
    ask,
    async turn(timeoutMs = 10_000) {
      const doneBefore = fake.events('response.done').length;
      const metricsBefore = metrics.length;
      ask();
      await until(() => fake.events('response.done').length > doneBefore && metrics.length > metricsBefore && core.status().state === 'idle', 'the turn to end', timeoutMs);
    },
    historyOnDisk() {
      const dir = join(userDataDir, 'history');
      const records: Array<Record<string, unknown>> = [];
      let damaged = 0;
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
      } catch {
        return { records, damaged };
      }
      for (const name of names) {
        for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
          if (!line.trim()) continue;
          try {
            records.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            damaged += 1;
          }
        }
      }
      return { records, damaged };
    },
    async close() {
      await core.dispose();
      await fake.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/**
 * Nothing the user saw is lost: every final transcript on screen is in the history files with the
 * same text, every finished turn has its record, and the settings file on disk holds exactly what
 * the running app says its settings are.
 */
export async function expectNothingLost(rig: Rig): Promise<void> {
  // Listing goes through the history service, which waits for every pending append.
  await rig.bridge.request.listConversations({});
  const { records } = rig.historyOnDisk();
  const onDisk = new Map<string, string>();
  for (const r of records) if (r['type'] === 'transcript') onDisk.set(String(r['itemId']), String(r['text']));
  for (const line of rig.screen().filter((l) => l.final)) {
    expect(onDisk.get(line.itemId), `transcript ${line.role} "${line.text}" in history`).toBe(line.text);
  }
  const turnsOnDisk = new Set(records.filter((r) => r['type'] === 'turn').map((r) => (r['metrics'] as { turnId: string }).turnId));
  for (const m of rig.metrics) expect(turnsOnDisk.has(m.turnId), `turn ${m.turnId} in history`).toBe(true);
  const file = JSON.parse(readFileSync(rig.settingsFile, 'utf8')) as Record<string, unknown>;
  expect(file).toEqual(rig.core.settings.get());
}

/** Make a temporary folder the file tools may use. */
export function sharedFolder(): string {
  return mkdtempSync(join(tmpdir(), 'earshot-shared-'));
}
