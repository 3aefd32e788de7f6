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
  /** Level windows (32 ms each) to stay ducked after the last speech window. */
  holdWindows: number;
  /**
   * Level windows the echo lags behind the playback (output buffer + OS + input buffer): the
   * microphone is compared with the loudest playback window of this span, so the tail of the
   * assistant's last word, still arriving at the microphone, is not taken for the user.
   * Measured through a PulseAudio loopback: ~75 ms after the first sample is rendered (ECHO.md).
   */
  echoTailWindows: number;
}

export const DEFAULT_ECHO_TUNING: EchoGuardTuning = { duckGain: 0.2, speechRms: 0.02, overEchoRatio: 1.5, holdWindows: 12, echoTailWindows: 10 };

export class EchoGuard {
  private capturing = false;
  private ducked = false;
  private hold = 0;
  /** The playback's RMS over the last `echoTailWindows` level windows (a ring). */
  private readonly recentOutput: Float64Array;
  private recentAt = 0;
  private readonly strategy: EchoStrategy;
  private readonly setGain: (gain: number) => void;
  private readonly tuning: EchoGuardTuning;

  constructor(strategy: EchoStrategy, setGain: (gain: number) => void, tuning: EchoGuardTuning = DEFAULT_ECHO_TUNING) {
    this.strategy = strategy;
    this.setGain = setGain;
    this.tuning = tuning;
    this.recentOutput = new Float64Array(Math.max(1, tuning.echoTailWindows));
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
    if (this.strategy !== 'duck') return;
    // output is the player's level before the duck gain, so it does not drop while ducked.
    this.recentOutput[this.recentAt] = output.rms;
    this.recentAt = (this.recentAt + 1) % this.recentOutput.length;
    if (!this.capturing) return;
    let reference = 0;
    for (const rms of this.recentOutput) if (rms > reference) reference = rms;
    const playing = reference > 0;
    const speaking = playing && input.rms >= this.tuning.speechRms && input.rms >= reference * this.tuning.overEchoRatio;
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
