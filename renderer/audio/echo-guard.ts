/**
 * Keeps the assistant from hearing itself on speakers (see ECHO.md for the measurements behind it).
 *
 * - 'browser-aec': rely on Chromium's echo canceller (the capture constraint echoCancellation).
 * - 'duck': while a turn is being captured and the microphone is clearly louder than the echo we
 *   expect from the playback, lower the playback (−14 dB) so the user's voice dominates; restore
 *   it after a short hold. The expected echo is the recent playback level times the room's echo
 *   coupling, which the guard learns while only the assistant speaks (with the echo canceller on
 *   it learns a tiny coupling, and any speech counts; on bare speakers the echo itself never does).
 * - 'none': do nothing (headphones).
 */
import type { Level } from './level-meter.ts';

export type EchoStrategy = 'browser-aec' | 'duck' | 'none';

export interface EchoGuardTuning {
  /** Playback gain while ducked (0.2 ≈ −14 dB). */
  duckGain: number;
  /** Input RMS that counts as speech at all (0.02 ≈ −34 dBFS). */
  speechRms: number;
  /** Input must exceed the expected echo times this to count as the user rather than echo. */
  overEchoRatio: number;
  /** Level windows (32 ms each) to stay ducked after the last speech window. */
  holdWindows: number;
  /**
   * Level windows the echo lags behind the playback (output buffer + OS + input buffer): the
   * microphone is compared with the loudest playback window of this span, so the tail of the
   * assistant's last word, still arriving at the microphone, is not taken for the user.
   * Measured through a PulseAudio loopback: ~75–120 ms after the first sample is reported on a quiet
   * machine, up to ~195 ms with the machine loaded (load 5 on 2 cores, CI 2026-12-05), when 6
   * windows (192 ms) let the echo's tail duck the voice 12 times in 55 windows (ECHO.md).
   */
  echoTailWindows: number;
  /** Playback windows (with the playback at least `speechRms`) the coupling is learnt from. */
  couplingWindows: number;
  /**
   * The coupling is this quantile of microphone ÷ playback over those windows. The playback
   * reference is the loudest recent window, so echo-only windows sit at or below the true
   * coupling; windows with the user in them are few (learning stops while ducked).
   */
  couplingQuantile: number;
  /** Coupling assumed before enough windows were seen (1 = the echo as loud as the playback). */
  initialCoupling: number;
  /** The coupling is never taken below this (a canceller's residual jumps when the room changes). */
  minCoupling: number;
}

export const DEFAULT_ECHO_TUNING: EchoGuardTuning = {
  duckGain: 0.2,
  speechRms: 0.02,
  overEchoRatio: 2,
  holdWindows: 12,
  echoTailWindows: 10,
  couplingWindows: 64,
  couplingQuantile: 0.9,
  initialCoupling: 1,
  minCoupling: 0.05,
};

export class EchoGuard {
  private capturing = false;
  private ducked = false;
  private hold = 0;
  private readonly strategy: EchoStrategy;
  private readonly setGain: (gain: number) => void;
  private readonly tuning: EchoGuardTuning;
  /** The playback's RMS over the last `echoTailWindows` level windows (a ring). */
  private readonly recentOutput: Float64Array;
  private recentAt = 0;
  /** Microphone ÷ playback of the last `couplingWindows` windows with the assistant audible (a ring). */
  private readonly ratios: Float64Array;
  private readonly sorted: Float64Array;
  private ratioAt = 0;
  private ratioCount = 0;

  constructor(strategy: EchoStrategy, setGain: (gain: number) => void, tuning: EchoGuardTuning = DEFAULT_ECHO_TUNING) {
    this.strategy = strategy;
    this.setGain = setGain;
    this.tuning = tuning;
    this.recentOutput = new Float64Array(Math.max(1, tuning.echoTailWindows));
    this.ratios = new Float64Array(Math.max(1, tuning.couplingWindows));
    this.sorted = new Float64Array(this.ratios.length);
  }

  get isDucked(): boolean {
    return this.ducked;
  }

  /** The learnt echo coupling (microphone RMS per playback RMS while only the assistant speaks). */
  get coupling(): number {
    if (this.ratioCount < this.ratios.length / 4) return this.tuning.initialCoupling;
    const n = this.ratioCount;
    this.sorted.set(this.ratios.subarray(0, n));
    const view = this.sorted.subarray(0, n).sort();
    const q = view[Math.min(n - 1, Math.floor(n * this.tuning.couplingQuantile))] ?? this.tuning.initialCoupling;
    return Math.max(this.tuning.minCoupling, q);
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
    let reference = 0;
    for (const rms of this.recentOutput) if (rms > reference) reference = rms;
    const coupling = this.coupling;
    if (output.rms >= this.tuning.speechRms && !this.ducked) {
      // Learn from windows with the assistant clearly audible; ducked windows are the user's.
      this.ratios[this.ratioAt] = input.rms / reference;
      this.ratioAt = (this.ratioAt + 1) % this.ratios.length;
      this.ratioCount = Math.min(this.ratioCount + 1, this.ratios.length);
    }
    if (!this.capturing) return;
    const playing = reference > 0;
    const speaking = playing && input.rms >= this.tuning.speechRms && input.rms >= reference * coupling * this.tuning.overEchoRatio;
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
