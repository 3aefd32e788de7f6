/**
 * The microphone as the session sees it: one push-to-talk capture at a time (start, key up, wait for
 * the renderer's last frame, then commit or clear), the open microphone of hands-free mode, and mute.
 * DESIGN §2 "One push-to-talk turn", steps 1–3.
 */
import { randomUUID } from 'node:crypto';
import type { Notice } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import type { VoiceConfig } from './config.ts';
import type { VoiceEngine } from './engine/engine.ts';
import type { CapturePort } from './ports.ts';
import type { StatusLine } from './session-api.ts';
import type { TurnLedger } from './session-turns.ts';
import { SAMPLES_PER_MS } from './audio/pcm.ts';
import { newTurn } from './turn.ts';

/** Turns shorter than this are cleared, not committed (the service rejects < 100 ms). */
export const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;

/** The capture running now. */
export interface Capture {
  turnId: string;
  samples: number;
  stopping: boolean;
  expected: number | null;
  flushTimer: { cancel(): void } | null;
  continuous: boolean;
  /** The press that opened this capture also cut the assistant off: a quick tap only meant "stop". */
  interrupted: boolean;
}

export interface MicDeps {
  port: CapturePort;
  clock: Clock;
  config(): VoiceConfig;
  engine(): VoiceEngine;
  ledger: Pick<TurnLedger, 'add' | 'byId' | 'drop' | 'cancelUnfinished'>;
  status: StatusLine;
  notice(notice: Notice): void;
  /** Renew the engine's session if it is old, and connect it (before any audio is sent). */
  connect(): void;
  changed(): void;
}

const MUTED = 'Microphone is muted: unmute it to talk.';
const TOO_SHORT = 'Hold the key while you speak.';

export class Mic {
  #d: MicDeps;
  #capture: Capture | null = null;
  #muted = false;
  #handsFreeOpen = false;

  constructor(deps: MicDeps) {
    this.#d = deps;
  }

  get capture(): Readonly<Capture> | null {
    return this.#capture;
  }

  get muted(): boolean {
    return this.#muted;
  }

  get handsFreeOpen(): boolean {
    return this.#handsFreeOpen;
  }

  /** A push-to-talk capture is being recorded (not yet on its way to the model). */
  recording(): boolean {
    return this.#capture != null && !this.#capture.stopping && !this.#capture.continuous;
  }

  /** The press that started the current push-to-talk capture also cut the assistant off. */
  markInterrupted(): void {
    if (this.#capture && !this.#capture.continuous) this.#capture.interrupted = true;
  }

  /** A push-to-talk turn starts: the engine connects and the renderer starts capturing. */
  startTurn(): void {
    if (this.#muted) {
      this.#d.status.set(MUTED);
      this.#d.notice({ level: 'warning', message: 'The microphone is muted.', action: 'Unmute it from the tray menu.', subject: 'microphone' });
      return;
    }
    this.#d.status.set(null);
    this.#d.connect();
    const c = this.#start(false);
    this.#d.ledger.add(newTurn(c.turnId, this.#d.clock.epochMs()));
  }

  /** Key up (or second press): the renderer flushes its last frame; wait for it, at most flushTimeoutMs. */
  endTurn(): void {
    const c = this.#capture;
    if (!c || c.stopping) return;
    const { clock } = this.#d;
    c.stopping = true;
    const t = this.#d.ledger.byId(c.turnId);
    if (t) {
      t.keyUpAt = clock.now();
      t.keyUpEpoch = clock.epochMs();
    }
    this.#d.port.stop(c.turnId);
    c.flushTimer = clock.setTimeout(() => this.#finish(c), this.#d.config().flushTimeoutMs);
  }

  push(turnId: string, pcm: Int16Array): void {
    const c = this.#capture;
    if (!c || c.turnId !== turnId || this.#muted) return;
    c.samples += pcm.length;
    this.#d.engine().appendAudio(pcm);
    if (c.stopping && c.expected != null && c.samples >= c.expected) this.#finish(c);
  }

  flushed(turnId: string, totalSamples: number): void {
    const c = this.#capture;
    if (!c || c.turnId !== turnId) return;
    c.expected = totalSamples;
    if (c.stopping && c.samples >= totalSamples) this.#finish(c);
  }

  openHandsFree(): void {
    if (this.#muted) {
      this.#d.status.set(MUTED);
      return;
    }
    this.#handsFreeOpen = true;
    this.#d.status.set(null);
    this.#d.connect();
    this.#d.engine().updateSession(this.#d.config(), true);
    this.#start(true);
  }

  closeHandsFree(): void {
    this.#handsFreeOpen = false;
    const c = this.#capture;
    if (c?.continuous) {
      this.#d.port.stop(c.turnId);
      this.#capture = null;
    }
    const engine = this.#d.engine();
    engine.updateSession(this.#d.config(), false);
    engine.clearInput();
    this.#d.ledger.cancelUnfinished((t) => !t.committed && t.responseIds.size === 0);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    const c = this.#capture;
    if (muted && c) {
      this.#d.port.stop(c.turnId);
      c.flushTimer?.cancel();
      this.#capture = null;
      if (!c.continuous) {
        this.#d.engine().clearInput();
        this.#d.ledger.drop(c.turnId, 'cancelled');
      }
      this.#d.status.set('Microphone muted.');
    } else if (!muted && this.#handsFreeOpen && !this.#capture) {
      this.#start(true);
      this.#d.status.set(null);
    } else if (!muted) {
      this.#d.status.set(null);
    }
  }

  /** Stop capturing now, whatever it was for (a new conversation). */
  stop(): void {
    const c = this.#capture;
    if (!c) return;
    c.flushTimer?.cancel();
    this.#d.port.stop(c.turnId);
    this.#capture = null;
  }

  /** A fatal error: stop capturing and consider hands-free closed (the engine is not told). */
  halt(): void {
    this.stop();
    this.#handsFreeOpen = false;
  }

  dispose(): void {
    const c = this.#capture;
    if (c) {
      c.flushTimer?.cancel();
      this.#d.port.stop(c.turnId);
    }
  }

  #start(continuous: boolean): Capture {
    const turnId = randomUUID();
    const c: Capture = { turnId, samples: 0, stopping: false, expected: null, flushTimer: null, continuous, interrupted: false };
    this.#capture = c;
    this.#d.port.start(turnId);
    return c;
  }

  /** All of the turn's audio is in (or the wait is over): commit it, or clear it when too short. */
  #finish(c: Capture): void {
    if (this.#capture !== c) return;
    c.flushTimer?.cancel();
    this.#capture = null;
    const { ledger } = this.#d;
    const engine = this.#d.engine();
    const t = ledger.byId(c.turnId);
    if (c.samples < MIN_TURN_SAMPLES) {
      engine.clearInput();
      // A tap that interrupted the assistant was a "stop", not a failed question: no hint for it.
      if (!c.interrupted) {
        this.#d.status.set(TOO_SHORT);
        this.#d.notice({ level: 'info', message: 'That was too short to send.', action: TOO_SHORT, subject: 'turn' });
      }
      if (t) ledger.drop(t.id, 'too-short');
    } else {
      if (t) t.committed = true;
      engine.commitAndRespond();
    }
    this.#d.changed();
  }
}
