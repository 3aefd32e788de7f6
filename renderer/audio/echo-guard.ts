/**
 * Keeps the assistant from hearing itself on speakers (see ECHO.md for the measurements behind it).
 *
 * - 'browser-aec': rely on Chromium's echo canceller (the capture constraint echoCancellation).
 * - 'duck': while a turn is being captured and the microphone is clearly louder than the echo we
 *   expect from the playback, lower the playback (−14 dB) so the user's voice dominates; restore
 *   it after a short hold.
 * - 'none': do nothing (headphones).
 */
import type { Level } from './level-meter.ts';

export type EchoStrategy = 'browser-aec' | 'duck' | 'none';

export interface EchoGuardTuning {
  /** Playback gain while ducked (0.2 ≈ −14 dB). */
  duckGain: number;
  /** Input RMS that counts as speech at all (0.02 ≈ −34 dBFS). */
  speechRms: number;
  /** Input must exceed the playback RMS times this to count as the user rather than echo. */
  overEchoRatio: number;
  /** Level windows (33 ms each) to stay ducked after the last speech window. */
  holdWindows: number;
}

export const DEFAULT_ECHO_TUNING: EchoGuardTuning = { duckGain: 0.2, speechRms: 0.02, overEchoRatio: 1.5, holdWindows: 12 };

export class EchoGuard {
  private capturing = false;
  private ducked = false;
  private hold = 0;
  private readonly strategy: EchoStrategy;
  private readonly setGain: (gain: number) => void;
  private readonly tuning: EchoGuardTuning;

  constructor(strategy: EchoStrategy, setGain: (gain: number) => void, tuning: EchoGuardTuning = DEFAULT_ECHO_TUNING) {
    this.strategy = strategy;
    this.setGain = setGain;
    this.tuning = tuning;
  }

  get isDucked(): boolean {
    return this.ducked;
  }

  setCapturing(capturing: boolean): void {
    this.capturing = capturing;
    if (!capturing) this.apply(false);
  }

  /** Feeds one level window of the microphone and of the playback. */
  onInputLevel(input: Level, output: Level): void {
    if (this.strategy !== 'duck' || !this.capturing) return;
    const playing = output.rms > 0;
    // output is the player's level before the duck gain, so it does not drop while ducked.
    const speaking = playing && input.rms >= this.tuning.speechRms && input.rms >= output.rms * this.tuning.overEchoRatio;
    if (speaking) {
      this.hold = this.tuning.holdWindows;
      this.apply(true);
    } else if (this.ducked && --this.hold <= 0) {
      this.apply(false);
    }
  }

  private apply(ducked: boolean): void {
    if (ducked === this.ducked) return;
    this.ducked = ducked;
    this.setGain(ducked ? this.tuning.duckGain : 1);
  }
}
