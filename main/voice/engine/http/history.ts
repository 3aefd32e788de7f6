/**
 * The conversation an HTTP engine re-sends with every Chat Completions request: user messages (text
 * or content parts), assistant messages (text and tool calls), tool results. Shared by both HTTP
 * engines; keep the API stable.
 *
 * - Serialised per the Chat Completions rules (ChatCompletionMessageParam in
 *   openai/resources/chat/completions/completions.d.ts): every assistant message with `tool_calls` is
 *   followed by one `tool` message per call id, or the request is refused (400). A tool result that has
 *   not arrived (the user barged in while it ran) is stood in for by a short placeholder, and a result
 *   that arrives later is put right after its call, wherever the conversation is by then.
 * - Barge-in: an assistant answer is cut to what the user heard and marked as interrupted in words
 *   the model understands; an answer nobody heard is removed (its tool calls stay: they ran).
 * - Bounded: only the last `replayTurns` user turns (and what followed them) are sent.
 */
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { HistoryEntry } from '../engine.ts';
import { interruptedText, toolCallParams, toolResultMessages } from './chat-messages.ts';
import type { ToolCallRecord } from './chat-messages.ts';

type Entry =
  | { kind: 'user'; id: string; content: string | ChatCompletionContentPart[]; startsTurn: boolean }
  | { kind: 'assistant'; id: string; text: string; toolCalls: ToolCallRecord[]; interrupted: boolean };

export class ChatHistory {
  #entries: Entry[] = [];
  #toolOutputs = new Map<string, string>();

  /**
   * A user message. `startsTurn: false` for one that belongs to the turn under way (a tool's picture
   * sent after its output): it counts neither as a turn of its own nor against `replayTurns`.
   */
  addUser(id: string, content: string | ChatCompletionContentPart[], options: { startsTurn?: boolean } = {}): void {
    this.#entries.push({ kind: 'user', id, content, startsTurn: options.startsTurn ?? true });
  }

  /** An answer (or a tool round's text and calls). Empty text with no calls is not kept. */
  addAssistant(id: string, text: string, toolCalls: ToolCallRecord[] = []): void {
    if (!text && toolCalls.length === 0) return;
    this.#entries.push({ kind: 'assistant', id, text, toolCalls, interrupted: false });
  }

  addToolOutput(callId: string, output: string): void {
    this.#toolOutputs.set(callId, output);
  }

  hasAssistant(id: string): boolean {
    return this.#entries.some((e) => e.kind === 'assistant' && e.id === id);
  }

  assistantText(id: string): string | null {
    const e = this.#entries.find((x) => x.kind === 'assistant' && x.id === id);
    return e?.kind === 'assistant' ? e.text : null;
  }

  /** Keep only what was heard of an answer ('' = nothing), marked as interrupted. */
  truncateAssistant(id: string, heard: string): void {
    const e = this.#entries.find((x) => x.kind === 'assistant' && x.id === id);
    if (e?.kind !== 'assistant') return;
    const kept = heard.trim();
    if (!kept) {
      this.deleteAssistant(id);
      return;
    }
    e.text = interruptedText(kept);
    e.interrupted = true;
  }

  /** The user heard none of it: its words go; tool calls it made stay (they ran). */
  deleteAssistant(id: string): void {
    const i = this.#entries.findIndex((x) => x.kind === 'assistant' && x.id === id);
    const e = this.#entries[i];
    if (e?.kind !== 'assistant') return;
    if (e.toolCalls.length > 0) {
      e.text = '';
      e.interrupted = true;
    } else this.#entries.splice(i, 1);
  }

  /** A position to roll back to when a turn fails (the session keeps no failed turn either). */
  mark(): number {
    return this.#entries.length;
  }

  rollback(mark: number): void {
    this.#entries.length = Math.min(this.#entries.length, mark);
  }

  userTurns(): number {
    return this.#entries.filter((e) => e.kind === 'user' && e.startsTurn).length;
  }

  /** Replace everything with a text history (a new engine taking over a conversation). */
  setFromText(entries: readonly HistoryEntry[]): void {
    this.clear();
    let n = 0;
    for (const e of entries) {
      const id = `hist_${n++}`;
      if (e.role === 'user') this.addUser(id, e.text);
      else this.addAssistant(id, e.text);
    }
  }

  clear(): void {
    this.#entries = [];
    this.#toolOutputs.clear();
  }

  /** The messages of a request: the instructions, then the last `replayTurns` user turns and what followed. */
  toMessages(instructions: string, replayTurns: number): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    if (instructions) out.push({ role: 'system', content: instructions });
    const userIdx = this.#entries.flatMap((e, i) => (e.kind === 'user' && e.startsTurn ? [i] : []));
    const keep = Math.max(1, replayTurns);
    const from = userIdx.length > keep ? (userIdx[userIdx.length - keep] ?? 0) : 0;
    for (const e of this.#entries.slice(from)) {
      if (e.kind === 'user') {
        out.push({ role: 'user', content: e.content });
        continue;
      }
      if (e.toolCalls.length === 0) {
        out.push({ role: 'assistant', content: e.text });
        continue;
      }
      out.push({
        role: 'assistant',
        content: e.text || null,
        tool_calls: toolCallParams(e.toolCalls),
      });
      out.push(...toolResultMessages(e.toolCalls, this.#toolOutputs));
    }
    return out;
  }
}
