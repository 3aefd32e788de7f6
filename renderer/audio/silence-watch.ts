/**
 * Decides when a turn's microphone "seems silent": every level since the turn started stayed
 * below a peak threshold for a given time. Once per turn.
 */
import type { Level } from './level-meter.ts';

export interface SilenceWatchOptions {
  /** Linear peak below which a window counts as silent (0.001 ≈ −60 dBFS). */
  peakThreshold: number;
  /** How long the turn must have been silent before warning. */
  afterMs: number;
}

export class SilenceWatch {
  private silentMs = 0;
  private heard = false;
  private warned = false;
  private active = false;
  private readonly options: SilenceWatchOptions;

  constructor(options: SilenceWatchOptions) {
    this.options = options;
  }

  start(): void {
    this.silentMs = 0;
    this.heard = false;
    this.warned = false;
    this.active = true;
  }

  stop(): void {
    this.active = false;
  }

  /** Feeds one level window of `windowMs`; returns true exactly once when the warning is due. */
  feed(level: Level, windowMs: number): boolean {
    if (!this.active || this.heard || this.warned) return false;
    if (level.peak >= this.options.peakThreshold) {
      this.heard = true;
      return false;
    }
    this.silentMs += windowMs;
    if (this.silentMs >= this.options.afterMs) {
      this.warned = true;
      return true;
    }
    return false;
  }
}
