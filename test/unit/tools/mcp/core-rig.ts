/**
 * The composed core (startCore over the in-memory contract transport, the fake Realtime server) with a
 * renderer stand-in that speaks real audio and reports playback, for the MCP tests that go through
 * the whole app: settings in, session.update and items out, approval cards on the contract.
 */
import { rmSync } from 'node:fs';
import { createBridge, type EarshotBridge } from '../../../../preload/bridge.ts';
import type { ApprovalRequest, Notice } from '../../../../preload/contract.ts';
import { startCore, type Core } from '../../../../main/core/start-core.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime, type RealtimeEventJson } from '../../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../../support/fixtures.ts';
import { memoryTransportPair } from '../../../support/memory-transport.ts';

export const KEY = 'sk-test-mcp-core-0a1b2c3d4e5f6a7b8c9d';

export interface CoreRig {
  core: Core;
  bridge: EarshotBridge;
  fake: FakeRealtime;
  ports: TestCorePorts;
  notices: Notice[];
  approvals: ApprovalRequest[];
  /** One push-to-talk turn with real speech (question.wav). */
  ask(): void;
  close(): Promise<void>;
}

let question: Int16Array | null = null;

export async function startCoreRig(settings: Record<string, unknown>): Promise<CoreRig> {
  await ensureFixtures();
  question ??= readWavPcm16(fixturePath('question.wav')).samples;
  const speech = question;
  const fake = await startFakeRealtime({ speedup: 0 });
  const ports = makeTestCorePorts({ apiKey: KEY, baseURL: fake.baseURL, caPath: fake.caPath, settings });
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  const core = await startCore(main, ports.ports, { isTrustedSender: () => true });
  const bridge = createBridge(renderer);
  const notices: Notice[] = [];
  const approvals: ApprovalRequest[] = [];
  const starts: string[] = [];
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  bridge.on.notice((n) => notices.push(n));
  bridge.on.approval((a) => approvals.push(a));
  bridge.on.capture((command) => {
    if (command.command === 'start') starts.push(command.turnId);
    if (command.command === 'stop') void bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: sent.get(command.turnId) ?? 0 });
  });
  bridge.audio.onPlayback((itemId, pcm) => received.set(itemId, (received.get(itemId) ?? 0) + pcm.byteLength / 2));
  bridge.on.playback((command) => {
    if (command.command === 'end-of-item') void bridge.request.reportPlayback({ itemId: command.itemId, renderedSamples: received.get(command.itemId) ?? 0 });
    if (command.command === 'stop') void bridge.request.reportPlayback({ itemId: '', renderedSamples: 0, requestId: command.requestId });
  });
  let closed = false;
  return {
    core,
    bridge,
    fake,
    ports,
    notices,
    approvals,
    ask() {
      core.hotkeyDown();
      const turnId = starts.at(-1);
      if (!turnId) throw new Error('capture did not start');
      for (let i = 0; i < speech.length; i += 480) {
        const frame = speech.slice(i, i + 480);
        sent.set(turnId, (sent.get(turnId) ?? 0) + frame.length);
        bridge.audio.sendCapture(turnId, frame.buffer);
      }
      core.hotkeyUp();
    },
    async close() {
      if (closed) return;
      closed = true;
      await core.dispose();
      await fake.close();
      rmSync(ports.userDataDir, { recursive: true, force: true });
    },
  };
}

export const serverStateOf = (core: Core, id: string): string | undefined => core.mcpServers().find((s) => s.id === id)?.state;

/** Tool entries of a session.update. */
export function sessionTools(event: RealtimeEventJson): Record<string, unknown>[] {
  const session = event['session'] as { tools?: Record<string, unknown>[] } | undefined;
  return session?.tools ?? [];
}

export function toolNamesIn(event: RealtimeEventJson): string[] {
  return sessionTools(event).map((t) => (typeof t['name'] === 'string' ? t['name'] : ''));
}

/** The function_call_output the core sent for a call id. */
export function outputOf(fake: FakeRealtime, callId: string): string | undefined {
  const created = fake.events('conversation.item.create').find((e) => {
    const item = e['item'] as { type?: string; call_id?: string } | undefined;
    return item?.type === 'function_call_output' && item.call_id === callId;
  });
  return (created?.['item'] as { output?: string } | undefined)?.output;
}
