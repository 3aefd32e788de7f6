/**
 * Conversations on disk: one JSON Lines file per conversation under a folder the app passes (user
 * data). Records are appended as they happen and files are never rewritten; reading skips a torn
 * or damaged line and keeps the rest. List, search, read, delete, export to Markdown, and delete
 * conversations older than the retention setting.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notice, Transcript, TurnMetrics } from '../../preload/contract.ts';
import type { ToolAuditRecord } from '../tools/tool-host.ts';
import type { Clock } from '../base/clock.ts';
import { buildConversation, summaryOf, type Conversation, type ConversationSummary } from './conversation.ts';
import { HISTORY_FORMAT, HistoryRecordSchema, type HistoryRecord, type ImageRecord } from './history-records.ts';
import { JsonLinesAppender, readJsonLines } from './jsonl.ts';
import { conversationToMarkdown, type MarkdownOptions } from './markdown-export.ts';

const EXTENSION = '.jsonl';
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ConversationHistoryOptions {
  /** The folder that holds the conversation files (created when missing). */
  dir: string;
  clock: Pick<Clock, 'epochMs'>;
  /** Time zone for the Markdown export; the system's when absent. */
  timeZone?: string;
  /**
   * Told when a record could not be written (a full disk): the record is kept in memory and written
   * with the next one. Once per failure streak, and again with `level: 'info'` when writing works again.
   */
  notice?: (notice: Notice) => void;
}

export interface SearchResult extends ConversationSummary {
  /** The transcript line that matched, shortened around the match. */
  snippet: string;
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

export function assertConversationId(id: string): void {
  if (!SAFE_ID.test(id) || id.includes('..')) {
    throw new HistoryError(`"${id.slice(0, 40)}" is not a valid conversation id (letters, digits, . _ - only).`);
  }
}

function snippetAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

export class ConversationHistory {
  readonly #dir: string;
  readonly #clock: Pick<Clock, 'epochMs'>;
  readonly #timeZone: string | undefined;
  readonly #appenders = new Map<string, JsonLinesAppender>();
  readonly #notice: (notice: Notice) => void;
  #ready: Promise<void> | null = null;
  /** Whether the last write failed (the user has been told). */
  #failing = false;

  constructor(options: ConversationHistoryOptions) {
    this.#dir = options.dir;
    this.#clock = options.clock;
    this.#timeZone = options.timeZone;
    this.#notice = options.notice ?? (() => undefined);
  }

  get dir(): string {
    return this.#dir;
  }

  pathOf(id: string): string {
    assertConversationId(id);
    return join(this.#dir, `${id}${EXTENSION}`);
  }

  // ---------- writing ----------

  start(info: { conversationId: string; model: string; voice: string; engine?: string }): Promise<void> {
    return this.#append(info.conversationId, {
      type: 'start',
      format: HISTORY_FORMAT,
      conversationId: info.conversationId,
      at: this.#clock.epochMs(),
      model: info.model,
      voice: info.voice,
      ...(info.engine ? { engine: info.engine } : {}),
    });
  }

  /** Only final transcripts are kept; a later final record for the same item (a barge-in correction) replaces it on read. */
  async recordTranscript(transcript: Transcript): Promise<void> {
    if (!transcript.final) return;
    await this.#append(transcript.conversationId, {
      type: 'transcript',
      at: this.#clock.epochMs(),
      itemId: transcript.itemId,
      role: transcript.role,
      text: transcript.text,
      truncated: transcript.truncated,
      ...(transcript.picture !== undefined ? { picture: transcript.picture } : {}),
    });
  }

  recordTool(audit: ToolAuditRecord): Promise<void> {
    return this.#append(audit.conversationId, { type: 'tool', at: audit.at, audit });
  }

  recordTurn(metrics: TurnMetrics): Promise<void> {
    return this.#append(metrics.conversationId, { type: 'turn', at: this.#clock.epochMs(), metrics });
  }

  /** A picture shown to the model, with the image tokens and cost of reading it (main/voice/image-costs.ts). */
  recordImage(cost: Omit<ImageRecord, 'type'> & { conversationId: string }): Promise<void> {
    const { conversationId, at, turnId, label, width, height, detail, estimatedTokens, imageTokens, costUsd, model } = cost;
    return this.#append(conversationId, { type: 'image', at, turnId, label, width, height, detail, estimatedTokens, imageTokens, costUsd, model });
  }

  recordNotice(conversationId: string, notice: Notice): Promise<void> {
    return this.#append(conversationId, { type: 'notice', at: this.#clock.epochMs(), notice });
  }

  /** Resolves when every record written so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([...this.#appenders.values()].map((appender) => appender.flush()));
  }

  // ---------- reading ----------

  async get(id: string): Promise<Conversation | null> {
    const path = this.pathOf(id);
    await this.#appenders.get(id)?.flush();
    const read = await readJsonLines(path, HistoryRecordSchema);
    if (read === null) return null;
    const fallback = await stat(path).then((s) => s.mtimeMs).catch(() => this.#clock.epochMs());
    return buildConversation(id, read.records, read.skipped, fallback);
  }

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    return (await this.#all()).map(summaryOf);
  }

  /** Conversations whose transcript contains `query` (case-insensitive, spaces normalised), newest first. */
  async search(query: string): Promise<SearchResult[]> {
    const needle = query.replace(/\s+/g, ' ').trim().toLowerCase();
    if (!needle) return (await this.list()).map((summary) => ({ ...summary, snippet: '' }));
    const results: SearchResult[] = [];
    for (const conversation of await this.#all()) {
      for (const entry of conversation.entries) {
        if (entry.type !== 'transcript') continue;
        const text = entry.text.replace(/\s+/g, ' ');
        const index = text.toLowerCase().indexOf(needle);
        if (index >= 0) {
          results.push({ ...summaryOf(conversation), snippet: snippetAround(text, index, needle.length) });
          break;
        }
      }
    }
    return results;
  }

  async delete(id: string): Promise<boolean> {
    const path = this.pathOf(id);
    await this.#appenders.get(id)?.flush();
    this.#appenders.delete(id);
    try {
      await stat(path);
    } catch {
      return false;
    }
    await rm(path, { force: true });
    return true;
  }

  /** Markdown of one conversation; throws HistoryError when it does not exist. */
  async exportMarkdown(id: string, options: MarkdownOptions = {}): Promise<string> {
    const conversation = await this.get(id);
    if (!conversation) throw new HistoryError(`There is no conversation "${id}" to export; it may have been deleted.`);
    return conversationToMarkdown(conversation, { timeZone: this.#timeZone, ...options });
  }

  /**
   * Deletes conversations whose last activity is older than `days` days (null keeps everything).
   * Returns the ids it deleted.
   */
  async applyRetention(days: number | null): Promise<string[]> {
    if (days === null || !Number.isFinite(days) || days <= 0) return [];
    const cutoff = this.#clock.epochMs() - days * DAY_MS;
    const deleted: string[] = [];
    for (const conversation of await this.#all()) {
      if (conversation.lastActivityAt < cutoff) {
        if (await this.delete(conversation.id)) deleted.push(conversation.id);
      }
    }
    return deleted;
  }

  // ---------- internals ----------

  async #all(): Promise<Conversation[]> {
    await this.#ensureDir();
    await this.flush();
    const names = (await readdir(this.#dir)).filter((name) => name.endsWith(EXTENSION));
    const conversations: Conversation[] = [];
    for (const name of names) {
      const id = name.slice(0, -EXTENSION.length);
      if (!SAFE_ID.test(id)) continue;
      const conversation = await this.get(id).catch(() => null);
      if (conversation) conversations.push(conversation);
    }
    return conversations.sort((a, b) => b.startedAt - a.startedAt);
  }

  #ensureDir(): Promise<void> {
    this.#ready ??= mkdir(this.#dir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = null; // try again next time
        throw error;
      },
    );
    return this.#ready;
  }

  async #append(id: string, record: HistoryRecord): Promise<void> {
    const path = this.pathOf(id);
    let appender = this.#appenders.get(id);
    if (!appender) {
      appender = new JsonLinesAppender(path);
      this.#appenders.set(id, appender);
    }
    const parsed = HistoryRecordSchema.parse(record);
    // Records of other conversations that failed earlier go first (they wait in their appenders).
    if (this.#failing) for (const other of this.#appenders.values()) if (other !== appender && other.pending > 0) void other.retry().catch(() => undefined);
    // A folder that cannot be created makes the append below fail, which keeps the record for later.
    await this.#ensureDir().catch(() => undefined);
    try {
      await appender.append(parsed);
    } catch (error) {
      // A write that fails must never take the app down (callers fire and forget): the record stays
      // in memory, is written with the next one, and the user hears about it once.
      if (!this.#failing) {
        this.#failing = true;
        const code = (error as NodeJS.ErrnoException).code;
        this.#notice({
          level: 'warning',
          subject: 'history',
          message:
            code === 'ENOSPC'
              ? `The conversation history could not be saved: the disk is full (${this.#dir}). What was said is kept in memory and saved as soon as there is room.`
              : `The conversation history could not be saved to ${this.#dir} (${error instanceof Error ? error.message : String(error)}). What was said is kept in memory and saved once writing works again.`,
          action: code === 'ENOSPC' ? 'Free some disk space; nothing needs to be redone.' : 'Check that the folder is writable.',
        });
      }
      return;
    }
    if (this.#failing) {
      this.#failing = false;
      this.#notice({ level: 'info', message: 'The conversation history is being saved again; nothing was lost.', subject: 'history' });
    }
  }
}

/**
 * Applies the retention setting now and then every 24 hours. `onDeleted` hears what was removed;
 * failures go to `onError` and never stop the schedule.
 */
export function scheduleRetention(options: {
  history: ConversationHistory;
  clock: Pick<Clock, 'setTimeout'>;
  retentionDays: () => number | null;
  onDeleted?: (ids: string[]) => void;
  onError?: (error: unknown) => void;
}): { stop(): void; done: Promise<void> } {
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  const run = async (): Promise<void> => {
    try {
      const ids = await options.history.applyRetention(options.retentionDays());
      if (ids.length) options.onDeleted?.(ids);
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = options.clock.setTimeout(() => void run(), DAY_MS);
  };
  const done = run();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
    done,
  };
}
