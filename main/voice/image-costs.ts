/**
 * What each picture shown to the model cost, from the service's own usage rather than a guess.
 *
 * Every response re-reads the whole conversation (DESIGN §3), so `input_token_details.image_tokens`
 * of a response counts every image still in context. The first response after a picture was added
 * therefore reports the earlier images plus the new one: the growth over the previous response is
 * what the new picture costs to read (split by the sizing estimate when several arrived together).
 * A renewed session replays text only, and truncation may drop old items, so the count can also
 * fall; the baseline then simply follows the reported figure.
 */
import type { Usage } from '../../preload/contract.ts';
import { pricesFor } from './cost/usage.ts';

export interface ImageShown {
  conversationId: string;
  turnId: string;
  /** "Entire Screen", a window title, or a file name. */
  label: string;
  width: number;
  height: number;
  detail: 'auto' | 'low' | 'high';
  /** From OpenAI's sizing rules, before usage is known. */
  estimatedTokens: number;
  at: number;
}

export interface ImageCost extends ImageShown {
  /** Image input tokens the service reported for this picture (null: the response reported none). */
  imageTokens: number | null;
  /** imageTokens × the model's image input price; null when unknown or unpriced. */
  costUsd: number | null;
  model: string;
}

export class ImageCostTracker {
  #pending: ImageShown[] = [];
  #inContext = 0;
  #misses = 0;

  /** A picture was added to the conversation; its cost is settled by the next response. */
  shown(image: ImageShown): void {
    this.#misses = 0;
    this.#pending.push(image);
  }

  /** A response finished: the pictures added before it are priced from its usage. */
  responseDone(usage: Usage, model: string): ImageCost[] {
    const reported = usage.inputImageTokens ?? 0;
    const grown = Math.max(0, reported - this.#inContext);
    this.#inContext = reported;
    if (this.#pending.length === 0) return [];
    // A response that started before the picture went in (one being cancelled by this very turn)
    // reports no growth: wait for the next, but not for ever (an engine may report no image tokens).
    if (grown === 0 && ++this.#misses < 2) return [];
    this.#misses = 0;
    const pending = this.#pending;
    this.#pending = [];
    const estimateSum = pending.reduce((sum, p) => sum + p.estimatedTokens, 0) || pending.length;
    const price = pricesFor(model)?.image?.input ?? null;
    let left = grown;
    return pending.map((image, index) => {
      const share = index === pending.length - 1 ? left : Math.round((grown * (image.estimatedTokens || 1)) / estimateSum);
      left -= share;
      const imageTokens = grown > 0 ? share : null;
      return { ...image, imageTokens, costUsd: imageTokens != null && price != null ? (imageTokens * price) / 1_000_000 : null, model };
    });
  }

  /** A new conversation: nothing in context any more. */
  reset(): void {
    this.#pending = [];
    this.#inContext = 0;
    this.#misses = 0;
  }
}
