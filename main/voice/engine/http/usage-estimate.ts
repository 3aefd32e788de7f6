/**
 * What a request that was cut off probably cost, for both HTTP engines. The service bills what it
 * read and what it generated even when the client gives up: a stream cut before its usage chunk
 * carries no figures ("If the stream is interrupted or cancelled, you may not receive the final usage
 * chunk", ChatCompletionChunk.usage in openai/resources/chat/completions/completions.d.ts), and a
 * speech or transcription request aborted mid-answer reports none either. An estimate from what was
 * sent and what arrived is better than a zero; the cost it gives is marked as estimated (Cost.estimated).
 *
 * The figures (DESIGN §3, the same the service's usage shows for the Realtime models):
 * - text: about 4 characters a token;
 * - user audio: about 1 token per 100 ms;
 * - assistant (generated) audio: about 1 token per 50 ms;
 * - a chat message's framing: 3 tokens a message, and 3 more priming the reply (OpenAI Cookbook, "How
 *   to count tokens with tiktoken", num_tokens_from_messages: `tokens_per_message = 3`, "every reply is
 *   primed with <|start|>assistant<|message|>").
 * Tool definitions are read by the model as part of the prompt and billed as prompt tokens: their JSON
 * is counted like text. An assistant audio referred to by id, and a picture, are not counted: their
 * size is the service's to know (the estimate is then low).
 */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import type { Usage } from '../../../../preload/contract.ts';
import { emptyUsage } from '../../cost/usage.ts';

export const CHARS_PER_TOKEN = 4;
export const USER_AUDIO_MS_PER_TOKEN = 100;
export const ASSISTANT_AUDIO_MS_PER_TOKEN = 50;
export const TOKENS_PER_MESSAGE = 3;
export const REPLY_PRIMING_TOKENS = 3;
/** A WAV `input_audio` part: a 44-byte header, then 2 bytes a sample at 24 kHz. */
const WAV_HEADER_BYTES = 44;
const WAV_BYTES_PER_MS = 48;

export function textTokens(chars: number): number {
  return Math.ceil(Math.max(0, chars) / CHARS_PER_TOKEN);
}

export function userAudioTokens(ms: number): number {
  return Math.ceil(Math.max(0, ms) / USER_AUDIO_MS_PER_TOKEN);
}

export function assistantAudioTokens(ms: number): number {
  return Math.ceil(Math.max(0, ms) / ASSISTANT_AUDIO_MS_PER_TOKEN);
}

/** The prompt of a Chat Completions request, in estimated tokens. */
export interface PromptEstimate {
  textTokens: number;
  audioTokens: number;
}

/** What a Chat Completions request's prompt is billed as: its messages (text, tool calls, audio), their framing, and the tool definitions. */
export function estimatePrompt(messages: readonly ChatCompletionMessageParam[], tools: readonly ChatCompletionTool[] = []): PromptEstimate {
  let chars = 0;
  let audioMs = 0;
  for (const m of messages) {
    const content = 'content' in m ? m.content : null;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') chars += part.text.length;
        else if (part.type === 'input_audio') audioMs += Math.max(0, Buffer.byteLength(part.input_audio.data, 'base64') - WAV_HEADER_BYTES) / WAV_BYTES_PER_MS;
      }
    }
    if (m.role === 'assistant') for (const call of m.tool_calls ?? []) chars += JSON.stringify(call.type === 'function' ? call.function : call.custom).length;
  }
  if (tools.length > 0) chars += JSON.stringify(tools).length;
  const framing = messages.length > 0 ? messages.length * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS : 0;
  return { textTokens: textTokens(chars) + framing, audioTokens: userAudioTokens(audioMs) };
}

/** What arrived of an answer before it was cut off. */
export interface Received {
  /** Generated audio, in ms. */
  audioMs: number;
  /** Generated text (and tool-call arguments), in characters. */
  textChars: number;
}

/** A cut-off Chat Completions answer as Usage: the prompt as sent, and the text and audio received. */
export function estimateChatUsage(prompt: PromptEstimate, received: Received): Usage {
  const out = emptyUsage();
  out.inputTextTokens = prompt.textTokens;
  out.inputAudioTokens = prompt.audioTokens;
  out.outputAudioTokens = assistantAudioTokens(received.audioMs);
  out.outputTextTokens = textTokens(received.textChars);
  return out;
}
