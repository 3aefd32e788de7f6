/**
 * What one chat-audio response cost: its text and audio tokens at the model's rows of the dated HTTP
 * price table (cost/http-prices.ts), plus the user-transcript request of the turn when it is known.
 * Unknown — never zero — when the model has no row, when audio was used and the row has no audio
 * price, when images were sent (no image price for this family), or when the transcription's model
 * has no price.
 */
import type { Usage } from '../../../../preload/contract.ts';
import { CHAT_PRICES, HTTP_PRICES_READ_ON } from '../../cost/http-prices.ts';
import { modelFamily } from '../../cost/models.ts';
import type { Cost } from '../../cost/usage.ts';

const PER = 1_000_000;

export function chatAudioUsd(model: string, usage: Usage): number | null {
  const p = CHAT_PRICES[model] ?? CHAT_PRICES[modelFamily(model)];
  if (!p) return null;
  const usesAudio = usage.inputAudioTokens > 0 || usage.outputAudioTokens > 0;
  if (usesAudio && !p.audio) return null;
  if ((usage.inputImageTokens ?? 0) > 0) return null;
  const a = p.audio ?? { input: 0, cachedInput: 0, output: 0 };
  const uncachedText = Math.max(0, usage.inputTextTokens - usage.cachedTextTokens);
  const uncachedAudio = Math.max(0, usage.inputAudioTokens - usage.cachedAudioTokens);
  return (
    (uncachedText * p.text.input +
      usage.cachedTextTokens * p.text.cachedInput +
      usage.outputTextTokens * p.text.output +
      uncachedAudio * a.input +
      usage.cachedAudioTokens * a.cachedInput +
      usage.outputAudioTokens * a.output) /
    PER
  );
}

/**
 * The response's cost plus extra known amounts (the user transcript); one unknown part makes it
 * unknown. `estimated`: the usage is an estimate (a cut-off answer, http/usage-estimate.ts).
 */
export function chatAudioCost(model: string, usage: Usage, extras: readonly (number | null)[] = [], estimated = false): Cost {
  const base = chatAudioUsd(model, usage);
  const usd = base === null || extras.some((x) => x === null) ? null : extras.reduce<number>((sum, x) => sum + (x ?? 0), base);
  return { usd, pricesReadOn: HTTP_PRICES_READ_ON, estimated };
}
