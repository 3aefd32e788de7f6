/** Token usage from response.done, summed per turn and per session, and priced from the dated table. */
import type { Usage } from '../../../preload/contract.ts';
import { modelFamily } from './models.ts';
import { PRICES_READ_ON, REALTIME_PRICES } from './price-table.ts';
import type { ModelPrices } from './price-table.ts';
import type { ResponseUsage } from '../engine/realtime/server-events.ts';

export function emptyUsage(): Usage {
  return {
    inputTextTokens: 0,
    inputAudioTokens: 0,
    cachedTextTokens: 0,
    cachedAudioTokens: 0,
    outputTextTokens: 0,
    outputAudioTokens: 0,
    inputImageTokens: 0,
    cachedImageTokens: 0,
  };
}

/**
 * The wire usage → our Usage. The cached counts are PART of the input counts (the service reports
 * input_token_details.text_tokens including the cached ones), so they are not added again.
 */
export function usageFromResponse(u: ResponseUsage | null | undefined): Usage {
  const out = emptyUsage();
  if (!u) return out;
  const inD = u.input_token_details;
  const outD = u.output_token_details;
  out.inputTextTokens = inD?.text_tokens ?? 0;
  out.inputAudioTokens = inD?.audio_tokens ?? 0;
  // Images in the conversation: input_token_details.image_tokens (RealtimeResponseUsageInputTokenDetails
  // in openai/resources/realtime/realtime.d.ts; DESIGN §3 "usage reports image_tokens").
  const inputImage = inD?.image_tokens ?? 0;
  out.inputImageTokens = inputImage;
  const cachedDetails = inD?.cached_tokens_details;
  if (cachedDetails) {
    out.cachedTextTokens = cachedDetails.text_tokens ?? 0;
    out.cachedAudioTokens = cachedDetails.audio_tokens ?? 0;
    out.cachedImageTokens = cachedDetails.image_tokens ?? 0;
  } else {
    // Without a split, attribute cached tokens to text first, then audio, then images (documented guess).
    const cached = inD?.cached_tokens ?? 0;
    out.cachedTextTokens = Math.min(cached, out.inputTextTokens);
    out.cachedAudioTokens = Math.min(cached - out.cachedTextTokens, out.inputAudioTokens);
    out.cachedImageTokens = Math.min(cached - out.cachedTextTokens - out.cachedAudioTokens, inputImage);
  }
  out.outputTextTokens = outD?.text_tokens ?? 0;
  out.outputAudioTokens = outD?.audio_tokens ?? 0;
  if (!inD && typeof u.input_tokens === 'number') out.inputTextTokens = u.input_tokens;
  if (!outD && typeof u.output_tokens === 'number') out.outputTextTokens = u.output_tokens;
  return out;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTextTokens: a.inputTextTokens + b.inputTextTokens,
    inputAudioTokens: a.inputAudioTokens + b.inputAudioTokens,
    cachedTextTokens: a.cachedTextTokens + b.cachedTextTokens,
    cachedAudioTokens: a.cachedAudioTokens + b.cachedAudioTokens,
    outputTextTokens: a.outputTextTokens + b.outputTextTokens,
    outputAudioTokens: a.outputAudioTokens + b.outputAudioTokens,
    inputImageTokens: (a.inputImageTokens ?? 0) + (b.inputImageTokens ?? 0),
    cachedImageTokens: (a.cachedImageTokens ?? 0) + (b.cachedImageTokens ?? 0),
  };
}

/** Dated model names (gpt-realtime-2025-08-28) price like their family. */
export function pricesFor(model: string): ModelPrices | null {
  return REALTIME_PRICES[model] ?? REALTIME_PRICES[modelFamily(model)] ?? null;
}

export interface Cost {
  /**
   * null when the model is not in the price table, or when the turn used images and the table has
   * no image price for the model: the cost is unknown, not zero.
   */
  usd: number | null;
  pricesReadOn: string;
  /**
   * True when (part of) the figure is an estimate from what was sent and received, not the usage the
   * service reported: a request cut off by a barge-in, a stop or a failure reports none
   * (engine/http/usage-estimate.ts). It is still money spent: the budget and the ledger count it.
   */
  estimated: boolean;
}

export function costOf(usage: Usage, model: string): Cost {
  const p = pricesFor(model);
  if (!p) return { usd: null, pricesReadOn: PRICES_READ_ON, estimated: false };
  const per = 1_000_000;
  const uncachedText = Math.max(0, usage.inputTextTokens - usage.cachedTextTokens);
  const uncachedAudio = Math.max(0, usage.inputAudioTokens - usage.cachedAudioTokens);
  const imageIn = usage.inputImageTokens ?? 0;
  const cachedImage = usage.cachedImageTokens ?? 0;
  if (imageIn > 0 && !p.image) return { usd: null, pricesReadOn: PRICES_READ_ON, estimated: false };
  const imageUsd = p.image ? Math.max(0, imageIn - cachedImage) * p.image.input + cachedImage * p.image.cachedInput : 0;
  const usd =
    (uncachedText * p.text.input +
      usage.cachedTextTokens * p.text.cachedInput +
      usage.outputTextTokens * p.text.output +
      uncachedAudio * p.audio.input +
      usage.cachedAudioTokens * p.audio.cachedInput +
      usage.outputAudioTokens * p.audio.output +
      imageUsd) /
    per;
  // The Realtime service's response.done always carries usage, a cancelled response's too: exact.
  return { usd, pricesReadOn: PRICES_READ_ON, estimated: false };
}
