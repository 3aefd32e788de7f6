/**
 * Prices of the HTTP engines' models (cascaded: transcription → chat → speech; chat-audio: the
 * gpt-audio family), USD per 1M tokens unless a row says per minute. DATA ONLY plus the arithmetic
 * that applies it. A model that is not here has an unknown cost (usd: null), never a zero one.
 *
 * Read on 2026-12-05 from OpenAI's model pages (developers.openai.com/api/docs/models/<model>):
 * - gpt-transcribe: "Transcription audio duration, $0.0045 per minute".
 * - gpt-4o-transcribe: input $2.50, output $10 per 1M tokens (one input rate, applied to the audio
 *   and the prompt's text tokens alike).
 * - gpt-4o-mini-transcribe: input $1.25, output $5 per 1M tokens (same remark).
 * - gpt-4o-mini-tts: text input $0.60, audio output $12 per 1M tokens.
 * - gpt-4.1-mini: input $0.40, cached input $0.10, output $1.60; gpt-4.1: 2.00 / 0.50 / 8.00;
 *   gpt-4o-mini: 0.15 / 0.075 / 0.60; gpt-4o: 2.50 / 1.25 / 10 — as OpenAI's pricing page lists them,
 *   read through two copies that agree (Vercel AI Gateway's model pages citing
 *   platform.openai.com/docs/pricing, and a pricing summary read from that page on 2026-11-05).
 * Left out (no price confirmed): whisper-1, gpt-live-transcribe (a Realtime-only model), tts-1,
 * tts-1-hd, the gpt-5 family, and gpt-audio-mini (see the chat-audio rows in CHAT_PRICES).
 *
 * How each stage is priced, from what the API reports:
 * - transcription: usage of type 'tokens' (input audio + text tokens, output text tokens) priced per
 *   token; type 'duration' (seconds) or a per-minute model priced by the seconds of audio sent;
 * - chat: usage.prompt_tokens (of which prompt_tokens_details.cached_tokens) and completion_tokens;
 * - speech: the `speech.audio.done` SSE event's usage (input text tokens, output audio tokens). A
 *   speech server that reports no usage (raw PCM streaming, local servers) is priced as unknown.
 * A request cut off before it reported its usage (a barge-in, a stop, a stream that broke) is priced
 * from an estimate of the same quantities (engine/http/usage-estimate.ts, engine/cascaded/stage-bills.ts).
 */
import { modelFamily } from './models.ts';

export const HTTP_PRICES_READ_ON = '2026-12-05';

export type TranscriptionPrice =
  | { kind: 'tokens'; input: number; output: number }
  | { kind: 'minute'; perMinute: number };

export interface ChatPrice {
  text: { input: number; cachedInput: number; output: number };
  /** Chat-audio models: audio in and out per 1M tokens. */
  audio?: { input: number; cachedInput: number; output: number };
}

export interface SpeechPrice {
  textInput: number;
  audioOutput: number;
}

export const TRANSCRIPTION_PRICES: Record<string, TranscriptionPrice> = {
  'gpt-transcribe': { kind: 'minute', perMinute: 0.0045 },
  'gpt-4o-transcribe': { kind: 'tokens', input: 2.5, output: 10 },
  'gpt-4o-mini-transcribe': { kind: 'tokens', input: 1.25, output: 5 },
};

export const CHAT_PRICES: Record<string, ChatPrice> = {
  'gpt-4.1-mini': { text: { input: 0.4, cachedInput: 0.1, output: 1.6 } },
  'gpt-4.1': { text: { input: 2, cachedInput: 0.5, output: 8 } },
  'gpt-4o-mini': { text: { input: 0.15, cachedInput: 0.075, output: 0.6 } },
  'gpt-4o': { text: { input: 2.5, cachedInput: 1.25, output: 10 } },
  // Chat-audio rows (added by the chat-audio engine), read on 2026-12-05 from OpenAI's model pages
  // developers.openai.com/api/docs/models/gpt-audio(.md) and …/gpt-audio-1.5: text tokens input $2.50,
  // output $10; audio tokens input $32, output $64 per 1M. No cached-input price is listed for them,
  // so cached tokens are priced at the input rate (never less than what is billed). Neither takes
  // images ("Image: Not supported"): a turn with image tokens is priced as unknown. gpt-audio-mini's
  // page lists only its text prices (0.60 / 2.40) and no audio price, so it is left out (unknown cost).
  'gpt-audio': { text: { input: 2.5, cachedInput: 2.5, output: 10 }, audio: { input: 32, cachedInput: 32, output: 64 } },
  'gpt-audio-1.5': { text: { input: 2.5, cachedInput: 2.5, output: 10 }, audio: { input: 32, cachedInput: 32, output: 64 } },
};

export const SPEECH_PRICES: Record<string, SpeechPrice> = {
  'gpt-4o-mini-tts': { textInput: 0.6, audioOutput: 12 },
};

function lookup<T>(table: Record<string, T>, model: string): T | null {
  return table[model] ?? table[modelFamily(model)] ?? null;
}

const PER = 1_000_000;

/** What a transcription reported (or, for 'duration', the seconds of audio). */
export type TranscriptionUsage =
  | { type: 'tokens'; inputTokens: number; outputTokens: number }
  | { type: 'duration'; seconds: number };

/** How a transcription model is billed: by the minute of audio, by tokens, or unknown (no price). */
export function transcriptionBilledBy(model: string): TranscriptionPrice['kind'] | null {
  return lookup(TRANSCRIPTION_PRICES, model)?.kind ?? null;
}

export function transcriptionUsd(model: string, usage: TranscriptionUsage, audioSeconds: number): number | null {
  const p = lookup(TRANSCRIPTION_PRICES, model);
  if (!p) return null;
  if (p.kind === 'minute') return ((usage.type === 'duration' ? usage.seconds : audioSeconds) / 60) * p.perMinute;
  if (usage.type !== 'tokens') return null; // a token-priced model that reported seconds: not priceable
  return (usage.inputTokens * p.input + usage.outputTokens * p.output) / PER;
}

export interface ChatTokens {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export function chatUsd(model: string, t: ChatTokens): number | null {
  const p = lookup(CHAT_PRICES, model);
  if (!p) return null;
  const uncached = Math.max(0, t.promptTokens - t.cachedTokens);
  return (uncached * p.text.input + t.cachedTokens * p.text.cachedInput + t.completionTokens * p.text.output) / PER;
}

export interface SpeechTokens {
  inputTokens: number;
  outputTokens: number;
}

export function speechUsd(model: string, t: SpeechTokens | null): number | null {
  const p = lookup(SPEECH_PRICES, model);
  if (!p || !t) return null;
  return (t.inputTokens * p.textInput + t.outputTokens * p.audioOutput) / PER;
}
