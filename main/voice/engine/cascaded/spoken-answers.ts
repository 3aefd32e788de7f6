/**
 * What the cascaded engine remembers of its spoken answers for a later truncate: how much audio each
 * answer sent to the player, and where each of its sentences lies in that audio. The session reports
 * how much the user heard (after a barge-in, the player's rendered samples); this turns it into the
 * text that was heard (http/heard-text.ts). Only the last answers are kept.
 */
import { SAMPLE_RATE, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { heardOfSentences } from '../http/heard-text.ts';
import type { SpokenSentence } from '../http/heard-text.ts';

/** How many answers keep their sentence timing for a later truncate. */
const SPOKEN_MEMORY = 50;

export class SpokenAnswers {
  #received = new Map<string, number>();
  #spoken = new Map<string, SpokenSentence[]>();

  /** An answer's sentences, filled in as they are spoken (the same array the round writes to). */
  remember(itemId: string, sentences: SpokenSentence[]): void {
    this.#spoken.set(itemId, sentences);
    if (this.#spoken.size > SPOKEN_MEMORY) {
      const oldest = this.#spoken.keys().next().value;
      if (oldest !== undefined) {
        this.#spoken.delete(oldest);
        this.#received.delete(oldest);
      }
    }
  }

  /** The answer's audio sent to the player so far, in samples. */
  setReceived(itemId: string, samples: number): void {
    this.#received.set(itemId, samples);
  }

  receivedMs(itemId: string): number {
    return (this.#received.get(itemId) ?? 0) / SAMPLES_PER_MS;
  }

  /** The text heard of an answer played up to `audioEndMs` (clamped to what was sent); null for an answer not remembered. */
  heard(itemId: string, audioEndMs: number, speed: number): string | null {
    const sentences = this.#spoken.get(itemId);
    if (!sentences) return null;
    const heardSamples = Math.min(Math.max(0, audioEndMs) * SAMPLES_PER_MS, this.#received.get(itemId) ?? 0);
    return heardOfSentences(sentences, heardSamples, SAMPLE_RATE, speed);
  }

  clear(): void {
    this.#received.clear();
    this.#spoken.clear();
  }
}
