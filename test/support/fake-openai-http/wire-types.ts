/**
 * The roots scripts/gen-openai-http-schema.ts turns into openai-http.schema.json. Almost all are
 * the openai SDK's own types (node_modules/openai/resources/**); the few the SDK does not declare
 * are written here, each with the reference it follows.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions/completions';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import type { Transcription, TranscriptionCreateParamsBase, TranscriptionStreamEvent, TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import type { Model } from 'openai/resources/models';

/** POST /v1/chat/completions body (streaming or not). */
export type ChatRequest = ChatCompletionCreateParams;
export type ChatResponse = ChatCompletion;
export type ChatChunk = ChatCompletionChunk;

/**
 * POST /v1/audio/transcriptions: the multipart fields other than `file`, after the fake decoded
 * the form (`include[]` → include, `chunking_strategy[type]` → chunking_strategy.type, numbers
 * and booleans from their text; the SDK's internal/uploads.ts encodes them that way).
 */
export type TranscriptionRequest = Omit<TranscriptionCreateParamsBase, 'file'>;
export type TranscriptionResponse = Transcription;
export type TranscriptionVerboseResponse = TranscriptionVerbose;
export type TranscriptionEvent = TranscriptionStreamEvent;

/** POST /v1/audio/speech body. */
export type SpeechRequest = SpeechCreateParams;

/**
 * The events of POST /v1/audio/speech with stream_format 'sse'. The SDK types the response as a
 * plain Response, so these follow the API reference (openai-openapi: SpeechAudioDeltaEvent,
 * SpeechAudioDoneEvent).
 */
export interface SpeechAudioDeltaEvent {
  type: 'speech.audio.delta';
  /** A chunk of base64-encoded audio. */
  audio: string;
}
export interface SpeechAudioDoneEvent {
  type: 'speech.audio.done';
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
}
export type SpeechEvent = SpeechAudioDeltaEvent | SpeechAudioDoneEvent;

/** GET /v1/models (the SDK pages over `data`). */
export interface ModelList {
  object: 'list';
  data: Model[];
}
export type ModelResponse = Model;

/** Every error body: { error: { message, type, param, code } } (API reference, "Error codes"). */
export interface ErrorResponse {
  error: { message: string; type: string; param: string | null; code: string | null };
}
