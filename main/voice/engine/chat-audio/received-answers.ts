/**
 * How much of each answer's audio reached the player, and whether all of it did: what a truncate
 * after a barge-in measures the heard part against (http/heard-text.ts). An answer cut off mid-stream
 * has no known speaking rate yet; a complete one gives its own.
 */
import { SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { heardOfTranscript } from '../http/heard-text.ts';
import type { AssistantEntry } from './conversation.ts';

export class ReceivedAnswers {
  #received = new Map<string, { samples: number; complete: boolean }>();

  set(itemId: string, samples: number, complete: boolean): void {
    this.#received.set(itemId, { samples, complete });
  }

  receivedMs(itemId: string): number {
    return (this.#received.get(itemId)?.samples ?? 0) / SAMPLES_PER_MS;
  }

  /** Keeps of `e` only what was heard up to `audioEndMs` (clamped to what was received). */
  truncate(e: AssistantEntry, audioEndMs: number): { heardMs: number; receivedMs: number } {
    const info = this.#received.get(e.itemId);
    const receivedMs = (info?.samples ?? 0) / SAMPLES_PER_MS;
    const heardMs = Math.max(0, Math.min(audioEndMs, receivedMs));
    // Chat Completions audio has no speed setting: the voice speaks at its own pace (speed 1).
    e.heard = heardOfTranscript({ transcript: e.text, heardMs, receivedMs, complete: info?.complete ?? false, speed: 1 });
    e.audioId = null;
    return { heardMs, receivedMs };
  }

  clear(): void {
    this.#received.clear();
  }
}
