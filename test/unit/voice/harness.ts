/** In-memory ports around a real VoiceSession talking to the fake Realtime server. */
import type { ApprovalRequest, Notice, PlaybackReport, Status, ToolCallView, Transcript, TurnMetrics } from '../../../preload/contract.ts';
import type { FunctionToolDefinition, ToolCallRequest, ToolCallResult, ToolHost } from '../../../main/tools/tool-host.ts';
import { createVoiceSession, defaultVoiceConfig, VoiceConfigSchema } from '../../../main/voice/index.ts';
import { nullLogger } from '../../../main/base/logger.ts';
import { systemClock } from '../../../main/base/clock.ts';
import type { Credentials, TurnRecord, VoiceConfigInput, VoiceSession } from '../../../main/voice/index.ts';
import type { CapturePort, PlaybackPort } from '../../../main/voice/ports.ts';
import type { Logger } from '../../../main/base/logger.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import type { EngineFactory } from '../../../main/voice/engine/engine.ts';
import type { ImageCost } from '../../../main/voice/image-costs.ts';

export class Recorded {
  statuses: Status[] = [];
  transcripts: Transcript[] = [];
  toolViews: ToolCallView[] = [];
  approvals: ApprovalRequest[] = [];
  metrics: TurnMetrics[] = [];
  notices: Notice[] = [];
  turns: TurnRecord[] = [];
  imageCosts: ImageCost[] = [];
  states(): string[] {
    return this.statuses.map((s) => s.state);
  }
}

/** A player that "renders" each chunk at once unless holding; the test sets what stop() reports. */
export class TestPlayback implements PlaybackPort {
  written = new Map<string, number>();
  ended: string[] = [];
  stops = 0;
  /** When true, items are not reported finished (the assistant keeps "speaking"). */
  hold = false;
  /** What the next stop() reports as rendered, in samples (default: everything received). */
  renderedOnStop: number | null = null;
  /** How long the simulated renderer takes to answer a stop. */
  stopReplyMs = 5;
  lastItem: string | null = null;
  report: (r: PlaybackReport) => void = () => {};
  firstSampleAt = new Map<string, number>();

  write(itemId: string, pcm: Int16Array): void {
    if (!this.written.has(itemId)) {
      const at = performance.timeOrigin + performance.now();
      this.firstSampleAt.set(itemId, at);
      queueMicrotask(() => this.report({ itemId, renderedSamples: 0, firstSampleAt: at }));
    }
    this.written.set(itemId, (this.written.get(itemId) ?? 0) + pcm.length);
    this.lastItem = itemId;
  }
  endOfItem(itemId: string): void {
    this.ended.push(itemId);
    if (!this.hold) queueMicrotask(() => this.report({ itemId, renderedSamples: this.written.get(itemId) ?? 0 }));
  }
  async stop(): Promise<PlaybackReport | null> {
    this.stops++;
    const item = this.lastItem;
    if (!item) return null;
    await new Promise((r) => setTimeout(r, this.stopReplyMs)); // the renderer answers a little later
    return { itemId: item, renderedSamples: this.renderedOnStop ?? this.written.get(item) ?? 0 };
  }
}

export class TestCapture implements CapturePort {
  started: string[] = [];
  stopped: string[] = [];
  releases = 0;
  pushedTotal = new Map<string, number>();
  onStop: (turnId: string) => void = () => {};
  start(turnId: string): void {
    this.started.push(turnId);
  }
  stop(turnId: string): void {
    this.stopped.push(turnId);
    this.onStop(turnId);
  }
  release(): void {
    this.releases++;
  }
}

export class MemoryToolHost implements ToolHost {
  calls: ToolCallRequest[] = [];
  listeners: ((v: ToolCallView) => void)[] = [];
  behaviour: (call: ToolCallRequest) => Promise<ToolCallResult> = async (call) => ({
    output: JSON.stringify({ files: ['notes.txt', 'todo.md'], asked: call.argumentsJson }),
    status: 'done',
    durationMs: 1,
  });
  definitions(): FunctionToolDefinition[] {
    return [
      {
        type: 'function',
        name: 'list_files',
        description: 'List files in an allowed folder.',
        parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
    ];
  }
  async execute(call: ToolCallRequest): Promise<ToolCallResult> {
    this.calls.push(call);
    return this.behaviour(call);
  }
  onCallUpdate(listener: (view: ToolCallView) => void): () => void {
    this.listeners.push(listener);
    return () => {};
  }
  onAudit(): () => void {
    return () => {};
  }
}

export interface Harness {
  session: VoiceSession;
  rec: Recorded;
  playback: TestPlayback;
  capture: TestCapture;
  tools: MemoryToolHost;
  /** One push-to-talk turn with these samples; resolves when the turn ended. */
  talk(pcm: Int16Array, opts?: { realtime?: boolean; waitOpen?: boolean }): Promise<TurnRecord>;
  waitTurn(turnId: string, timeoutMs?: number): Promise<TurnRecord>;
  waitState(state: Status['state'], timeoutMs?: number): Promise<void>;
}

export function makeHarness(
  // Any fake with an endpoint: the Realtime fake, or the HTTP fake of the cascaded / chat-audio engines.
  fake: Pick<FakeRealtime, 'baseURL'> & { ca: string | null },
  config: VoiceConfigInput = {},
  logger: Logger = nullLogger,
  credentials: () => Promise<Credentials> = async () => ({ apiKey: 'sk-test-abcdefghijklmnop', baseURL: fake.baseURL, ...(fake.ca ? { ca: fake.ca } : {}) }),
  /** Builds the engine (default: the real ones); tests pass one with short timeouts. */
  createEngine?: EngineFactory,
): Harness {
  const rec = new Recorded();
  const playback = new TestPlayback();
  const capture = new TestCapture();
  const tools = new MemoryToolHost();
  const waiters = new Map<string, (r: TurnRecord) => void>();
  const session = createVoiceSession(VoiceConfigSchema.parse({ ...defaultVoiceConfig, ...config }), {
    events: {
      status: (s) => rec.statuses.push(s),
      transcript: (t) => rec.transcripts.push(t),
      toolCall: (v) => rec.toolViews.push(v),
      approval: (a) => rec.approvals.push(a),
      turnMetrics: (m) => rec.metrics.push(m),
      notice: (n) => rec.notices.push(n),
      imageCost: (c) => rec.imageCosts.push(c),
      turnEnded: (r) => {
        rec.turns.push(r);
        waiters.get(r.turnId)?.(r);
      },
    },
    capture,
    playback,
    tools,
    clock: systemClock,
    logger,
    credentials,
    ...(createEngine ? { createEngine } : {}),
  });
  playback.report = (r) => session.reportPlayback(r);
  capture.onStop = (turnId) => {
    const total = capture.pushedTotal.get(turnId) ?? 0;
    setTimeout(() => session.captureFlushed(turnId, total), 2);
  };
  const waitTurn = (turnId: string, timeoutMs = 15_000): Promise<TurnRecord> => {
    const done = rec.turns.find((t) => t.turnId === turnId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`turn ${turnId} did not end; states ${rec.states().join(' → ')}`)), timeoutMs);
      waiters.set(turnId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  };
  const talk = async (pcm: Int16Array, opts: { realtime?: boolean; waitOpen?: boolean } = {}): Promise<TurnRecord> => {
    session.hotkeyDown();
    const turnId = capture.started.at(-1);
    if (!turnId) throw new Error('capture did not start');
    const ended = waitTurn(turnId);
    if (opts.waitOpen !== false) await waitState('listening');
    for (let i = 0; i < pcm.length; i += 480) {
      const frame = pcm.subarray(i, Math.min(pcm.length, i + 480));
      capture.pushedTotal.set(turnId, (capture.pushedTotal.get(turnId) ?? 0) + frame.length);
      session.pushCapture(turnId, frame);
      if (opts.realtime) await new Promise((r) => setTimeout(r, 20));
    }
    session.hotkeyUp();
    return ended;
  };
  const waitState = async (state: Status['state'], timeoutMs = 10_000): Promise<void> => {
    const start = Date.now();
    while (session.status().state !== state) {
      if (Date.now() - start > timeoutMs) throw new Error(`state ${session.status().state}, wanted ${state}; history ${rec.states().join(' → ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { session, rec, playback, capture, tools, talk, waitTurn, waitState };
}
