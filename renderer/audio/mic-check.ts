/**
 * Onboarding's microphone check: a few seconds of the microphone recorded in the renderer and played
 * back on this computer. The frames come from the same worklet and microphone path as a turn, so
 * the check hears what a turn would send; but they are kept here and never given to the bridge, so
 * nothing of the check leaves the machine.
 */

/** Turn ids and item ids of the check start with this; the audio session keeps them local. */
export const LOCAL_CHECK_PREFIX = 'local-check:';

export const isLocalCheckId = (id: string | null | undefined): boolean => typeof id === 'string' && id.startsWith(LOCAL_CHECK_PREFIX);

export interface MicRecording {
  /** Samples recorded (24 kHz mono). */
  samples: number;
  /** The loudest sample, linear 0…1. */
  peak: number;
  /** Plays the recording through the speakers; resolves once it has been heard to the end. */
  play(): Promise<void>;
}

/** Collects the check's frames (PCM16) while it records. */
export class LocalRecording {
  readonly turnId: string;
  readonly #chunks: Int16Array[] = [];
  #samples = 0;

  constructor(turnId: string) {
    this.turnId = turnId;
  }

  push(pcm: ArrayBuffer): void {
    const copy = new Int16Array(pcm.slice(0));
    this.#chunks.push(copy);
    this.#samples += copy.length;
  }

  /** The whole recording in one buffer, and its peak. */
  take(): { pcm: Int16Array; peak: number } {
    const pcm = new Int16Array(this.#samples);
    let at = 0;
    let peak = 0;
    for (const chunk of this.#chunks) {
      pcm.set(chunk, at);
      at += chunk.length;
      for (const s of chunk) peak = Math.max(peak, Math.abs(s));
    }
    return { pcm, peak: peak / 32768 };
  }
}
