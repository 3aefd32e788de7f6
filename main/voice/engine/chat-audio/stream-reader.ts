/**
 * Reads one streamed Chat Completions answer with audio (ChatCompletionChunk in
 * openai/resources/chat/completions/completions.d.ts): `delta.audio` carries the audio id, base64
 * PCM16 24 kHz `data` (we ask for `format: 'pcm16'`, the only format allowed with `stream: true`),
 * `transcript` pieces and, in the last audio update, `expires_at`; `delta.content` is the text of a
 * text-only answer; `delta.tool_calls` arrive in pieces keyed by `index` (id, name and arguments
 * split across chunks); the usage chunk (`stream_options.include_usage`) has no choices.
 *
 * Every chunk is checked with zod before use (network input); a malformed one is skipped and logged.
 */
import { z } from 'zod';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ToolCallRecord } from '../http/chat-messages.ts';

const AudioDeltaSchema = z.object({
  id: z.string().optional(),
  data: z.string().optional(),
  transcript: z.string().optional(),
  expires_at: z.number().optional(),
});

const ToolCallDeltaSchema = z.object({
  index: z.number().int().min(0),
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

const UsageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  prompt_tokens_details: z
    .object({
      audio_tokens: z.number().optional(),
      cached_tokens: z.number().optional(),
      image_tokens: z.number().optional(),
      text_tokens: z.number().optional(),
    })
    .nullish(),
  completion_tokens_details: z
    .object({
      audio_tokens: z.number().optional(),
      reasoning_tokens: z.number().optional(),
      text_tokens: z.number().optional(),
    })
    .nullish(),
});

export const ChunkSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z.array(
    z.object({
      index: z.number().optional(),
      finish_reason: z.string().nullish(),
      delta: z
        .object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          audio: AudioDeltaSchema.nullish(),
          tool_calls: z.array(ToolCallDeltaSchema).nullish(),
        })
        .optional(),
    }),
  ),
  usage: UsageSchema.nullish(),
});

export interface StreamHandlers {
  /** Base64 PCM16 24 kHz audio of the answer. */
  audio(base64: string): void;
  /** A piece of the spoken answer's transcript. */
  transcript(delta: string): void;
  /** A piece of a text answer (text-only turns, or a model that answered in text). */
  text(delta: string): void;
  /** Called for every chunk: the stream is alive (idle timer). */
  alive(): void;
  malformed(issues: string): void;
}

export interface StreamResult {
  audioId: string | null;
  /** expires_at as epoch milliseconds. */
  expiresAtMs: number | null;
  transcript: string;
  text: string;
  toolCalls: ToolCallRecord[];
  /** Tool call pieces that never got an id or a name (dropped, logged by the caller). */
  brokenToolCalls: number;
  finishReason: string | null;
  usage: CompletionUsage | null;
  /** The model the service says answered (a snapshot name), when it said. */
  model: string | null;
}

export async function readChatAudioStream(stream: AsyncIterable<unknown>, h: StreamHandlers): Promise<StreamResult> {
  const result: StreamResult = {
    audioId: null,
    expiresAtMs: null,
    transcript: '',
    text: '',
    toolCalls: [],
    brokenToolCalls: 0,
    finishReason: null,
    usage: null,
    model: null,
  };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const raw of stream) {
    h.alive();
    const parsed = ChunkSchema.safeParse(raw);
    if (!parsed.success) {
      h.malformed(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      continue;
    }
    const chunk = parsed.data;
    if (chunk.model) result.model = chunk.model;
    if (chunk.usage) result.usage = chunk.usage as CompletionUsage;
    for (const choice of chunk.choices) {
      if ((choice.index ?? 0) !== 0) continue; // n = 1: only the first choice exists
      if (choice.finish_reason) result.finishReason = choice.finish_reason;
      const d = choice.delta;
      if (!d) continue;
      const a = d.audio;
      if (a) {
        if (a.id) result.audioId = a.id;
        if (typeof a.expires_at === 'number') result.expiresAtMs = a.expires_at * 1000;
        if (a.data) h.audio(a.data);
        if (a.transcript) {
          result.transcript += a.transcript;
          h.transcript(a.transcript);
        }
      }
      const text = (d.content ?? '') + (d.refusal ?? '');
      if (text) {
        result.text += text;
        h.text(text);
      }
      for (const tc of d.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) call.id = tc.id;
        // The name comes whole in the first piece; some compatible servers repeat it in later ones.
        const name = tc.function?.name;
        if (name && name !== call.name) call.name += name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(tc.index, call);
      }
    }
  }
  for (const [, c] of [...calls.entries()].sort((x, y) => x[0] - y[0])) {
    if (c.id && c.name) result.toolCalls.push({ id: c.id, name: c.name, arguments: c.arguments || '{}' });
    else result.brokenToolCalls++;
  }
  return result;
}
