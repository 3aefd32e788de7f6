/**
 * The user's words for a spoken turn. An audio model answering through Chat Completions returns no
 * transcript of its input (only of its own audio: ChatCompletionAudio.transcript), so the turn's WAV
 * also goes to `audio/transcriptions` — in parallel with the answer, never in front of it. What it
 * returns is shown as the user's transcript and becomes the text the next turns send instead of the
 * audio (conversation.ts). A refused model (400/404 naming the model) falls back once to
 * `transcription.fallbackModel`; any other failure leaves the transcript unavailable, quietly (a log
 * line, no notice: the answer is what the user waits for).
 */
import { toFile } from 'openai';
import type { TranscriptionCreateParamsNonStreaming } from 'openai/resources/audio/transcriptions';
import { z } from 'zod';
import type { Logger } from '../../../base/logger.ts';
import { redact } from '../../../base/redact.ts';
import type { VoiceConfig } from '../../config.ts';
import { transcriptionTakesKeywords } from '../../cost/models.ts';
import { transcriptionUsd } from '../../cost/http-prices.ts';
import type { TranscriptionUsage } from '../../cost/http-prices.ts';
import type { Credentials } from '../engine.ts';
import { isAbort, isModelRefused } from '../http/http-errors.ts';
import { openStage } from '../http/stage-client.ts';
import type { StageOptions } from '../http/stage-client.ts';

/** The parts of the answer we read (Transcription in openai/resources/audio/transcriptions.d.ts), checked at the boundary. */
const TranscriptionSchema = z.object({
  text: z.string(),
  usage: z
    .union([
      z.object({ type: z.literal('tokens'), input_tokens: z.number(), output_tokens: z.number() }),
      z.object({ type: z.literal('duration'), seconds: z.number() }),
    ])
    .optional(),
});

export interface UserTranscript {
  text: string;
  model: string;
  /** What the transcription cost; null when its model is not in the price table. */
  usd: number | null;
}

export interface TranscribeInput {
  wav: Uint8Array;
  audioSeconds: number;
  config: VoiceConfig;
  credentials: () => Promise<Credentials>;
  stageOptions: StageOptions;
  signal: AbortSignal;
  logger: Logger;
}

/** Resolves with the transcript, or null when it is switched off or failed (logged). Never rejects. */
export async function transcribeUserTurn(input: TranscribeInput): Promise<UserTranscript | null> {
  const t = input.config.transcription;
  if (!t) return null;
  const models = [t.model, ...(t.fallbackModel && t.fallbackModel !== t.model ? [t.fallbackModel] : [])];
  try {
    const stage = await openStage('transcribe', input.credentials, { baseURL: input.config.chatAudio.baseURL, keySource: 'openai' }, input.stageOptions);
    for (const [i, model] of models.entries()) {
      const params: TranscriptionCreateParamsNonStreaming = {
        model,
        file: await toFile(input.wav, 'turn.wav', { type: 'audio/wav' }),
        response_format: 'json',
        ...(t.language ? { language: t.language } : {}),
        ...(t.prompt ? { prompt: t.prompt } : {}),
        // keywords / languages: "Supported by gpt-transcribe" (TranscriptionCreateParamsBase in the SDK); not sent to others.
        ...(transcriptionTakesKeywords(model) && t.keywords?.length ? { keywords: t.keywords } : {}),
        ...(transcriptionTakesKeywords(model) && t.languages?.length ? { languages: t.languages } : {}),
      };
      try {
        const raw: unknown = await stage.client.audio.transcriptions.create(params, { signal: input.signal });
        const parsed = TranscriptionSchema.safeParse(raw);
        if (!parsed.success) {
          input.logger.warn('chat-audio: the transcription answer is malformed; no user transcript', { model, issues: parsed.error.issues.length });
          return null;
        }
        const u = parsed.data.usage;
        const usage: TranscriptionUsage = u
          ? u.type === 'tokens'
            ? { type: 'tokens', inputTokens: u.input_tokens, outputTokens: u.output_tokens }
            : { type: 'duration', seconds: u.seconds }
          : { type: 'duration', seconds: input.audioSeconds };
        return { text: parsed.data.text.trim(), model, usd: transcriptionUsd(model, usage, input.audioSeconds) };
      } catch (err) {
        const next = models[i + 1];
        if (next && isModelRefused(err)) {
          input.logger.warn('chat-audio: transcription model refused, trying the fallback', { refused: model, using: next });
          continue;
        }
        throw err;
      }
    }
    return null;
  } catch (err) {
    if (!isAbort(err)) {
      input.logger.warn('chat-audio: user transcript unavailable', { error: redact(err instanceof Error ? err.message : String(err)) });
    }
    return null;
  }
}

/**
 * The user transcripts running beside the answers: each fills in its turn's entry when it comes (and
 * tells the session), and its cost waits to be added to the next response's cost.
 */
export class UserTranscripts {
  #running = new Set<AbortController>();
  #pendingCosts: (number | null)[] = [];

  /** Starts transcribing a spoken turn; `done` gets the words, unless aborted or none came. */
  start(input: Omit<TranscribeInput, 'signal'>, done: (text: string) => void): void {
    const controller = new AbortController();
    this.#running.add(controller);
    void transcribeUserTurn({ ...input, signal: controller.signal }).then((result) => {
      this.#running.delete(controller);
      if (controller.signal.aborted || !result) return;
      this.#pendingCosts.push(result.usd);
      if (result.text) done(result.text);
    });
  }

  /** Known costs of transcripts not yet added to a response (null: one could not be priced). */
  takeCosts(): (number | null)[] {
    const costs = this.#pendingCosts;
    this.#pendingCosts = [];
    return costs;
  }

  abortAll(): void {
    for (const c of this.#running) c.abort();
    this.#running.clear();
  }

  clearCosts(): void {
    this.#pendingCosts = [];
  }
}
