/**
 * What happens after a turn once the session is idle (docs/architecture.md, "One push-to-talk turn",
 * step 5): the microphone stays open for micWarmMs so the next first syllable is not lost, and the
 * connection for keepWarmMs; each is let go only if the session is still idle then.
 */
import type { Clock } from '../base/clock.ts';
import type { VoiceConfig } from './config.ts';

export interface IdleTimersDeps {
  clock: Clock;
  config(): VoiceConfig;
  isIdle(): boolean;
  /** Let the microphone go. */
  releaseMic(): void;
  /** Close the connection if it is open. */
  closeConnection(): void;
}

export class IdleTimers {
  #d: IdleTimersDeps;
  #micWarm: { cancel(): void } | null = null;
  #keepWarm: { cancel(): void } | null = null;

  constructor(deps: IdleTimersDeps) {
    this.#d = deps;
  }

  /** The session just became idle: (re)start both timers. */
  schedule(): void {
    const { clock, config, isIdle } = this.#d;
    this.cancel();
    this.#micWarm = clock.setTimeout(() => {
      if (isIdle()) this.#d.releaseMic();
    }, config().micWarmMs);
    this.#keepWarm = clock.setTimeout(() => {
      if (isIdle()) this.#d.closeConnection();
    }, config().keepWarmMs);
  }

  /** Something started: keep the microphone and the connection. */
  cancel(): void {
    this.#keepWarm?.cancel();
    this.#keepWarm = null;
    this.#micWarm?.cancel();
    this.#micWarm = null;
  }
}
