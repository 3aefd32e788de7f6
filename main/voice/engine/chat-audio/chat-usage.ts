/**
 * Chat Completions usage → the app's Usage, and an estimate for an answer cut off before the stream's
 * usage chunk (`stream_options.include_usage`: "If the stream is interrupted or cancelled, you may not
 * receive the final usage chunk", ChatCompletionChunk.usage in openai/resources/chat/completions/completions.d.ts).
 * The service bills what it generated even then, so an estimate is better than a zero.
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Usage } from '../../../../preload/contract.ts';
import { emptyUsage } from '../../cost/usage.ts';

/** DESIGN §3: user audio is about 1 token per 100 ms, assistant audio 1 per 50 ms. Text: about 4 characters a token. */
const USER_AUDIO_MS_PER_TOKEN = 100;
const ASSISTANT_AUDIO_MS_PER_TOKEN = 50;
const CHARS_PER_TOKEN = 4;
/** 44-byte WAV header, 2 bytes a sample at 24 kHz. */
const WAV_BYTES_PER_MS = 48;

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

/**
 * What a cut-off answer probably cost: the request's text and audio as sent, and the audio and text
 * received. An assistant audio referred to by id is not counted (its length is the service's to know).
 */
export function estimateUsage(messages: readonly ChatCompletionMessageParam[], received: { audioMs: number; textChars: number }): Usage {
  const out = emptyUsage();
  let chars = 0;
  let audioMs = 0;
  for (const m of messages) {
    const content = 'content' in m ? m.content : null;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') chars += part.text.length;
        else if (part.type === 'input_audio') audioMs += Math.max(0, Buffer.byteLength(part.input_audio.data, 'base64') - 44) / WAV_BYTES_PER_MS;
      }
    }
  }
  out.inputTextTokens = Math.ceil(chars / CHARS_PER_TOKEN);
  out.inputAudioTokens = Math.ceil(audioMs / USER_AUDIO_MS_PER_TOKEN);
  out.outputAudioTokens = Math.ceil(received.audioMs / ASSISTANT_AUDIO_MS_PER_TOKEN);
  out.outputTextTokens = Math.ceil(received.textChars / CHARS_PER_TOKEN);
  return out;
}
