/**
 * Chat Completions usage → the app's Usage. An answer cut off before the stream's usage chunk is
 * estimated instead, by the estimator both HTTP engines share (http/usage-estimate.ts).
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { Usage } from '../../../../preload/contract.ts';
import { emptyUsage } from '../../cost/usage.ts';

export function usageFromCompletion(u: CompletionUsage | null | undefined): Usage {
  const out = emptyUsage();
  if (!u) return out;
  const p = u.prompt_tokens_details;
  const c = u.completion_tokens_details;
  out.inputAudioTokens = p?.audio_tokens ?? 0;
  out.inputImageTokens = p?.image_tokens ?? 0;
  out.inputTextTokens = p?.text_tokens ?? Math.max(0, u.prompt_tokens - out.inputAudioTokens - out.inputImageTokens);
  // The cached count is part of the prompt count and is not split by kind: text first, then audio,
  // then images (the same documented guess as cost/usage.ts for the Realtime usage).
  const cached = p?.cached_tokens ?? 0;
  out.cachedTextTokens = Math.min(cached, out.inputTextTokens);
  out.cachedAudioTokens = Math.min(cached - out.cachedTextTokens, out.inputAudioTokens);
  out.cachedImageTokens = Math.min(cached - out.cachedTextTokens - out.cachedAudioTokens, out.inputImageTokens);
  out.outputAudioTokens = c?.audio_tokens ?? 0;
  // Reasoning tokens are billed as output text tokens (they are part of completion_tokens).
  out.outputTextTokens = c?.text_tokens ?? Math.max(0, u.completion_tokens - out.outputAudioTokens);
  return out;
}
