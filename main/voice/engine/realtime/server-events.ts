/**
 * zod schemas for the Realtime server events the engine handles (GA protocol). Only the fields we read
 * are required; unknown event types are ignored, a malformed known event is logged and skipped.
 */
import { z } from 'zod';

const UsageSchema = z.looseObject({
  total_tokens: z.number().optional(),
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  input_token_details: z
    .looseObject({
      text_tokens: z.number().optional(),
      audio_tokens: z.number().optional(),
      image_tokens: z.number().optional(),
      cached_tokens: z.number().optional(),
      cached_tokens_details: z
        .looseObject({ text_tokens: z.number().optional(), audio_tokens: z.number().optional(), image_tokens: z.number().optional() })
        .nullish(),
    })
    .nullish(),
  output_token_details: z
    .looseObject({ text_tokens: z.number().optional(), audio_tokens: z.number().optional() })
    .nullish(),
});
export type ResponseUsage = z.infer<typeof UsageSchema>;

const OutputItemSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  role: z.string().optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  /** mcp_approval_request / mcp_call / mcp_list_tools (RealtimeMcp* in openai/resources/realtime/realtime.d.ts). */
  server_label: z.string().optional(),
});

/** An mcp_list_tools item's tools: the annotations (readOnlyHint…) a native approval may rely on. */
const McpListedToolSchema = z.looseObject({ name: z.string(), annotations: z.looseObject({}).nullish() });

const base = { event_id: z.string().optional() };

export const ServerEventSchemas = {
  error: z.looseObject({
    ...base,
    type: z.literal('error'),
    error: z.looseObject({
      type: z.string().nullish(),
      code: z.string().nullish(),
      message: z.string().nullish(),
      param: z.string().nullish(),
      event_id: z.string().nullish(),
    }),
  }),
  'session.created': z.looseObject({ ...base, type: z.literal('session.created'), session: z.looseObject({}) }),
  'session.updated': z.looseObject({ ...base, type: z.literal('session.updated'), session: z.looseObject({}) }),
  'input_audio_buffer.committed': z.looseObject({
    ...base,
    type: z.literal('input_audio_buffer.committed'),
    item_id: z.string(),
  }),
  'input_audio_buffer.cleared': z.looseObject({ ...base, type: z.literal('input_audio_buffer.cleared') }),
  'input_audio_buffer.speech_started': z.looseObject({
    ...base,
    type: z.literal('input_audio_buffer.speech_started'),
    item_id: z.string().optional(),
    audio_start_ms: z.number().optional(),
  }),
  'input_audio_buffer.speech_stopped': z.looseObject({
    ...base,
    type: z.literal('input_audio_buffer.speech_stopped'),
    item_id: z.string().optional(),
  }),
  'conversation.item.input_audio_transcription.delta': z.looseObject({
    ...base,
    type: z.literal('conversation.item.input_audio_transcription.delta'),
    item_id: z.string(),
    delta: z.string(),
  }),
  'conversation.item.input_audio_transcription.completed': z.looseObject({
    ...base,
    type: z.literal('conversation.item.input_audio_transcription.completed'),
    item_id: z.string(),
    transcript: z.string(),
  }),
  'conversation.item.input_audio_transcription.failed': z.looseObject({
    ...base,
    type: z.literal('conversation.item.input_audio_transcription.failed'),
    item_id: z.string(),
  }),
  'conversation.item.truncated': z.looseObject({
    ...base,
    type: z.literal('conversation.item.truncated'),
    item_id: z.string(),
    audio_end_ms: z.number(),
  }),
  'conversation.item.deleted': z.looseObject({
    ...base,
    type: z.literal('conversation.item.deleted'),
    item_id: z.string(),
  }),
  'response.created': z.looseObject({
    ...base,
    type: z.literal('response.created'),
    response: z.looseObject({ id: z.string() }),
  }),
  'response.output_item.added': z.looseObject({
    ...base,
    type: z.literal('response.output_item.added'),
    response_id: z.string(),
    item: OutputItemSchema,
  }),
  'response.output_item.done': z.looseObject({
    ...base,
    type: z.literal('response.output_item.done'),
    response_id: z.string(),
    item: OutputItemSchema,
  }),
  'response.output_audio.delta': z.looseObject({
    ...base,
    type: z.literal('response.output_audio.delta'),
    response_id: z.string(),
    item_id: z.string(),
    delta: z.string(),
  }),
  'response.output_audio.done': z.looseObject({
    ...base,
    type: z.literal('response.output_audio.done'),
    response_id: z.string(),
    item_id: z.string(),
  }),
  'response.output_audio_transcript.delta': z.looseObject({
    ...base,
    type: z.literal('response.output_audio_transcript.delta'),
    response_id: z.string(),
    item_id: z.string(),
    delta: z.string(),
  }),
  'response.output_audio_transcript.done': z.looseObject({
    ...base,
    type: z.literal('response.output_audio_transcript.done'),
    response_id: z.string(),
    item_id: z.string(),
    transcript: z.string(),
  }),
  'response.output_text.delta': z.looseObject({
    ...base,
    type: z.literal('response.output_text.delta'),
    response_id: z.string(),
    item_id: z.string(),
    delta: z.string(),
  }),
  'response.output_text.done': z.looseObject({
    ...base,
    type: z.literal('response.output_text.done'),
    response_id: z.string(),
    item_id: z.string(),
    text: z.string(),
  }),
  'response.function_call_arguments.done': z.looseObject({
    ...base,
    type: z.literal('response.function_call_arguments.done'),
    response_id: z.string(),
    item_id: z.string(),
    call_id: z.string(),
    name: z.string().optional(),
    arguments: z.string(),
  }),
  'response.done': z.looseObject({
    ...base,
    type: z.literal('response.done'),
    response: z.looseObject({
      id: z.string(),
      status: z.string().optional(),
      output: z.array(OutputItemSchema).optional(),
      usage: UsageSchema.nullish(),
      status_details: z
        .looseObject({
          type: z.string().optional(),
          reason: z.string().nullish(),
          error: z.looseObject({ type: z.string().nullish(), code: z.string().nullish() }).nullish(),
        })
        .nullish(),
    }),
  }),
  /** Only read for native MCP: the server's tool list (an mcp_list_tools item) as it completes. */
  'conversation.item.done': z.looseObject({
    ...base,
    type: z.literal('conversation.item.done'),
    item: OutputItemSchema.extend({ tools: z.array(McpListedToolSchema).optional() }),
  }),
  'rate_limits.updated': z.looseObject({
    ...base,
    type: z.literal('rate_limits.updated'),
    rate_limits: z.array(
      z.looseObject({
        name: z.string().optional(),
        limit: z.number().optional(),
        remaining: z.number().optional(),
        reset_seconds: z.number().optional(),
      }),
    ),
  }),
} as const;

export type ServerEventType = keyof typeof ServerEventSchemas;
export type ServerEvent<K extends ServerEventType> = z.infer<(typeof ServerEventSchemas)[K]>;

export type ParsedServerEvent =
  | { kind: 'ignored'; type: string }
  | { kind: 'malformed'; type: string; issues: string }
  | { [K in ServerEventType]: { kind: 'ok'; type: K; event: ServerEvent<K> } }[ServerEventType];

export function parseServerEvent(raw: unknown): ParsedServerEvent {
  const type =
    typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string' ? raw.type : '(no type)';
  if (!Object.hasOwn(ServerEventSchemas, type)) return { kind: 'ignored', type };
  const key = type as ServerEventType;
  const result = ServerEventSchemas[key].safeParse(raw);
  if (!result.success) {
    return { kind: 'malformed', type, issues: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { kind: 'ok', type: key, event: result.data } as ParsedServerEvent;
}

export type RateLimit = ServerEvent<'rate_limits.updated'>['rate_limits'][number];
