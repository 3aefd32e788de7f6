/** RMS and peak of a signal over fixed windows (31.25 per second at 24 kHz with 768 samples). */

export interface Level {
  /** Root mean square, linear, 0..1. */
  rms: number;
  /** Largest absolute sample, linear, 0..1. */
  peak: number;
}

export const SILENT_LEVEL: Level = Object.freeze({ rms: 0, peak: 0 });

export class LevelMeter {
  private sumSquares = 0;
  private peak = 0;
  private count = 0;
  private readonly windowSamples: number;

  constructor(windowSamples: number) {
    this.windowSamples = windowSamples;
  }

  /** Adds samples; returns a level each time a window completes (at most one per call). */
  add(samples: Float32Array, length = samples.length): Level | null {
    let sum = this.sumSquares;
    let peak = this.peak;
    for (let i = 0; i < length; i++) {
      const s = samples[i] ?? 0;
      sum += s * s;
      const a = s < 0 ? -s : s;
      if (a > peak) peak = a;
    }
    this.sumSquares = sum;
    this.peak = peak;
    return this.advance(length);
  }

  /** Adds `length` samples of silence (an input with nothing connected). */
  addSilence(length: number): Level | null {
    return this.advance(length);
  }

  /** Counts `length` more samples; closes the window with its level once it is full. */
  private advance(length: number): Level | null {
    this.count += length;
    if (this.count < this.windowSamples) return null;
    const level = { rms: Math.sqrt(this.sumSquares / this.count), peak: this.peak };
    this.sumSquares = 0;
    this.peak = 0;
    this.count = 0;
    return level;
  }
}

/** Linear level → dBFS (−Infinity for 0). */
export function toDbfs(linear: number): number {
  return 20 * Math.log10(linear);
}
