/**
 * The voice session state machine: hotkey and turn modes, capture and playback through ports, barge-in,
 * tool calls, transcripts, usage/cost and latency per turn, connection life. Talks to one VoiceEngine.
 *
 * State is derived, not stored: error > reconnecting > listening/connecting (capturing) > speaking
 * (playback running) > thinking (turn waiting for the model or a tool) > listening (hands-free open) > idle.
 */
import { randomUUID } from 'node:crypto';
import type { PlaybackReport, SessionState, Status, ToolCallView, TurnMode } from '../../preload/contract.ts';
import type { NativeApprovalRequest, ToolCallResult, ToolHost } from '../tools/tool-host.ts';
import type { CapturePort, PlaybackPort, SessionEvents } from './ports.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../base/logger.ts';
import { VoiceConfigSchema, LIVE_SESSION_KEYS, LOCAL_KEYS } from './config.ts';
import type { VoiceConfig } from './config.ts';
import type { Credentials, EngineFactory, EngineListener, HistoryEntry, RateLimit, UserImage, VoiceEngine } from './engine/engine.ts';
import { ImageCostTracker } from './image-costs.ts';
import { createEngine } from './engine/create-engine.ts';
import { FATAL_ACTIONS } from './engine/fatal-errors.ts';
import { SAMPLES_PER_MS } from './audio/pcm.ts';
import { TranscriptAssembler } from './transcripts.ts';
import { addUsage, emptyUsage } from './cost/usage.ts';
import { PRICES_READ_ON } from './cost/price-table.ts';
import { latencyOf, newTurn } from './turn.ts';
import type { ActiveTurn, TurnInput, TurnRecord } from './turn.ts';
import { redact } from '../base/redact.ts';

export interface VoiceSessionPorts {
  events: SessionEvents;
  capture: CapturePort;
  playback: PlaybackPort;
  tools: ToolHost;
  clock: Clock;
  logger: Logger;
  credentials: () => Promise<Credentials>;
  /** Builds the engine the config names (default: the three real engines). Tests may pass their own. */
  createEngine?: EngineFactory;
}

/** What became of a typed message: sent as a turn, or refused with a reason a person can act on. */
export type SendTextResult = { sent: true; turnId: string } | { sent: false; reason: string };

/** A picture to show the model (a screen capture or a file), described for the transcript and the history. */
export interface ShownImage {
  image: UserImage;
  /** "Entire Screen", a window title, a file name. */
  label: string;
  width: number;
  height: number;
  /** Tokens expected from OpenAI's sizing rules (main/tools/screen/image-sizing.ts). */
  estimatedTokens: number;
}

export interface VoiceSession {
  hotkeyDown(): void;
  /**
   * A typed turn in the same conversation. While the assistant speaks it barges in exactly like the
   * hotkey (player stopped, response cancelled, answer truncated to what was heard), and the text goes
   * out once that is done. `replyAs: 'text'` asks for a text-only answer for this turn.
   */
  sendText(text: string, replyAs: TurnInput['replyAs']): SendTextResult;
  /**
   * A turn that shows the model a picture, with optional typed words, as one user message; barges in
   * like sendText. The transcript line reads "[picture: <label>] <text>".
   */
  sendImage(shown: ShownImage, text: string | null, replyAs: TurnInput['replyAs']): SendTextResult;
  hotkeyUp(): void;
  stopSpeaking(): void;
  newConversation(): void;
  /**
   * Continue an earlier conversation: a new session under the same id, with its text (`history`)
   * replayed as context; new turns append to the same record.
   */
  resumeConversation(conversationId: string, history: HistoryEntry[]): void;
  setTurnMode(mode: TurnMode): void;
  setMicMuted(muted: boolean): void;
  pushCapture(turnId: string, pcm: Int16Array): void;
  captureFlushed(turnId: string, totalSamples: number): void;
  reportPlayback(report: PlaybackReport): void;
  updateConfig(patch: Partial<VoiceConfig>): { appliedLive: string[]; nextSession: string[] };
  /** The tools changed (an MCP server came, went or changed its list): a live session gets them now. */
  refreshTools(): void;
  status(): Status;
  conversationId(): string;
  dispose(): Promise<void>;
  /** Additions beyond the lead's list. */
  turnLog(): TurnRecord[];
  sessionCostUsd(): number;
  rateLimits(): RateLimit[];
  setStatusExtras(extras: Partial<Pick<Status, 'apiKey' | 'holdAvailable'>>): void;
}

/** Turns shorter than this are cleared, not committed (the service rejects < 100 ms). */
export const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;

interface Capture {
  turnId: string;
  samples: number;
  stopping: boolean;
  expected: number | null;
  flushTimer: { cancel(): void } | null;
  continuous: boolean;
  /** The press that opened this capture also cut the assistant off: a quick tap only meant "stop". */
  interrupted: boolean;
}

interface PlayItem {
  itemId: string;
  turn: ActiveTurn;
  received: number;
  rendered: number;
  ended: boolean;
  done: boolean;
  firstAt: number;
  estimate: { cancel(): void } | null;
}

export function createVoiceSession(initial: VoiceConfig, ports: VoiceSessionPorts): VoiceSession {
  return new Session(initial, ports);
}

class Session implements VoiceSession {
  #config: VoiceConfig;
  #p: VoiceSessionPorts;
  #engine: VoiceEngine;
  #conversationId: string = randomUUID();
  #micMuted = false;
  #message: string | null = null;
  #extras: Pick<Status, 'apiKey' | 'holdAvailable'> = { apiKey: 'set', holdAvailable: true };
  #lastStatus = '';
  #phase: 'closed' | 'connecting' | 'open' | 'reconnecting' | 'failed' = 'closed';
  #fatal: string | null = null;
  #handsFreeOpen = false;
  #capture: Capture | null = null;
  #turns: ActiveTurn[] = [];
  #log: TurnRecord[] = [];
  #play = new Map<string, PlayItem>();
  #cancelled = new Set<string>();
  #activeResponseId: string | null = null;
  #history: HistoryEntry[] = [];
  #sessionUsage = emptyUsage();
  #sessionCost = 0;
  #costUnknownWarned = false;
  #rateLimits: RateLimit[] = [];
  #keepWarm: { cancel(): void } | null = null;
  #micWarm: { cancel(): void } | null = null;
  #transcripts: TranscriptAssembler;
  #unsubscribe: () => void;
  #disposed = false;
  /** Settles when the last barge-in has sent its truncate (or delete): a typed turn waits for it. */
  #bargeInSettled: Promise<void> = Promise.resolve();
  #imageCosts = new ImageCostTracker();

  constructor(config: VoiceConfig, ports: VoiceSessionPorts) {
    this.#config = VoiceConfigSchema.parse(config);
    this.#p = ports;
    this.#transcripts = new TranscriptAssembler((t) => ports.events.transcript(t), () => this.#conversationId);
    this.#engine = this.#makeEngine();
    this.#unsubscribe = ports.tools.onCallUpdate((view) => this.#onToolView(view));
  }

  #makeEngine(): VoiceEngine {
    const factory = this.#p.createEngine ?? createEngine;
    const engine = factory(this.#config.engine, {
      config: () => this.#config,
      tools: () => this.#p.tools.definitions(),
      nativeTools: () => this.#p.tools.nativeTools?.() ?? [],
      handsFreeOpen: () => this.#handsFreeOpen,
      credentials: this.#p.credentials,
      clock: this.#p.clock,
      logger: this.#p.logger,
      listener: this.#listener(),
    });
    engine.setHistory(this.#history);
    return engine;
  }

  /**
   * Another engine was chosen: once nothing is running, the old one closes and the new one takes over
   * the same conversation (its text history is replayed like after a renewal).
   */
  #swapEngineWhenIdle(): void {
    if (this.#engine.kind === this.#config.engine || this.#disposed) return;
    // Nothing running: no turn, nothing playing or being answered, no push-to-talk capture (an open
    // hands-free microphone between turns is fine: it moves to the new engine).
    if (this.#turns.some((t) => !t.finished) || this.#assistantBusy() || (this.#capture && !this.#capture.continuous)) return;
    const old = this.#engine;
    this.#engine = this.#makeEngine();
    this.#phase = 'closed';
    if (this.#handsFreeOpen) {
      this.#engine.ensureConnected();
      this.#engine.updateSession(this.#config, true);
    }
    void old.close().catch((error: unknown) => this.#p.logger.warn('closing the previous engine failed', { error: String(error) }));
    this.#p.logger.info('engine switched', { from: old.kind, to: this.#engine.kind });
  }

  // ---------- status ----------

  #state(): SessionState {
    if (this.#fatal) return 'error';
    if (this.#phase === 'reconnecting') return 'reconnecting';
    if (this.#capture && !this.#capture.stopping && !this.#capture.continuous) {
      return this.#engine.isOpen() ? 'listening' : 'connecting';
    }
    if ([...this.#play.values()].some((i) => !i.done)) return 'speaking';
    if (this.#turns.some((t) => !t.finished && !t.aborted && (t.committed || t.pendingTools > 0))) return 'thinking';
    if (this.#capture?.stopping) return 'thinking';
    if (this.#handsFreeOpen) return this.#engine.isOpen() ? 'listening' : 'connecting';
    if (this.#phase === 'connecting' && this.#turns.some((t) => !t.finished)) return 'connecting';
    return 'idle';
  }

  status(): Status {
    return {
      state: this.#state(),
      turnMode: this.#config.turnMode,
      micMuted: this.#micMuted,
      message: this.#fatal ?? this.#message,
      ...this.#extras,
    };
  }

  #emitStatus(): void {
    if (this.#engine.kind !== this.#config.engine) this.#swapEngineWhenIdle();
    const s = this.status();
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.#p.events.status(s);
    if (s.state === 'idle') this.#scheduleIdle();
  }

  setStatusExtras(extras: Partial<Pick<Status, 'apiKey' | 'holdAvailable'>>): void {
    this.#extras = { ...this.#extras, ...extras };
    this.#emitStatus();
  }

  conversationId(): string {
    return this.#conversationId;
  }

  // ---------- hotkey and modes ----------

  hotkeyDown(): void {
    if (this.#disposed) return;
    this.#cancelIdle();
    if (this.#fatal) {
      // The user asks to try again: clear the error and let the engine reconnect.
      this.#fatal = null;
    }
    const busy = this.#assistantBusy();
    if (busy) this.#bargeIn();
    const mode = this.#config.turnMode;
    if (mode === 'hands-free') {
      if (!this.#handsFreeOpen) this.#openHandsFree();
      else if (!busy) this.#closeHandsFree();
    } else if (mode === 'toggle') {
      if (this.#capture && !this.#capture.stopping) this.#endTurn();
      else this.#startTurn();
    } else if (!this.#capture || this.#capture.stopping) {
      this.#startTurn();
    }
    if (busy && this.#capture && !this.#capture.continuous) this.#capture.interrupted = true;
    this.#emitStatus();
  }

  hotkeyUp(): void {
    if (this.#config.turnMode === 'hold' && this.#capture && !this.#capture.stopping && !this.#capture.continuous) {
      this.#endTurn();
      this.#emitStatus();
    }
  }

  sendText(text: string, replyAs: TurnInput['replyAs']): SendTextResult {
    const body = text.trim();
    if (!body && !this.#disposed) return { sent: false, reason: 'Type a message first.' };
    return this.#sendTyped(body, { kind: 'text', replyAs }, (itemId) => this.#engine.sendUserText(itemId, body, { textOnly: replyAs === 'text' }));
  }

  sendImage(shown: ShownImage, text: string | null, replyAs: TurnInput['replyAs']): SendTextResult {
    const words = text?.trim() || null;
    const line = `[picture: ${shown.label}]${words ? ` ${words}` : ''}`;
    let turnId = '';
    const result = this.#sendTyped(line, { kind: 'image', replyAs }, (itemId) => {
      this.#noteImage(shown, turnId);
      this.#engine.sendUserImage(itemId, shown.image, words, { textOnly: replyAs === 'text' });
    });
    if (result.sent) turnId = result.turnId;
    return result;
  }

  #noteImage(shown: ShownImage, turnId: string): void {
    this.#imageCosts.shown({
      conversationId: this.#conversationId,
      turnId,
      label: shown.label,
      width: shown.width,
      height: shown.height,
      detail: shown.image.detail,
      estimatedTokens: shown.estimatedTokens,
      at: this.#p.clock.epochMs(),
    });
  }

  /** A turn typed (or shown) rather than spoken: its user line is final at once; it waits for a barge-in's truncate. */
  #sendTyped(body: string, input: TurnInput, write: (itemId: string) => void): SendTextResult {
    if (this.#disposed) return { sent: false, reason: 'Earshot is shutting down.' };
    if (this.#capture && !this.#capture.continuous) {
      // A spoken turn is being recorded or sent: a typed item now would land before its audio.
      return { sent: false, reason: 'Finish speaking first: your spoken question is still being recorded or sent.' };
    }
    this.#cancelIdle();
    this.#fatal = null; // like the hotkey: a new try clears the error
    this.#message = null;
    const busy = this.#assistantBusy();
    if (busy) this.#bargeIn();
    const now = this.#p.clock.now();
    const t = newTurn(randomUUID(), this.#p.clock.epochMs(), input);
    const itemId = textItemId();
    t.committed = true;
    t.userItemId = itemId;
    t.keyUpAt = now;
    t.keyUpEpoch = t.startedAtEpochMs;
    this.#turns.push(t);
    // The typed words are final at once: the bubble stands above its answer from the start.
    this.#transcripts.done('user', itemId, body);
    const send = (): void => {
      if (this.#disposed || t.finished) return;
      this.#maybeRenew();
      this.#engine.ensureConnected();
      write(itemId);
      this.#emitStatus();
    };
    // After a barge-in (this one, or a Stop just before) the truncate goes first, so the model
    // answers knowing what was heard. With none pending this runs in the next microtask.
    void this.#bargeInSettled.then(send);
    this.#emitStatus();
    return { sent: true, turnId: t.id };
  }

  stopSpeaking(): void {
    if (this.#assistantBusy()) this.#bargeIn();
    this.#emitStatus();
  }

  setTurnMode(mode: TurnMode): void {
    if (mode === this.#config.turnMode) return;
    if (this.#handsFreeOpen) this.#closeHandsFree();
    this.#config = { ...this.#config, turnMode: mode };
    this.#emitStatus();
  }

  setMicMuted(muted: boolean): void {
    this.#micMuted = muted;
    const c = this.#capture;
    if (muted && c) {
      this.#p.capture.stop(c.turnId);
      c.flushTimer?.cancel();
      this.#capture = null;
      if (!c.continuous) {
        this.#engine.clearInput();
        this.#dropTurn(c.turnId, 'cancelled');
      }
      this.#message = 'Microphone muted.';
    } else if (!muted && this.#handsFreeOpen && !this.#capture) {
      this.#startCapture(true);
      this.#message = null;
    } else if (!muted) {
      this.#message = null;
    }
    this.#emitStatus();
  }

  #assistantBusy(): boolean {
    return [...this.#play.values()].some((i) => !i.done) || this.#engine.responseActive();
  }

  #startCapture(continuous: boolean): Capture {
    const turnId = randomUUID();
    const c: Capture = { turnId, samples: 0, stopping: false, expected: null, flushTimer: null, continuous, interrupted: false };
    this.#capture = c;
    this.#p.capture.start(turnId);
    return c;
  }

  #startTurn(): void {
    if (this.#micMuted) {
      this.#message = 'Microphone is muted: unmute it to talk.';
      this.#p.events.notice({ level: 'warning', message: 'The microphone is muted.', action: 'Unmute it from the tray menu.', subject: 'microphone' });
      return;
    }
    this.#message = null;
    this.#maybeRenew();
    this.#engine.ensureConnected();
    const c = this.#startCapture(false);
    this.#turns.push(newTurn(c.turnId, this.#p.clock.epochMs()));
  }

  #maybeRenew(): void {
    const age = this.#engine.sessionAgeMs();
    if (age != null && age >= this.#config.renewAfterMs && !this.#engine.responseActive()) {
      this.#engine.renew(this.#history);
    }
  }

  #endTurn(): void {
    const c = this.#capture;
    if (!c || c.stopping) return;
    c.stopping = true;
    const t = this.#turnById(c.turnId);
    if (t) {
      t.keyUpAt = this.#p.clock.now();
      t.keyUpEpoch = this.#p.clock.epochMs();
    }
    this.#p.capture.stop(c.turnId);
    c.flushTimer = this.#p.clock.setTimeout(() => this.#finishCapture(c), this.#config.flushTimeoutMs);
  }

  pushCapture(turnId: string, pcm: Int16Array): void {
    const c = this.#capture;
    if (!c || c.turnId !== turnId || this.#micMuted) return;
    c.samples += pcm.length;
    this.#engine.appendAudio(pcm);
    if (c.stopping && c.expected != null && c.samples >= c.expected) this.#finishCapture(c);
  }

  captureFlushed(turnId: string, totalSamples: number): void {
    const c = this.#capture;
    if (!c || c.turnId !== turnId) return;
    c.expected = totalSamples;
    if (c.stopping && c.samples >= totalSamples) this.#finishCapture(c);
  }

  #finishCapture(c: Capture): void {
    if (this.#capture !== c) return;
    c.flushTimer?.cancel();
    this.#capture = null;
    const t = this.#turnById(c.turnId);
    if (c.samples < MIN_TURN_SAMPLES) {
      this.#engine.clearInput();
      // A tap that interrupted the assistant was a "stop", not a failed question: no hint for it.
      if (!c.interrupted) {
        this.#message = 'Hold the key while you speak.';
        this.#p.events.notice({ level: 'info', message: 'That was too short to send.', action: 'Hold the key while you speak.', subject: 'turn' });
      }
      if (t) this.#dropTurn(t.id, 'too-short');
    } else {
      if (t) t.committed = true;
      this.#engine.commitAndRespond();
    }
    this.#emitStatus();
  }

  #openHandsFree(): void {
    if (this.#micMuted) {
      this.#message = 'Microphone is muted: unmute it to talk.';
      return;
    }
    this.#handsFreeOpen = true;
    this.#message = null;
    this.#maybeRenew();
    this.#engine.ensureConnected();
    this.#engine.updateSession(this.#config, true);
    this.#startCapture(true);
  }

  #closeHandsFree(): void {
    this.#handsFreeOpen = false;
    const c = this.#capture;
    if (c?.continuous) {
      this.#p.capture.stop(c.turnId);
      this.#capture = null;
    }
    this.#engine.updateSession(this.#config, false);
    this.#engine.clearInput();
    for (const t of this.#turns) if (!t.committed && !t.finished && t.responseIds.size === 0) this.#dropTurn(t.id, 'cancelled');
  }

  // ---------- barge-in ----------

  #bargeIn(options: { serverCancels?: boolean } = {}): void {
    const stopping = this.#p.playback.stop(); // first: silence at once
    const responseId = this.#activeResponseId;
    const cancelled = options.serverCancels ? responseId !== null : this.#engine.cancelResponse(); // at once, without waiting for the player
    if (cancelled && responseId) this.#cancelled.add(responseId);
    const playing = [...this.#play.values()].filter((i) => !i.done);
    const owner = playing[0]?.turn ?? this.#turns.find((t) => responseId != null && t.responseIds.has(responseId));
    for (const i of playing) this.#finishItem(i, false);
    if (owner) {
      owner.aborted = true;
      owner.awaitingStopReport = true;
      // A cancelled response still sends response.done (with usage); do not wait for it forever.
      this.#p.clock.setTimeout(() => {
        owner.openResponses.clear();
        owner.awaitingStopReport = false;
        this.#maybeFinish(owner);
      }, 3000);
    }
    // A text-only answer has nothing to truncate: what was shown of it stays, marked as cut.
    if (owner) for (const id of owner.assistantItemIds) if (!this.#play.has(id) && this.#transcripts.has(id)) this.#transcripts.truncate(id, 1);
    this.#bargeInSettled = stopping.then(
      (report) => this.#afterStop(report, playing, owner ?? null),
      (err: unknown) => {
        this.#p.logger.warn('playback.stop failed', { error: String(err) });
        this.#afterStop(null, playing, owner ?? null);
      },
    );
  }

  #afterStop(report: PlaybackReport | null, playing: PlayItem[], owner: ActiveTurn | null): void {
    const reported = report ? this.#play.get(report.itemId) : undefined;
    const targets = reported && !playing.includes(reported) ? [...playing, reported] : playing;
    for (const item of targets) {
      const rendered = report && report.itemId === item.itemId ? report.renderedSamples : item.rendered;
      if (report && report.itemId === item.itemId && report.firstSampleAt != null && item.turn.firstSampleAt == null) {
        item.turn.firstSampleAt = report.firstSampleAt;
      }
      const heardMs = Math.min(Math.floor(rendered / SAMPLES_PER_MS), Math.floor(item.received / SAMPLES_PER_MS));
      if (heardMs > 0) {
        this.#engine.truncate(item.itemId, heardMs);
        this.#transcripts.truncate(item.itemId, item.received > 0 ? rendered / item.received : 0);
        item.turn.truncatedAtMs = heardMs;
      } else {
        this.#engine.deleteItem(item.itemId);
        this.#transcripts.truncate(item.itemId, 0);
        item.turn.truncatedAtMs = 0;
      }
    }
    if (owner) {
      owner.awaitingStopReport = false;
      this.#maybeFinish(owner);
    }
    this.#emitStatus();
  }

  // ---------- playback ----------

  reportPlayback(report: PlaybackReport): void {
    const item = this.#play.get(report.itemId);
    if (!item) return;
    item.rendered = Math.max(item.rendered, report.renderedSamples);
    if (report.firstSampleAt != null && item.turn.firstSampleAt == null) item.turn.firstSampleAt = report.firstSampleAt;
    if (item.ended && !item.done && item.rendered >= item.received) this.#finishItem(item, true);
    this.#emitStatus();
  }

  #finishItem(item: PlayItem, naturally: boolean): void {
    if (item.done) return;
    item.done = true;
    item.estimate?.cancel();
    if (naturally) this.#maybeFinish(item.turn);
  }

  #estimateEnd(item: PlayItem): void {
    // Without a report from the player, assume real-time playback from the first delta, plus slack.
    const endsAt = item.firstAt + item.received / SAMPLES_PER_MS + 1500;
    item.estimate?.cancel();
    item.estimate = this.#p.clock.setTimeout(
      () => {
        this.#finishItem(item, true);
        this.#emitStatus();
      },
      Math.max(0, endsAt - this.#p.clock.now()),
    );
  }

  // ---------- engine events ----------

  #listener(): EngineListener {
    return {
      connection: (phase, detail) => this.#onConnection(phase, detail),
      commitWritten: (at) => {
        const t = [...this.#turns].reverse().find((x) => x.committed && x.commitAt == null && x.input.kind === 'voice');
        if (t) t.commitAt = at;
      },
      userTextWritten: (itemId, at) => {
        const t = this.#turns.find((x) => x.userItemId === itemId);
        if (t && t.commitAt == null) t.commitAt = at;
      },
      inputCommitted: (itemId) => {
        this.#transcripts.place('user', itemId);
        const t = this.#turnForCommit();
        if (t) {
          t.userItemId = itemId;
          t.committed = true;
        }
      },
      speechStarted: () => {
        if (!this.#handsFreeOpen) return;
        // With interrupt_response the server cancels its own response when the user speaks: we
        // only stop the player and truncate to what was heard.
        if (this.#assistantBusy()) this.#bargeIn({ serverCancels: true });
        const t = newTurn(randomUUID(), this.#p.clock.epochMs());
        this.#turns.push(t);
        this.#emitStatus();
      },
      speechStopped: () => {
        const t = [...this.#turns].reverse().find((x) => !x.finished && x.keyUpAt == null);
        if (t) {
          t.keyUpAt = this.#p.clock.now();
          t.keyUpEpoch = this.#p.clock.epochMs();
          t.commitAt = t.keyUpAt; // the server commits on its own in hands-free
        }
      },
      responseStarted: (responseId) => {
        this.#activeResponseId = responseId;
        let t = [...this.#turns].reverse().find((x) => !x.finished && !x.aborted && (x.committed || x.toolCalls.length > 0));
        if (!t) {
          t = newTurn(randomUUID(), this.#p.clock.epochMs());
          t.committed = true;
          this.#turns.push(t);
        }
        t.responseIds.add(responseId);
        t.openResponses.add(responseId);
        this.#emitStatus();
      },
      audio: (itemId, responseId, pcm) => this.#onAudio(itemId, responseId, pcm),
      audioDone: (itemId) => {
        const item = this.#play.get(itemId);
        if (!item || item.done) return;
        item.ended = true;
        this.#p.playback.endOfItem(itemId);
        if (item.rendered >= item.received) this.#finishItem(item, true);
        else this.#estimateEnd(item);
        this.#emitStatus();
      },
      transcriptDelta: (role, itemId, delta) => {
        if (role === 'assistant' && this.#isCancelledItem(itemId)) return;
        this.#transcripts.delta(role, itemId, delta);
      },
      transcriptDone: (role, itemId, text) => {
        if (role === 'assistant' && this.#isCancelledItem(itemId)) return;
        this.#transcripts.done(role, itemId, text);
      },
      outputText: (itemId, responseId, text, done) => {
        if (this.#cancelled.has(responseId)) return;
        const t = this.#turns.find((x) => x.responseIds.has(responseId));
        if (!t || t.aborted) return;
        if (!t.assistantItemIds.includes(itemId)) t.assistantItemIds.push(itemId);
        if (t.firstAudioAt == null) {
          // The first text of a text-only answer is what "first audio" is for a spoken one; nothing
          // is played, so the answer is "rendered" when it arrives.
          t.firstAudioAt = this.#p.clock.now();
          t.firstAudioEpoch = this.#p.clock.epochMs();
          if (t.input.replyAs === 'text') t.firstSampleAt = t.firstAudioEpoch;
        }
        if (done) this.#transcripts.done('assistant', itemId, text);
        else this.#transcripts.delta('assistant', itemId, text);
        this.#emitStatus();
      },
      functionCall: (call) => void this.#runTool(call.callId, call.name, call.argumentsJson, call.responseId),
      mcpApprovalRequest: (request) => void this.#answerMcpApproval(request),
      responseDone: (summary) => {
        if (this.#activeResponseId === summary.responseId) this.#activeResponseId = null;
        this.#cancelled.delete(summary.responseId);
        const t = this.#turns.find((x) => x.responseIds.has(summary.responseId));
        this.#sessionUsage = addUsage(this.#sessionUsage, summary.usage);
        for (const cost of this.#imageCosts.responseDone(summary.usage, summary.model)) this.#p.events.imageCost?.(cost);
        // A conversation has one response at a time: once one is done, no other can still be open. A
        // stray or replayed response.created must not keep a turn "thinking" for ever (found by fuzzing).
        const stale = this.#turns.filter((x) => x !== t && x.openResponses.size > 0);
        for (const x of this.#turns) x.openResponses.clear();
        if (!this.#engine.responseActive()) this.#activeResponseId = null;
        for (const x of stale) {
          x.finalResponseDone = true;
          this.#maybeFinish(x);
        }
        if (!t) {
          this.#emitStatus();
          return;
        }
        t.usage = addUsage(t.usage, summary.usage);
        t.pricesReadOn = summary.cost.pricesReadOn;
        if (summary.cost.usd == null) t.costUnknown = true;
        else t.costUsd += summary.cost.usd;
        t.model = summary.model;
        // No audio follows response.done: an item the server never closed with output_audio.done
        // (a stray or lost event) ends here, or the app would stay "speaking" for ever.
        for (const item of this.#play.values()) {
          if (item.turn === t && !item.ended && !item.done) {
            item.ended = true;
            this.#p.playback.endOfItem(item.itemId);
            if (item.rendered >= item.received) this.#finishItem(item, true);
            else this.#estimateEnd(item);
          }
        }
        if (!summary.hadFunctionCalls || t.aborted) t.finalResponseDone = true;
        if (summary.status === 'failed' && !t.failed) t.failed = 'The response failed on the server.';
        this.#maybeFinish(t);
        this.#emitStatus();
      },
      rateLimits: (limits) => {
        this.#rateLimits = limits;
        this.#p.logger.debug('rate limits', { limits });
      },
      error: (e) => this.#onEngineError(e),
      responseLost: (responseId) => {
        const t = this.#turns.find((x) => !x.finished && (responseId == null || x.responseIds.has(responseId)));
        if (!t) return;
        t.failed = 'The connection dropped during the reply.';
        t.openResponses.clear();
        t.finalResponseDone = true;
        this.#p.events.notice({
          level: 'warning',
          message: 'The connection dropped during the reply; that answer is incomplete.',
          action: 'Press the hotkey and ask again.',
          subject: 'turn',
          button: 'try-again',
        });
        for (const i of this.#play.values()) if (i.turn === t && !i.ended) this.#finishItem(i, false);
        // What arrived of the answer stays on screen, in the history and in the replayed context as
        // a finished line marked as cut, not as a line still being typed.
        for (const itemId of t.assistantItemIds) this.#transcripts.truncate(itemId, 1);
        this.#maybeFinish(t);
      },
    };
  }

  #isCancelledItem(itemId: string): boolean {
    const item = this.#play.get(itemId);
    return item != null && item.done && item.turn.aborted;
  }

  #turnForCommit(): ActiveTurn | undefined {
    return [...this.#turns].reverse().find((x) => !x.finished && x.userItemId == null);
  }

  #onAudio(itemId: string, responseId: string, pcm: Int16Array): void {
    if (this.#cancelled.has(responseId)) return;
    const t = this.#turns.find((x) => x.responseIds.has(responseId));
    if (!t || t.aborted) return;
    let item = this.#play.get(itemId);
    if (!item) {
      item = { itemId, turn: t, received: 0, rendered: 0, ended: false, done: false, firstAt: this.#p.clock.now(), estimate: null };
      this.#play.set(itemId, item);
      if (!t.assistantItemIds.includes(itemId)) t.assistantItemIds.push(itemId);
    }
    if (item.done) return;
    if (t.firstAudioAt == null) {
      t.firstAudioAt = this.#p.clock.now();
      t.firstAudioEpoch = this.#p.clock.epochMs();
    }
    item.received += pcm.length;
    this.#p.playback.write(itemId, pcm);
    this.#emitStatus();
  }

  #onConnection(phase: 'closed' | 'connecting' | 'open' | 'reconnecting' | 'failed', detail: { attempt?: number; reason?: string; renewed?: boolean }): void {
    const was = this.#phase;
    this.#phase = phase;
    if (phase === 'reconnecting' && was !== 'reconnecting') {
      this.#p.events.notice({ level: 'warning', message: 'Lost the connection to OpenAI; reconnecting…', subject: 'connection' });
    } else if (phase === 'open' && was === 'reconnecting') {
      this.#p.events.notice({ level: 'info', message: 'Reconnected.', subject: 'connection' });
    } else if (phase === 'open' && detail.renewed) {
      this.#p.logger.info('session renewed; context replayed', { turns: this.#history.length });
    }
    if (phase === 'failed') {
      for (const t of this.#turns) if (!t.finished) this.#failTurn(t, this.#fatal ?? 'The connection failed.');
    }
    this.#emitStatus();
  }

  #onEngineError(e: { code: string | null; message: string; causeType: string | null; benign: boolean; fatal: boolean }): void {
    if (e.benign) {
      if (e.code === 'input_audio_buffer_commit_empty') {
        const t = [...this.#turns].reverse().find((x) => x.committed && !x.finished && x.responseIds.size === 0);
        if (t) {
          this.#message = 'Hold the key while you speak.';
          this.#dropTurn(t.id, 'too-short');
        }
      }
      this.#emitStatus();
      return;
    }
    if (e.fatal) {
      const known = e.code ? FATAL_ACTIONS[e.code] : undefined;
      const message = known?.message ?? e.message;
      this.#fatal = message;
      // The key is fixed in Settings; quota and billing on OpenAI's site; anything else is worth another try.
      const fix = e.code === 'invalid_api_key' ? { subject: 'api-key' as const, button: 'open-settings' as const } : known ? { subject: 'service' as const } : { subject: 'connection' as const, button: 'try-again' as const };
      this.#p.events.notice({ level: 'error', message, action: known?.action ?? 'Check your network and press the hotkey to try again.', ...fix });
      const c = this.#capture;
      if (c) {
        c.flushTimer?.cancel();
        this.#p.capture.stop(c.turnId);
        this.#capture = null;
      }
      this.#handsFreeOpen = false;
      for (const t of this.#turns) if (!t.finished) this.#failTurn(t, message);
      this.#emitStatus();
      return;
    }
    if (e.code === 'session_expired') return; // renewal follows the close
    // A turn that waits for a response that will never come must not hang in 'thinking'.
    let failed: ActiveTurn | undefined;
    if (e.causeType === 'response.create' || e.causeType === 'input_audio_buffer.commit') {
      const t = [...this.#turns].reverse().find((x) => !x.finished && x.openResponses.size === 0 && x.pendingTools === 0);
      if (t && !this.#engine.responseActive()) failed = t;
    }
    this.#p.events.notice({
      level: 'warning',
      message: `The voice service reported: ${redact(e.message)}`,
      subject: 'service',
      ...(failed ? { button: 'try-again' as const } : {}),
    });
    if (failed) this.#failTurn(failed, redact(e.message));
    this.#emitStatus();
  }

  // ---------- tools ----------

  #onToolView(view: ToolCallView): void {
    this.#p.events.toolCall(view);
    if (view.status === 'awaiting-approval') {
      this.#message = `Waiting for your approval to run ${view.name}…`;
      this.#p.events.notice({ level: 'info', message: `Waiting for your approval to run ${view.name}.`, subject: 'approval' });
      this.#emitStatus();
    } else if (this.#message?.startsWith('Waiting for your approval')) {
      this.#message = null;
      this.#emitStatus();
    }
  }

  /**
   * A native MCP server's tool waits for approval (engine.ts mcpApprovalRequest): counted like a
   * running tool of the turn, answered through the tool host (policy, approval card), then the
   * follow-up response is asked for, as after a function call's output.
   */
  async #answerMcpApproval(request: NativeApprovalRequest & { responseId: string }): Promise<void> {
    const t = this.#turns.find((x) => x.responseIds.has(request.responseId)) ?? [...this.#turns].reverse().find((x) => !x.finished);
    if (t) t.pendingTools++;
    this.#emitStatus();
    const { responseId: _responseId, ...asked } = request;
    let answer: { approve: boolean; reason?: string };
    try {
      answer = (await this.#p.tools.approveNative?.({ ...asked, conversationId: this.#conversationId })) ?? { approve: false, reason: 'this app cannot approve MCP tools' };
    } catch (err) {
      answer = { approve: false, reason: `the approval failed (${redact(String(err))})` };
    }
    if (this.#disposed) return;
    this.#engine.answerMcpApproval?.(request.id, answer.approve, answer.reason);
    if (t) {
      t.pendingTools--;
      if (t.pendingTools === 0 && !t.aborted && !t.finished) this.#engine.requestResponse({ textOnly: t.input.replyAs === 'text' });
      this.#maybeFinish(t);
    }
    this.#emitStatus();
  }

  async #runTool(callId: string, name: string, argumentsJson: string, responseId: string): Promise<void> {
    const t = this.#turns.find((x) => x.responseIds.has(responseId)) ?? [...this.#turns].reverse().find((x) => !x.finished);
    if (t) t.pendingTools++;
    this.#emitStatus();
    let result: ToolCallResult;
    const started = this.#p.clock.now();
    try {
      result = await this.#p.tools.execute({ callId, name, argumentsJson, conversationId: this.#conversationId });
    } catch (err) {
      // ToolHost promises never to throw; if it does anyway, the model still gets an answer.
      result = { output: `Error: the tool failed (${redact(String(err))}).`, status: 'error', durationMs: this.#p.clock.now() - started };
    }
    if (this.#disposed) return;
    this.#engine.submitToolOutput(callId, result.output);
    if (result.image && t && !t.aborted && !t.finished) {
      // A function_call_output carries text only (RealtimeConversationItemFunctionCallOutput in
      // openai/resources/realtime/realtime.d.ts): the picture goes in as a user image message right
      // after it, and the one follow-up response below reads both.
      const { dataUrl, detail, about } = result.image;
      const image = { dataUrl, detail };
      this.#noteImage({ image, label: about?.label ?? name, width: about?.width ?? 0, height: about?.height ?? 0, estimatedTokens: about?.estimatedTokens ?? 0 }, t.id);
      this.#engine.sendUserImage(textItemId(), image, null, { respond: false });
    }
    if (t) {
      t.toolCalls.push({ callId, name, arguments: argumentsJson, output: result.output, status: result.status, durationMs: result.durationMs });
      t.pendingTools--;
      if (t.pendingTools === 0 && !t.aborted && !t.finished) this.#engine.requestResponse({ textOnly: t.input.replyAs === 'text' });
      this.#maybeFinish(t);
    }
    this.#emitStatus();
  }

  // ---------- turn completion ----------

  #turnById(id: string): ActiveTurn | undefined {
    return this.#turns.find((t) => t.id === id);
  }

  #dropTurn(id: string, outcome: 'too-short' | 'cancelled'): void {
    const t = this.#turnById(id);
    if (!t || t.finished) return;
    t.finished = true;
    this.#turns = this.#turns.filter((x) => x !== t);
    const record = this.#record(t, outcome, null, t.model ?? this.#engine.describeModel());
    this.#log.push(record);
    this.#p.events.turnEnded?.(record);
  }

  #failTurn(t: ActiveTurn, reason: string): void {
    t.failed = reason;
    t.openResponses.clear();
    t.pendingTools = 0;
    t.finalResponseDone = true;
    for (const i of this.#play.values()) if (i.turn === t && !i.done) this.#finishItem(i, false);
    this.#maybeFinish(t);
  }

  #maybeFinish(t: ActiveTurn): void {
    if (t.finished) return;
    const playing = [...this.#play.values()].some((i) => i.turn === t && !i.done);
    const ready = t.failed != null || (!t.awaitingStopReport && t.openResponses.size === 0 && t.pendingTools === 0 && (t.finalResponseDone || t.aborted) && !playing);
    if (!ready) return;
    t.finished = true;
    this.#turns = this.#turns.filter((x) => x !== t);
    for (const [id, i] of this.#play) if (i.turn === t) this.#play.delete(id);
    const model = t.model ?? this.#engine.describeModel();
    const cost = { usd: t.costUnknown ? null : t.costUsd };
    if (cost.usd != null) this.#sessionCost += cost.usd;
    else if (!this.#costUnknownWarned) {
      this.#costUnknownWarned = true;
      this.#p.events.notice({
        level: 'warning',
        message: `Cost unknown: no price for ${model} in the price table (read ${t.pricesReadOn ?? PRICES_READ_ON}).`,
        subject: 'cost',
      });
    }
    const outcome = t.failed ? 'failed' : t.aborted ? 'interrupted' : 'completed';
    const record = this.#record(t, outcome, cost.usd, model);
    this.#log.push(record);
    // The text history a renewed session replays: what was said and what was heard.
    if (!t.failed) {
      if (record.userText) this.#history.push({ role: 'user', text: record.userText });
      if (record.assistantText) this.#history.push({ role: 'assistant', text: record.assistantText });
      this.#engine.setHistory(this.#history);
    }
    this.#p.events.turnMetrics({
      conversationId: this.#conversationId,
      turnId: t.id,
      model,
      engine: this.#engine.kind,
      latency: record.latency,
      usage: t.usage,
      costUsd: cost.usd ?? 0,
      sessionCostUsd: this.#sessionCost,
      ...(cost.usd == null ? { costUnknown: true } : {}),
    });
    this.#p.events.turnEnded?.(record);
    this.#emitStatus();
  }

  #record(t: ActiveTurn, outcome: TurnRecord['outcome'], costUsd: number | null, model: string): TurnRecord {
    return {
      turnId: t.id,
      conversationId: this.#conversationId,
      startedAtEpochMs: t.startedAtEpochMs,
      input: t.input,
      userItemId: t.userItemId,
      userText: t.userItemId ? this.#transcripts.text(t.userItemId) : '',
      assistantItemIds: t.assistantItemIds.slice(),
      assistantText: t.assistantItemIds.map((id) => this.#transcripts.text(id)).filter(Boolean).join(' '),
      toolCalls: t.toolCalls.slice(),
      truncatedAtMs: t.truncatedAtMs,
      usage: t.usage,
      costUsd,
      engine: this.#engine.kind,
      model,
      latency: latencyOf(t),
      outcome,
      error: t.failed,
    };
  }

  turnLog(): TurnRecord[] {
    // User transcription can complete after the turn ended: read the latest text.
    return this.#log.map((r) => ({ ...r, userText: r.userItemId ? this.#transcripts.text(r.userItemId) || r.userText : r.userText }));
  }

  sessionCostUsd(): number {
    return this.#sessionCost;
  }

  rateLimits(): RateLimit[] {
    return this.#rateLimits.slice();
  }

  // ---------- connection life ----------

  #cancelIdle(): void {
    this.#keepWarm?.cancel();
    this.#keepWarm = null;
    this.#micWarm?.cancel();
    this.#micWarm = null;
  }

  #scheduleIdle(): void {
    if (this.#disposed || this.#handsFreeOpen) return;
    this.#cancelIdle();
    this.#micWarm = this.#p.clock.setTimeout(() => {
      if (this.#state() === 'idle') this.#p.capture.release();
    }, this.#config.micWarmMs);
    this.#keepWarm = this.#p.clock.setTimeout(() => {
      if (this.#state() === 'idle' && this.#engine.isOpen()) this.#engine.closeIdle();
    }, this.#config.keepWarmMs);
  }

  newConversation(): void {
    this.#startOver(randomUUID(), []);
  }

  resumeConversation(conversationId: string, history: HistoryEntry[]): void {
    this.#startOver(conversationId, history);
    // The next session starts with the earlier turns as items (the Realtime engine connects now and
    // replays them; the HTTP engines send them with the next request).
    this.#engine.renew(this.#history);
    this.#emitStatus();
  }

  #startOver(conversationId: string, history: HistoryEntry[]): void {
    if (this.#assistantBusy()) this.#bargeIn();
    if (this.#handsFreeOpen) this.#closeHandsFree();
    const c = this.#capture;
    if (c) {
      c.flushTimer?.cancel();
      this.#p.capture.stop(c.turnId);
      this.#capture = null;
    }
    for (const t of this.#turns) if (!t.finished) this.#dropTurn(t.id, 'cancelled');
    this.#engine.closeIdle();
    this.#engine.reset();
    this.#history = history.slice();
    this.#engine.setHistory(this.#history);
    this.#imageCosts.reset();
    this.#transcripts.reset();
    this.#play.clear();
    this.#log = [];
    this.#sessionUsage = emptyUsage();
    this.#sessionCost = 0;
    this.#conversationId = conversationId;
    this.#message = null;
    this.#fatal = null;
    this.#emitStatus();
  }

  refreshTools(): void {
    if (!this.#disposed) this.#engine.updateSession(this.#config, this.#handsFreeOpen);
  }

  updateConfig(patch: Partial<VoiceConfig>): { appliedLive: string[]; nextSession: string[] } {
    const next = VoiceConfigSchema.parse({ ...this.#config, ...patch });
    const changed = (Object.keys(patch) as (keyof VoiceConfig)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(this.#config[k]),
    );
    const appliedLive: string[] = [];
    const nextSession: string[] = [];
    const audioProduced = this.#engine.audioProduced();
    let sendUpdate = false;
    for (const k of changed) {
      if (k === 'model') nextSession.push(k);
      else if (k === 'engine' || k === 'cascaded' || k === 'chatAudio') appliedLive.push(k); // the engine swaps once idle; HTTP stages read config per request
      else if (k === 'voice') {
        if (audioProduced) nextSession.push(k);
        else {
          appliedLive.push(k);
          sendUpdate = true;
        }
      } else if ((LIVE_SESSION_KEYS as readonly string[]).includes(k)) {
        appliedLive.push(k);
        sendUpdate = true;
      } else if ((LOCAL_KEYS as readonly string[]).includes(k)) appliedLive.push(k);
    }
    if (changed.includes('turnMode') && this.#handsFreeOpen && next.turnMode !== 'hands-free') this.#closeHandsFree();
    this.#config = next;
    if (sendUpdate) this.#engine.updateSession(next, this.#handsFreeOpen);
    if (changed.includes('engine')) this.#swapEngineWhenIdle();
    this.#emitStatus();
    return { appliedLive, nextSession };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cancelIdle();
    this.#unsubscribe();
    const c = this.#capture;
    if (c) {
      c.flushTimer?.cancel();
      this.#p.capture.stop(c.turnId);
    }
    for (const i of this.#play.values()) i.estimate?.cancel();
    this.#p.capture.release();
    await this.#engine.close();
  }
}

/** A client-chosen id for a typed item, so its bubble is placed before the server answers (≤ 32 characters). */
function textItemId(): string {
  return `msg_es${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
