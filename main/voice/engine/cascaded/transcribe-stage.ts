/**
 * Stage 1: the turn's audio → text, with `audio.transcriptions.create` (TranscriptionCreateParams in
 * openai/resources/audio/transcriptions.d.ts). Streamed (`stream: true` → `transcript.text.delta` …
 * `transcript.text.done` with usage) where the API streams: OpenAI's endpoint, any model but whisper-1
 * ("Streaming is not supported for the whisper-1 model"). A stage on its own server gets a plain
 * request: a local server may not speak the SSE form. `keywords` and `languages` go only to the models
 * that take them ("Supported by gpt-transcribe"); language and prompt to all.
 */
import { toFile } from 'openai';
import type { Stream } from 'openai/streaming';
import type { TranscriptionCreateParamsBase, TranscriptionStreamEvent } from 'openai/resources/audio/transcriptions';
import { z } from 'zod';
import type { Clock } from '../../../base/clock.ts';
import type { VoiceConfig } from '../../config.ts';
import { transcriptionTakesKeywords } from '../../cost/models.ts';
import type { TranscriptionUsage } from '../../cost/http-prices.ts';
import type { Stage } from '../http/stage-client.ts';
import { requestControl } from '../http/request-control.ts';

export interface TranscribeInput {
  stage: Stage;
  model: string;
  wav: Uint8Array;
  transcription: VoiceConfig['transcription'];
  signal: AbortSignal;
  clock: Clock;
  idleMs: number;
  onDelta: (delta: string) => void;
  /** The service answered a streamed request (its headers came): from here on it is billed even if cut off. */
  onAnswered?: () => void;
}

export interface TranscribeResult {
  text: string;
  usage: TranscriptionUsage | null;
}

const UsageSchema = z.union([
  z.object({ type: z.literal('tokens'), input_tokens: z.number().nonnegative(), output_tokens: z.number().nonnegative() }).loose(),
  z.object({ type: z.literal('duration'), seconds: z.number().nonnegative() }).loose(),
]);
const ResultSchema = z.object({ text: z.string(), usage: UsageSchema.optional() }).loose();
const EventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('transcript.text.delta'), delta: z.string() }).loose(),
  z.object({ type: z.literal('transcript.text.done'), text: z.string(), usage: UsageSchema.optional() }).loose(),
  z.object({ type: z.literal('transcript.text.segment') }).loose(),
]);

function usageOf(u: z.infer<typeof UsageSchema> | undefined): TranscriptionUsage | null {
  if (!u) return null;
  return u.type === 'tokens' ? { type: 'tokens', inputTokens: u.input_tokens, outputTokens: u.output_tokens } : { type: 'duration', seconds: u.seconds };
}

export function streamsTranscripts(stage: Stage, model: string): boolean {
  return stage.mainEndpoint && !/^whisper-1\b/.test(model);
}

export async function transcribe(input: TranscribeInput): Promise<TranscribeResult> {
  const { stage, model, transcription: t } = input;
  const params: TranscriptionCreateParamsBase = {
    file: await toFile(input.wav, 'turn.wav', { type: 'audio/wav' }),
    model,
    response_format: 'json',
    ...(t?.language ? { language: t.language } : {}),
    ...(t?.prompt ? { prompt: t.prompt } : {}),
    ...(t?.keywords?.length && transcriptionTakesKeywords(model) ? { keywords: t.keywords } : {}),
    ...(t?.languages?.length && transcriptionTakesKeywords(model) ? { languages: t.languages } : {}),
  };
  const rc = requestControl(input.signal, input.clock, input.idleMs);
  try {
    if (!streamsTranscripts(stage, model)) {
      const raw: unknown = await stage.client.audio.transcriptions.create({ ...params, stream: false }, { signal: rc.signal });
      const parsed = ResultSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`the transcription answer was not understood (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
      if (parsed.data.text) input.onDelta(parsed.data.text);
      return { text: parsed.data.text, usage: usageOf(parsed.data.usage) };
    }
    const stream: Stream<TranscriptionStreamEvent> = await stage.client.audio.transcriptions.create({ ...params, stream: true }, { signal: rc.signal });
    rc.alive();
    input.onAnswered?.();
    let text = '';
    let usage: TranscriptionUsage | null = null;
    let done = false;
    for await (const raw of stream) {
      rc.alive();
      const e = EventSchema.safeParse(raw);
      if (!e.success) continue; // an event of a kind we do not use
      if (e.data.type === 'transcript.text.delta') {
        text += e.data.delta;
        input.onDelta(e.data.delta);
      } else if (e.data.type === 'transcript.text.done') {
        text = e.data.text;
        usage = usageOf(e.data.usage);
        done = true;
      }
    }
    if (!done) throw new Error('the transcription stream ended without its final event');
    return { text, usage };
  } catch (err) {
    throw rc.reason(err);
  } finally {
    rc.done();
  }
}
