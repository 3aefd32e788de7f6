/**
 * Onboarding's hotkey check. While it is active, a press of the global hotkey is reported to the
 * window instead of starting a turn: checking that the key works must not open a paid Realtime
 * session (issue 12). It ends when the window closes the step, or on its own after `limitMs`, so
 * a window that went away cannot leave the hotkey dead.
 *
 * Only a press that finds the session idle (or in error) is taken: a turn already going on keeps
 * its key-up, and a press during an answer still stops it. A release is taken only when its press
 * was, so a key held across the start or end of the check never strands a turn.
 */
import type { Clock } from '../base/clock.ts';

export const HOTKEY_CHECK_LIMIT_MS = 60_000;

export type HotkeyCheckPhase = 'down' | 'up' | 'ended';

export interface HotkeyCheckOptions {
  clock: Clock;
  /** The window hears about each press, release and the end of the check. */
  report: (phase: HotkeyCheckPhase) => void;
  limitMs?: number;
}

export class HotkeyCheck {
  readonly #clock: Clock;
  readonly #report: (phase: HotkeyCheckPhase) => void;
  readonly #limitMs: number;
  #timer: { cancel(): void } | null = null;
  #endsAt: number | null = null;
  #pressTaken = false;

  constructor(options: HotkeyCheckOptions) {
    this.#clock = options.clock;
    this.#report = options.report;
    this.#limitMs = options.limitMs ?? HOTKEY_CHECK_LIMIT_MS;
  }

  get active(): boolean {
    return this.#timer !== null;
  }

  /** Epoch ms when the check ends on its own, or null when it is not active. */
  get endsAt(): number | null {
    return this.#endsAt;
  }

  /** Starts (or restarts, for another full minute) or ends the check. */
  set(active: boolean): void {
    if (!active) {
      this.#end();
      return;
    }
    this.#timer?.cancel();
    this.#endsAt = this.#clock.epochMs() + this.#limitMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#end();
    }, this.#limitMs);
  }

  /** A key-down: true when the check took it (no turn may start from it). */
  takeDown(sessionIdle: boolean): boolean {
    if (!this.active || !sessionIdle) return false;
    this.#pressTaken = true;
    this.#report('down');
    return true;
  }

  /** A key-up: true when its press was taken by the check. */
  takeUp(): boolean {
    if (!this.#pressTaken) return false;
    this.#pressTaken = false;
    this.#report('up');
    return true;
  }

  dispose(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#endsAt = null;
  }

  #end(): void {
    const wasActive = this.#endsAt !== null;
    this.#timer?.cancel();
    this.#timer = null;
    this.#endsAt = null;
    if (wasActive) this.#report('ended');
  }
}
