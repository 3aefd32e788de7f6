/**
 * The voice session: the coordinator of one conversation with one VoiceEngine. It owns the hotkey and
 * the turn modes, typed turns, the derived state, the engine (and switching it) and the life of the
 * conversation; the rest is done in rooms it wires together through small interfaces:
 *
 *   session-engine.ts         the engine now: built, renewed when old, replaced by another
 *   session-mic.ts            push-to-talk capture, the hands-free microphone, mute
 *   session-playback.ts       what the player is doing with each assistant item; how much was heard
 *   session-barge-in.ts       cutting the assistant off and truncating to what was heard
 *   session-turns.ts          the turns in flight, how each ends, records, cost and metrics, history
 *   session-engine-events.ts  what each engine event means for the turns
 *   session-typed.ts          turns typed or shown (a picture) rather than spoken
 *   session-tools.ts          tool calls, MCP approvals, tool pictures
 *   session-connection.ts     connection phase, fatal and other engine errors
 *   session-idle.ts           letting the microphone and the connection go once idle
 *   session-config-change.ts  which setting changes apply live
 *
 * State is derived, not stored: error > reconnecting > listening/connecting (capturing) > speaking
 * (playback running) > thinking (turn waiting for the model or a tool) > listening (hands-free open) > idle.
 */
import { randomUUID } from 'node:crypto';
import type { Notice, PlaybackReport, SessionState, Status, TurnMode } from '../../preload/contract.ts';
import { VoiceConfigSchema } from './config.ts';
import type { VoiceConfig } from './config.ts';
import type { HistoryEntry, RateLimit, VoiceEngine } from './engine/engine.ts';
import { TranscriptAssembler } from './transcripts.ts';
import type { TurnInput, TurnRecord } from './turn.ts';
import type { SendTextResult, ShownImage, StatusLine, VoiceSession, VoiceSessionPorts } from './session-api.ts';
import { bargeIn } from './session-barge-in.ts';
import type { BargeInDeps, BargeInOptions } from './session-barge-in.ts';
import { planConfigChange } from './session-config-change.ts';
import { ConnectionWatch } from './session-connection.ts';
import { EngineSlot } from './session-engine.ts';
import { engineListener } from './session-engine-events.ts';
import { IdleTimers } from './session-idle.ts';
import { Mic } from './session-mic.ts';
import { PlaybackTracker } from './session-playback.ts';
import { ToolRunner } from './session-tools.ts';
import { TurnLedger } from './session-turns.ts';
import { TypedTurns } from './session-typed.ts';

export type { SendTextResult, ShownImage, VoiceSession, VoiceSessionPorts } from './session-api.ts';
export { MIN_TURN_SAMPLES } from './session-mic.ts';

export function createVoiceSession(initial: VoiceConfig, ports: VoiceSessionPorts): VoiceSession {
  return new Session(initial, ports);
}

class Session implements VoiceSession {
  #config: VoiceConfig;
  #p: VoiceSessionPorts;
  #slot: EngineSlot;
  #conversationId: string = randomUUID();
  #message: string | null = null;
  #extras: Pick<Status, 'apiKey' | 'holdAvailable'> = { apiKey: 'set', holdAvailable: true };
  #lastStatus = '';
  #rateLimits: RateLimit[] = [];
  #disposed = false;
  /** Settles when the last barge-in has sent its truncate (or delete): a typed turn waits for it. */
  #bargeInSettled: Promise<void> = Promise.resolve();
  #unsubscribe: () => void;
  #transcripts: TranscriptAssembler;
  #playback: PlaybackTracker;
  #ledger: TurnLedger;
  #mic: Mic;
  #tools: ToolRunner;
  #connection: ConnectionWatch;
  #idle: IdleTimers;
  #bargeInDeps: BargeInDeps;
  #typed: TypedTurns;

  constructor(config: VoiceConfig, ports: VoiceSessionPorts) {
    this.#config = VoiceConfigSchema.parse(config);
    this.#p = ports;
    const { clock, events, logger } = ports;
    const engine = (): VoiceEngine => this.#engine;
    const changed = (): void => this.#emitStatus();
    const conversationId = (): string => this.#conversationId;
    const status: StatusLine = {
      get: () => this.#message,
      set: (m) => {
        this.#message = m;
      },
    };
    const notice = (n: Notice): void => events.notice(n);
    this.#transcripts = new TranscriptAssembler((t) => events.transcript(t), conversationId);
    const transcripts = this.#transcripts;
    this.#playback = new PlaybackTracker({ clock, player: ports.playback, itemFinished: (t) => this.#ledger.maybeFinish(t), changed });
    const playback = this.#playback;
    this.#ledger = new TurnLedger({ events, engine, transcripts, playback, conversationId, epochMs: () => clock.epochMs(), changed });
    const ledger = this.#ledger;
    this.#mic = new Mic({ port: ports.capture, clock, config: () => this.#config, engine, ledger, status, notice, connect: () => this.#slot.connect(), changed });
    this.#tools = new ToolRunner({ tools: ports.tools, clock, events, engine, ledger, status, conversationId, disposed: () => this.#disposed, changed });
    this.#connection = new ConnectionWatch({ logger, notice, engine, ledger, status, haltMic: () => this.#mic.halt(), changed });
    this.#bargeInDeps = { player: ports.playback, playback, engine, ledger, transcripts, clock, logger, changed };
    this.#idle = new IdleTimers({
      clock,
      config: () => this.#config,
      isIdle: () => this.#state() === 'idle',
      releaseMic: () => ports.capture.release(),
      closeConnection: () => {
        if (this.#engine.isOpen()) this.#engine.closeIdle();
      },
    });
    const listener = engineListener({
      clock,
      ledger,
      playback,
      transcripts,
      tools: this.#tools,
      notice,
      session: {
        connection: (phase, detail) => this.#connection.onConnection(phase, detail),
        error: (e) => this.#connection.onError(e),
        rateLimits: (limits) => {
          this.#rateLimits = limits;
          logger.debug('rate limits', { limits });
        },
        handsFreeOpen: () => this.#mic.handsFreeOpen,
        assistantBusy: () => this.#assistantBusy(),
        bargeIn: (options) => this.#bargeIn(options),
        changed,
      },
    });
    this.#slot = new EngineSlot({
      ports,
      config: () => this.#config,
      handsFreeOpen: () => this.#mic.handsFreeOpen,
      history: () => ledger.history,
      listener,
      replaced: () => this.#connection.engineReplaced(),
    });
    this.#typed = new TypedTurns({
      clock,
      engine,
      ledger,
      transcripts,
      disposed: () => this.#disposed,
      admit: () => this.#admitTyped(),
      bargeInSettled: () => this.#bargeInSettled,
      connect: () => this.#slot.connect(),
      changed,
    });
    this.#unsubscribe = ports.tools.onCallUpdate((view) => this.#tools.onView(view));
  }

  /** The engine now (another once the user picks one and nothing is running). */
  get #engine(): VoiceEngine {
    return this.#slot.current;
  }

  /**
   * Another engine was chosen: once nothing is running, the old one closes and the new one takes over
   * the same conversation (its text history is replayed like after a renewal).
   */
  #swapEngineWhenIdle(): void {
    if (!this.#slot.outdated() || this.#disposed) return;
    // Nothing running: no turn, nothing playing or being answered, no push-to-talk capture (an open
    // hands-free microphone between turns is fine: it moves to the new engine).
    const capture = this.#mic.capture;
    if (this.#ledger.some((t) => !t.finished) || this.#assistantBusy() || (capture && !capture.continuous)) return;
    this.#slot.replace();
  }

  // ---------- status ----------

  #state(): SessionState {
    const phase = this.#connection.phase;
    const capture = this.#mic.capture;
    if (this.#connection.fatal) return 'error';
    if (phase === 'reconnecting') return 'reconnecting';
    if (this.#mic.recording()) return this.#engine.isOpen() ? 'listening' : 'connecting';
    if (this.#playback.busy()) return 'speaking';
    if (this.#ledger.some((t) => !t.finished && !t.aborted && (t.committed || t.pendingTools > 0))) return 'thinking';
    if (capture?.stopping) return 'thinking';
    if (this.#mic.handsFreeOpen) return this.#engine.isOpen() ? 'listening' : 'connecting';
    if (phase === 'connecting' && this.#ledger.some((t) => !t.finished)) return 'connecting';
    return 'idle';
  }

  status(): Status {
    return {
      state: this.#state(),
      turnMode: this.#config.turnMode,
      micMuted: this.#mic.muted,
      message: this.#connection.fatal ?? this.#message,
      ...this.#extras,
    };
  }

  #emitStatus(): void {
    if (this.#slot.outdated()) this.#swapEngineWhenIdle();
    const s = this.status();
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.#p.events.status(s);
    if (s.state === 'idle' && !this.#disposed && !this.#mic.handsFreeOpen) this.#idle.schedule();
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
    this.#idle.cancel();
    // After an error, a press asks to try again: clear it and let the engine reconnect.
    this.#connection.clearFatal();
    const busy = this.#assistantBusy();
    if (busy) this.#bargeIn();
    const mode = this.#config.turnMode;
    const capture = this.#mic.capture;
    if (mode === 'hands-free') {
      if (!this.#mic.handsFreeOpen) this.#mic.openHandsFree();
      else if (!busy) this.#mic.closeHandsFree();
    } else if (mode === 'toggle') {
      if (capture && !capture.stopping) this.#mic.endTurn();
      else this.#mic.startTurn();
    } else if (!capture || capture.stopping) {
      this.#mic.startTurn();
    }
    if (busy) this.#mic.markInterrupted();
    this.#emitStatus();
  }

  hotkeyUp(): void {
    if (this.#config.turnMode === 'hold' && this.#mic.recording()) {
      this.#mic.endTurn();
      this.#emitStatus();
    }
  }

  sendText(text: string, replyAs: TurnInput['replyAs']): SendTextResult {
    return this.#typed.sendText(text, replyAs);
  }

  sendImage(shown: ShownImage, text: string | null, replyAs: TurnInput['replyAs']): SendTextResult {
    return this.#typed.sendImage(shown, text, replyAs);
  }

  /** Whether a typed turn may start now; if so, like a press it clears an error and cuts the assistant off. */
  #admitTyped(): SendTextResult | null {
    if (this.#disposed) return { sent: false, reason: 'Earshot is shutting down.' };
    if (this.#mic.capture && !this.#mic.capture.continuous) {
      // A spoken turn is being recorded or sent: a typed item now would land before its audio.
      return { sent: false, reason: 'Finish speaking first: your spoken question is still being recorded or sent.' };
    }
    this.#idle.cancel();
    this.#connection.clearFatal();
    this.#message = null;
    if (this.#assistantBusy()) this.#bargeIn();
    return null;
  }

  stopSpeaking(): void {
    if (this.#assistantBusy()) this.#bargeIn();
    this.#emitStatus();
  }

  setTurnMode(mode: TurnMode): void {
    if (mode === this.#config.turnMode) return;
    if (this.#mic.handsFreeOpen) this.#mic.closeHandsFree();
    this.#config = { ...this.#config, turnMode: mode };
    this.#emitStatus();
  }

  setMicMuted(muted: boolean): void {
    this.#mic.setMuted(muted);
    this.#emitStatus();
  }

  pushCapture(turnId: string, pcm: Int16Array): void {
    this.#mic.push(turnId, pcm);
  }

  captureFlushed(turnId: string, totalSamples: number): void {
    this.#mic.flushed(turnId, totalSamples);
  }

  reportPlayback(report: PlaybackReport): void {
    this.#playback.report(report);
  }

  #assistantBusy(): boolean {
    return this.#playback.busy() || this.#engine.responseActive();
  }

  #bargeIn(options: BargeInOptions = {}): void {
    this.#bargeInSettled = bargeIn(this.#bargeInDeps, options);
  }

  // ---------- the conversation ----------

  turnLog(): TurnRecord[] {
    return this.#ledger.turnLog();
  }

  sessionCostUsd(): number {
    return this.#ledger.sessionCostUsd();
  }

  rateLimits(): RateLimit[] {
    return this.#rateLimits.slice();
  }

  newConversation(): void {
    this.#startOver(randomUUID(), []);
  }

  resumeConversation(conversationId: string, history: HistoryEntry[]): void {
    this.#startOver(conversationId, history);
    // The next session starts with the earlier turns as items (the Realtime engine connects now and
    // replays them; the HTTP engines send them with the next request).
    this.#engine.renew(this.#ledger.history);
    this.#emitStatus();
  }

  #startOver(conversationId: string, history: HistoryEntry[]): void {
    if (this.#assistantBusy()) this.#bargeIn();
    if (this.#mic.handsFreeOpen) this.#mic.closeHandsFree();
    this.#mic.stop();
    this.#ledger.cancelUnfinished();
    this.#engine.closeIdle();
    this.#engine.reset();
    this.#ledger.reset(history);
    this.#transcripts.reset();
    this.#playback.clear();
    this.#conversationId = conversationId;
    this.#message = null;
    this.#connection.clearFatal();
    this.#emitStatus();
  }

  refreshTools(): void {
    if (!this.#disposed) this.#engine.updateSession(this.#config, this.#mic.handsFreeOpen);
  }

  updateConfig(patch: Partial<VoiceConfig>): { appliedLive: string[]; nextSession: string[] } {
    const { next, changed, appliedLive, nextSession, sendUpdate } = planConfigChange(this.#config, patch, () => this.#engine.audioProduced());
    if (changed.includes('turnMode') && this.#mic.handsFreeOpen && next.turnMode !== 'hands-free') this.#mic.closeHandsFree();
    this.#config = next;
    if (sendUpdate) this.#engine.updateSession(next, this.#mic.handsFreeOpen);
    if (changed.includes('engine')) this.#swapEngineWhenIdle();
    this.#emitStatus();
    return { appliedLive, nextSession };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#idle.cancel();
    this.#unsubscribe();
    this.#mic.dispose();
    this.#playback.dispose();
    this.#p.capture.release();
    await this.#engine.close();
  }
}
