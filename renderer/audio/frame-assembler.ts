/**
 * Cuts a float stream into PCM16 frames of a fixed size (20 ms = 480 samples at 24 kHz). Each
 * frame is a fresh ArrayBuffer so it can be transferred without copying.
 */
import { floatToPcm16 } from './pcm.ts';

export class FrameAssembler {
  private frame: Int16Array;
  private fill = 0;
  private readonly frameSamples: number;
  /** Samples handed out so far (full frames plus a flushed partial one). */
  totalSamples = 0;
  /** Frames handed out so far; the next frame gets this number. */
  seq = 0;

  constructor(frameSamples: number) {
    this.frameSamples = frameSamples;
    this.frame = new Int16Array(frameSamples);
  }

  /** Adds samples; calls `emit` for every frame that fills up. */
  push(samples: Float32Array, emit: (pcm: Int16Array, seq: number) => void): void {
    for (let i = 0; i < samples.length; i++) {
      this.frame[this.fill++] = floatToPcm16(samples[i] ?? 0);
      if (this.fill === this.frameSamples) {
        const full = this.frame;
        this.frame = new Int16Array(this.frameSamples);
        this.fill = 0;
        this.totalSamples += full.length;
        emit(full, this.seq++);
      }
    }
  }

  /** Hands out what is buffered as a shorter last frame (null when empty) and starts over. */
  flush(): { pcm: Int16Array; seq: number } | null {
    if (this.fill === 0) return null;
    const pcm = this.frame.slice(0, this.fill);
    this.fill = 0;
    this.totalSamples += pcm.length;
    return { pcm, seq: this.seq++ };
  }

  /** Forgets buffered samples and counters (a new turn). */
  reset(): void {
    this.fill = 0;
    this.totalSamples = 0;
    this.seq = 0;
  }
}
