/**
 * Shared pieces of the main-process benchmarks (test/bench/core-*.ts): the fake Realtime server in a
 * child process, a wire probe on the `ws` WebSocket of this process, a VoiceSession on the in-memory
 * ports of the unit harness, and figure formatting against DESIGN §6.
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { z } from 'zod';
import type { Status } from '../../preload/contract.ts';
import { createVoiceSession, defaultVoiceConfig, VoiceConfigSchema } from '../../main/voice/index.ts';
import { nullLogger } from '../../main/base/logger.ts';
import { systemClock } from '../../main/base/clock.ts';
import type { TurnRecord, VoiceConfigInput, VoiceSession } from '../../main/voice/index.ts';
import { MemoryToolHost, TestCapture, TestPlayback } from '../unit/voice/harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

// ---------- the fake in a child process ----------

const FakeLineSchema = z.object({ baseURL: z.string().url(), wsURL: z.string(), caPath: z.string(), port: z.number().int() });

export interface ChildFake {
  baseURL: string;
  ca: string;
  /** Path of the PEM (for a settings file's extraCaCertPath). */
  caPath: string;
  pid: number;
  /**
   * core-fake-child.lib.ts only: a command on its stdin, resolved when the child has applied it —
   * `{ cmd: 'dropNow' }`, `{ cmd: 'tool', name, arguments }` (scriptToolCall).
   */
  command(command: ChildCommand): Promise<void>;
  close(): Promise<void>;
}

export type ChildCommand = { cmd: 'dropNow' } | { cmd: 'tool'; name: string; arguments: Record<string, unknown> };

/**
 * Starts the fake in its own process. Without replySeconds it is test/support/fake-realtime/standalone.ts
 * (reply.wav); with it, core-fake-child.lib.ts (a slice of speech-60s.wav as the reply).
 */
export async function spawnFake(opts: { speedup: number; replySeconds?: number; replyOffset?: number }): Promise<ChildFake> {
  const script =
    opts.replySeconds === undefined
      ? join(repoRoot, 'test', 'support', 'fake-realtime', 'standalone.ts')
      : join(here, 'core-fake-child.lib.ts');
  const args = [script, '--speedup', String(opts.speedup)];
  if (opts.replySeconds !== undefined) args.push('--reply-seconds', String(opts.replySeconds), '--reply-offset', String(opts.replyOffset ?? 0));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake child: no JSON line within 60 s')), 60_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake child exited (code ${code}) before it printed its address`));
    });
  });
  const info = FakeLineSchema.parse(JSON.parse(line));
  const acks = new Map<number, () => void>();
  let next = 0;
  lines.on('line', (l) => {
    const ack = z.object({ ack: z.number() }).safeParse(JSON.parse(l));
    if (ack.success) {
      acks.get(ack.data.ack)?.();
      acks.delete(ack.data.ack);
    }
  });
  return {
    baseURL: info.baseURL,
    ca: readFileSync(info.caPath, 'utf8'),
    caPath: info.caPath,
    pid: child.pid ?? -1,
    command: (command) =>
      new Promise<void>((resolve, reject) => {
        if (opts.replySeconds === undefined) {
          reject(new Error('commands need the bench child (replySeconds)'));
          return;
        }
        const id = ++next;
        acks.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ id, ...command })}\n`);
      }),
    close: async () => {
      lines.close();
      child.stdin.end();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------- the wire probe ----------

/** A client event handed to the socket, or a server event read from it. */
export interface WireEvent {
  type: string;
  /** performance.now() when ws.send was called / when ws emitted 'message'. */
  at: number;
  /** Outgoing small frames only (not appends): the JSON, for fields like audio_end_ms. */
  json?: string;
}

export interface WireProbe {
  /** Called for every outgoing client event at ws.send time. */
  onSend: ((e: WireEvent) => void) | null;
  /** Called when ws has written the frame to the TLS socket (send callback). */
  onWritten: ((e: WireEvent, writtenAt: number) => void) | null;
  /** Called for every incoming server event, before the SDK sees it. */
  onMessage: ((e: WireEvent) => void) | null;
  /** Wall time spent in the handlers of incoming frames (SDK parse → engine → session → player), summed. */
  messageHandlerMs: number;
  messages: number;
}

const TYPE_RE = /"type"\s*:\s*"([^"]+)"/;

function typeOf(head: string): string {
  return TYPE_RE.exec(head)?.[1] ?? '<unknown>';
}

/**
 * Wraps `send` and `emit('message')` of the `ws` WebSocket prototype in this process (the SDK's
 * OpenAIRealtimeWS socket is one). Only the first 200 characters are looked at for the type.
 */
export function installWireProbe(): WireProbe {
  const probe: WireProbe = { onSend: null, onWritten: null, onMessage: null, messageHandlerMs: 0, messages: 0 };
  const proto = WebSocket.prototype as unknown as {
    send: (this: WebSocket, data: unknown, ...rest: unknown[]) => void;
    emit: (this: WebSocket, event: string | symbol, ...args: unknown[]) => boolean;
  };
  const send = proto.send;
  const emit = proto.emit;
  proto.send = function (this: WebSocket, data: unknown, ...rest: unknown[]): void {
    const at = performance.now();
    if (typeof data !== 'string' || (!probe.onSend && !probe.onWritten)) {
      send.call(this, data, ...rest);
      return;
    }
    const type = typeOf(data.slice(0, 200));
    const e: WireEvent = type === 'input_audio_buffer.append' ? { type, at } : { type, at, json: data };
    probe.onSend?.(e);
    if (rest.length === 0 && probe.onWritten) {
      const written = probe.onWritten;
      send.call(this, data, (err?: Error) => {
        if (!err) written(e, performance.now());
      });
    } else send.call(this, data, ...rest);
  };
  proto.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'message') return emit.call(this, event, ...args);
    const at = performance.now();
    if (probe.onMessage) {
      const data = args[0];
      const head = Buffer.isBuffer(data) ? data.toString('utf8', 0, Math.min(200, data.length)) : typeof data === 'string' ? data.slice(0, 200) : '';
      probe.onMessage({ type: typeOf(head), at });
    }
    try {
      return emit.call(this, event, ...args);
    } finally {
      probe.messageHandlerMs += performance.now() - at;
      probe.messages++;
    }
  };
  return probe;
}

// ---------- a session on in-memory ports ----------

/** The unit harness's player, with the time of the first write per item (performance.now()). */
export class TimedPlayback extends TestPlayback {
  firstWriteAt = new Map<string, number>();
  onFirstWrite: ((itemId: string, at: number) => void) | null = null;
  override write(itemId: string, pcm: Int16Array): void {
    if (!this.written.has(itemId)) {
      const at = performance.now();
      this.firstWriteAt.set(itemId, at);
      this.onFirstWrite?.(itemId, at);
    }
    super.write(itemId, pcm);
  }
  /** performance.now() when the last stop() answered (what main waits for before the truncate). */
  lastStopAnsweredAt: number | null = null;
  override async stop(): ReturnType<TestPlayback['stop']> {
    const report = await super.stop();
    this.lastStopAnsweredAt = performance.now();
    return report;
  }
}

export interface BenchSession {
  session: VoiceSession;
  capture: TestCapture;
  playback: TimedPlayback;
  tools: MemoryToolHost;
  counts: { statuses: number; transcripts: number; notices: number; metrics: number };
  /** Wall time spent inside session.pushCapture (encode, JSON, ws framing, TLS write), summed. */
  busy: { pushMs: number; pushes: number };
  /** The current capture's turn id (the last started). */
  currentTurn(): string;
  waitTurn(turnId: string, timeoutMs?: number): Promise<TurnRecord>;
  waitState(state: Status['state'], timeoutMs?: number): Promise<void>;
  /** Push samples as 20 ms frames; realtime: one frame every 20 ms on an absolute schedule. */
  push(turnId: string, pcm: Int16Array, realtime: boolean): Promise<void>;
}

/**
 * A real VoiceSession over the real TLS socket to the fake, with the unit harness's ports. The
 * capture side answers a stop at once (next microtask), so key-up timings are main's own work.
 * Keeps counts, not copies, of what the session emits (for the soak).
 */
export function benchSession(fake: ChildFake, config: VoiceConfigInput = {}): BenchSession {
  const capture = new TestCapture();
  const playback = new TimedPlayback();
  const tools = new MemoryToolHost();
  const counts = { statuses: 0, transcripts: 0, notices: 0, metrics: 0 };
  const busy = { pushMs: 0, pushes: 0 };
  const ended = new Map<string, TurnRecord>();
  const waiters = new Map<string, (r: TurnRecord) => void>();
  const session = createVoiceSession(VoiceConfigSchema.parse({ ...defaultVoiceConfig, ...config }), {
    events: {
      status: () => counts.statuses++,
      transcript: () => counts.transcripts++,
      toolCall: () => {},
      approval: () => {},
      turnMetrics: () => counts.metrics++,
      notice: (n) => {
        counts.notices++;
        if (n.level !== 'info') console.warn(`  [notice ${n.level}] ${n.message}`);
      },
      turnEnded: (r) => {
        const w = waiters.get(r.turnId);
        if (w) {
          waiters.delete(r.turnId);
          w(r);
        } else ended.set(r.turnId, r);
      },
    },
    capture,
    playback,
    tools,
    clock: systemClock,
    logger: nullLogger,
    credentials: async () => ({ apiKey: 'sk-test-bench-abcdefghijklmnop', baseURL: fake.baseURL, ca: fake.ca }),
  });
  playback.report = (r) => session.reportPlayback(r);
  capture.onStop = (turnId) => {
    const total = capture.pushedTotal.get(turnId) ?? 0;
    capture.pushedTotal.delete(turnId);
    queueMicrotask(() => session.captureFlushed(turnId, total));
  };
  const currentTurn = (): string => {
    const id = capture.started.at(-1);
    if (!id) throw new Error('capture never started');
    return id;
  };
  const waitTurn = (turnId: string, timeoutMs = 30_000): Promise<TurnRecord> => {
    const done = ended.get(turnId);
    if (done) {
      ended.delete(turnId);
      return Promise.resolve(done);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(turnId);
        reject(new Error(`turn ${turnId} did not end within ${timeoutMs} ms (state ${session.status().state})`));
      }, timeoutMs);
      waiters.set(turnId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  };
  const waitState = async (state: Status['state'], timeoutMs = 10_000): Promise<void> => {
    const start = performance.now();
    while (session.status().state !== state) {
      if (performance.now() - start > timeoutMs) throw new Error(`state ${session.status().state}, wanted ${state}`);
      await sleep(2);
    }
  };
  const push = async (turnId: string, pcm: Int16Array, realtime: boolean): Promise<void> => {
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < pcm.length; i += FRAME) {
      const frame = pcm.subarray(i, Math.min(pcm.length, i + FRAME));
      capture.pushedTotal.set(turnId, (capture.pushedTotal.get(turnId) ?? 0) + frame.length);
      const t0 = performance.now();
      session.pushCapture(turnId, frame);
      busy.pushMs += performance.now() - t0;
      busy.pushes++;
      n++;
      if (realtime) await sleep(Math.max(0, start + n * 20 - performance.now()));
    }
  };
  return { session, capture, playback, tools, counts, busy, currentTurn, waitTurn, waitState, push };
}

/** 20 ms at 24 kHz. */
export const FRAME = 480;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits for conditions without polling (a 1 ms poll would itself wake the process 1000×/s and skew
 * what is measured): whoever changes the state calls poke(), which re-checks the pending waits.
 */
export class Waiter {
  #pending = new Set<() => boolean>();

  /** Resolves with check()'s first defined value, checked now and at every poke(); rejects after timeoutMs. */
  until<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        const v = check();
        if (v === undefined) return false;
        clearTimeout(timer);
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        this.#pending.delete(attempt);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.#pending.add(attempt);
    });
  }

  poke(): void {
    for (const attempt of [...this.#pending]) if (attempt()) this.#pending.delete(attempt);
  }
}

// ---------- figures ----------

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

const verdict = (ok: boolean): string => (ok ? 'within budget' : 'OVER budget');

/** "p50 … p95 … max … (n=…)  [budget p95 ≤ X ms: within budget]" */
export function latencyLine(label: string, xs: readonly number[], budgetP95Ms?: number, digits = 2): string {
  const p95 = percentile(xs, 95);
  const figures = `p50 ${percentile(xs, 50).toFixed(digits)} ms, p95 ${p95.toFixed(digits)} ms, max ${Math.max(...xs).toFixed(digits)} ms (n=${xs.length})`;
  const budget = budgetP95Ms === undefined ? '' : `  [budget p95 ≤ ${budgetP95Ms} ms: ${verdict(p95 <= budgetP95Ms)}]`;
  return `${label.padEnd(58)} ${figures}${budget}`;
}

export function budgetLine(label: string, value: string, ok: boolean | null, budget: string): string {
  return `${label.padEnd(58)} ${value}${ok === null ? '' : `  [budget ${budget}: ${verdict(ok)}]`}`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
