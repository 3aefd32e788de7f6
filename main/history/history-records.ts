/**
 * The lines of a conversation file (JSON Lines, one record per line, appended as they happen).
 * Every line is validated on read; a line that does not parse (a crash mid-write) is skipped.
 */
import { z } from 'zod';
import { NoticeSchema, TurnMetricsSchema } from '../../preload/contract.ts';
import type { ToolAuditRecord } from '../tools/tool-host.ts';

export const HISTORY_FORMAT = 1;

export const ToolAuditRecordSchema = z.object({
  conversationId: z.string(),
  callId: z.string(),
  name: z.string(),
  argumentsJson: z.string(),
  decision: z.enum(['allowed', 'allowed-once', 'allowed-always', 'denied', 'timeout', 'not-needed']),
  status: z.enum(['done', 'denied', 'error']),
  durationMs: z.number().nonnegative(),
  resultBytes: z.number().int().nonnegative(),
  at: z.number(),
});
// Keep the schema and the tool layer's interface in step.
const _auditCheck = (record: ToolAuditRecord): z.input<typeof ToolAuditRecordSchema> => record;
const _auditCheckBack = (record: z.output<typeof ToolAuditRecordSchema>): ToolAuditRecord => record;

export const StartRecordSchema = z.object({
  type: z.literal('start'),
  format: z.literal(HISTORY_FORMAT),
  conversationId: z.string(),
  at: z.number(),
  model: z.string(),
  voice: z.string(),
  engine: z.string().optional(),
});

export const TranscriptRecordSchema = z.object({
  type: z.literal('transcript'),
  at: z.number(),
  itemId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** The assistant was cut off; `text` is what the user heard. */
  truncated: z.boolean(),
  /** A user message that showed a picture: its label (Transcript.picture); absent in older files. */
  picture: z.string().optional(),
});

export const ToolRecordSchema = z.object({ type: z.literal('tool'), at: z.number(), audit: ToolAuditRecordSchema });

/** Files written before costEstimated existed have none: their costs were all reported, not estimated. */
const StoredTurnMetricsSchema = TurnMetricsSchema.extend({ costEstimated: z.boolean().default(false) });

export const TurnRecordSchema = z.object({ type: z.literal('turn'), at: z.number(), metrics: StoredTurnMetricsSchema });

export const NoticeRecordSchema = z.object({ type: z.literal('notice'), at: z.number(), notice: NoticeSchema });

/**
 * A picture shown to the model (a screen capture or a file) and what reading it cost: the image
 * tokens the response that read it reported (main/voice/image-costs.ts), priced. Its cost is already
 * part of that turn's metrics; this line says which part was the picture.
 */
export const ImageRecordSchema = z.object({
  type: z.literal('image'),
  at: z.number(),
  turnId: z.string(),
  label: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  detail: z.enum(['auto', 'low', 'high']),
  estimatedTokens: z.number().int().nonnegative(),
  imageTokens: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  model: z.string(),
});

export const HistoryRecordSchema = z.discriminatedUnion('type', [
  StartRecordSchema,
  TranscriptRecordSchema,
  ToolRecordSchema,
  TurnRecordSchema,
  NoticeRecordSchema,
  ImageRecordSchema,
]);

export type StartRecord = z.infer<typeof StartRecordSchema>;
export type TranscriptRecord = z.infer<typeof TranscriptRecordSchema>;
export type ToolRecord = z.infer<typeof ToolRecordSchema>;
export type TurnRecord = z.infer<typeof TurnRecordSchema>;
export type NoticeRecord = z.infer<typeof NoticeRecordSchema>;
export type ImageRecord = z.infer<typeof ImageRecordSchema>;
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;
