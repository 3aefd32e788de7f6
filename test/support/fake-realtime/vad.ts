/**
 * Energy-based voice activity detection for the fake's server_vad / semantic_vad: RMS per
 * 20 ms frame against a level derived from `threshold`. Times are ms of all audio appended
 * in the session (what audio_start_ms / audio_end_ms mean in the service's events).
 */

export interface VadSettings {
  threshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
}

export type VadEvent =
  | { kind: 'speech_started'; audioStartMs: number }
  | { kind: 'speech_stopped'; audioEndMs: number };

const RATE = 24000;
const FRAME = 480; // 20 ms

/** RMS (0..1 of full scale) above which a frame counts as speech, for a threshold in 0..1. */
export function rmsLevelFor(threshold: number): number {
  return 0.004 + Math.max(0, Math.min(1, threshold)) * 0.04;
}

export class EnergyVad {
  private settings: VadSettings;
  private pending: number[] = [];
  private samplesSeen = 0;
  private speaking = false;
  private lastVoiceEndMs = 0;

  constructor(settings: VadSettings) {
    this.settings = settings;
  }

  configure(settings: VadSettings): void {
    this.settings = settings;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Forget a turn in progress (input_audio_buffer.clear, or after a commit). */
  resetTurn(): void {
    this.speaking = false;
  }

  /** Feeds samples; returns the edges found, in order. */
  push(samples: Int16Array): VadEvent[] {
    const out: VadEvent[] = [];
    const level = rmsLevelFor(this.settings.threshold);
    for (const s of samples) this.pending.push(s);
    while (this.pending.length >= FRAME) {
      const frame = this.pending.splice(0, FRAME);
      let sum = 0;
      for (const s of frame) sum += (s / 32768) ** 2;
      const rms = Math.sqrt(sum / FRAME);
      const startMs = (this.samplesSeen / RATE) * 1000;
      this.samplesSeen += FRAME;
      const endMs = (this.samplesSeen / RATE) * 1000;
      if (rms >= level) {
        if (!this.speaking) {
          this.speaking = true;
          out.push({ kind: 'speech_started', audioStartMs: Math.max(0, Math.round(startMs - this.settings.prefixPaddingMs)) });
        }
        this.lastVoiceEndMs = endMs;
      } else if (this.speaking && endMs - this.lastVoiceEndMs >= this.settings.silenceDurationMs) {
        this.speaking = false;
        out.push({ kind: 'speech_stopped', audioEndMs: Math.round(endMs) });
      }
    }
    return out;
  }
}
