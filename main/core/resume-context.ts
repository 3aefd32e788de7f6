/**
 * What an earlier conversation contributes when it is picked back up: its words, in order, as the
 * text history a new session replays (HistoryEntry), with the tools it used summarised in a line each
 * and everything bounded, so resuming a long conversation does not re-send (and pay for) all of it.
 *
 * Tool outputs are not kept in the history file (only what was called, with which arguments, and how
 * it ended), so the summary says that much and no more; the model can call the tool again.
 */
import type { Conversation, ConversationEntry } from '../history/conversation.ts';
import type { HistoryEntry } from '../voice/index.ts';
import { userLineForModel } from '../voice/index.ts';

export interface ResumeBounds {
  /** The most recent entries kept (user and assistant texts), oldest dropped first. */
  maxEntries: number;
  /** Longest text of one entry. */
  maxEntryChars: number;
  /** Longest tool line (name and arguments). */
  maxToolChars: number;
}

export const DEFAULT_RESUME_BOUNDS: ResumeBounds = { maxEntries: 40, maxEntryChars: 2000, maxToolChars: 200 };

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

function toolLine(entry: Extract<ConversationEntry, { type: 'tool' }>, max: number): string {
  const { name, argumentsJson, status } = entry.audit;
  const outcome = status === 'done' ? 'done' : status === 'denied' ? 'not allowed by the user' : 'failed';
  return cut(`[earlier tool call: ${name} ${argumentsJson.replace(/\s+/g, ' ')} → ${outcome}]`, max);
}

export function resumeHistory(conversation: Conversation, bounds: ResumeBounds = DEFAULT_RESUME_BOUNDS): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let pendingTools: string[] = [];
  for (const entry of conversation.entries) {
    if (entry.type === 'tool') pendingTools.push(toolLine(entry, bounds.maxToolChars));
    if (entry.type !== 'transcript' || (!entry.text.trim() && entry.picture === undefined)) continue;
    if (entry.role === 'user') {
      out.push({ role: 'user', text: cut(userLineForModel(entry.text.trim(), entry.picture ?? null), bounds.maxEntryChars) });
      continue;
    }
    // What the user heard of the answer, after the tools it used; a cut answer says so.
    const said = entry.truncated ? `${entry.text.trim()} [the user interrupted here]` : entry.text.trim();
    out.push({ role: 'assistant', text: cut([...pendingTools, said].join('\n'), bounds.maxEntryChars) });
    pendingTools = [];
  }
  return out.slice(-bounds.maxEntries);
}
