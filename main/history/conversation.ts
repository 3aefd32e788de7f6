/**
 * A conversation as read back from its records: the start facts, the entries in order (a later
 * transcript record for the same item, e.g. the corrected text after a barge-in, replaces the
 * earlier one in place), the per-turn metrics, and the summary the list shows.
 */
import type { TurnMetrics } from '../../preload/contract.ts';
import type { HistoryRecord, ImageRecord, NoticeRecord, ToolRecord, TranscriptRecord } from './history-records.ts';

export type ConversationEntry = TranscriptRecord | ToolRecord | NoticeRecord | ImageRecord;

export interface ConversationSummary {
  id: string;
  /** The first sentence the user said, shortened. */
  title: string;
  startedAt: number;
  /** User turns (final user transcripts). */
  turns: number;
  costUsd: number;
  /** Part of costUsd is an estimate (a turn cut off before its usage was reported: TurnMetrics.costEstimated). */
  costEstimated: boolean;
}

export interface Conversation extends ConversationSummary {
  model: string | null;
  voice: string | null;
  engine: string | null;
  lastActivityAt: number;
  entries: ConversationEntry[];
  turnMetrics: TurnMetrics[];
  /** Lines that could not be read (a torn last line after a crash, for instance). */
  skippedLines: number;
}

export const UNTITLED = 'Untitled conversation';
const TITLE_MAX = 80;

/** The first sentence of `text`, at most 80 characters (cut at a word). */
export function titleFrom(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return UNTITLED;
  const sentence = /^(.+?[.!?…])(\s|$)/.exec(clean)?.[1] ?? clean;
  if (sentence.length <= TITLE_MAX) return sentence;
  const cut = sentence.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function buildConversation(id: string, records: readonly HistoryRecord[], skippedLines: number, fallbackTime: number): Conversation {
  const entries: ConversationEntry[] = [];
  const transcriptIndex = new Map<string, number>();
  const turnMetrics: TurnMetrics[] = [];
  let model: string | null = null;
  let voice: string | null = null;
  let engine: string | null = null;
  let startedAt = Number.POSITIVE_INFINITY;
  let lastActivityAt = Number.NEGATIVE_INFINITY;

  for (const record of records) {
    startedAt = Math.min(startedAt, record.at);
    lastActivityAt = Math.max(lastActivityAt, record.at);
    switch (record.type) {
      case 'start':
        model = record.model;
        voice = record.voice;
        engine = record.engine ?? null;
        break;
      case 'transcript': {
        const index = transcriptIndex.get(record.itemId);
        if (index === undefined) {
          transcriptIndex.set(record.itemId, entries.length);
          entries.push(record);
        } else {
          entries[index] = record;
        }
        break;
      }
      case 'tool':
      case 'notice':
      case 'image':
        entries.push(record);
        break;
      case 'turn':
        turnMetrics.push(record.metrics);
        if (model === null) model = record.metrics.model;
        break;
    }
  }
  const userLines = entries.filter((e): e is TranscriptRecord => e.type === 'transcript' && e.role === 'user');
  const firstSaid = userLines.find((e) => e.text.trim() !== '' || e.picture !== undefined);
  const costUsd = turnMetrics.reduce((sum, m) => sum + m.costUsd, 0);
  const costEstimated = turnMetrics.some((m) => m.costEstimated);
  return {
    id,
    title: firstSaid ? titleFrom(firstSaid.text.trim() || `Showed: ${firstSaid.picture ?? ''}`) : UNTITLED,
    startedAt: Number.isFinite(startedAt) ? startedAt : fallbackTime,
    lastActivityAt: Number.isFinite(lastActivityAt) ? lastActivityAt : fallbackTime,
    turns: userLines.length,
    costUsd,
    costEstimated,
    model,
    voice,
    engine,
    entries,
    turnMetrics,
    skippedLines,
  };
}

export function summaryOf(conversation: Conversation): ConversationSummary {
  const { id, title, startedAt, turns, costUsd, costEstimated } = conversation;
  return { id, title, startedAt, turns, costUsd, costEstimated };
}
