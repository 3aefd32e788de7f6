/** A stored conversation entry as the window's history view receives it (contract HistoryEntry). */
import type { HistoryEntry } from '../../preload/contract.ts';
import type { ConversationEntry } from './conversation.ts';

export function historyEntryView(entry: ConversationEntry): HistoryEntry {
  if (entry.type === 'transcript') {
    const { role, text, truncated, picture, at } = entry;
    return { kind: 'transcript', role, text, truncated, ...(picture !== undefined ? { picture } : {}), at };
  }
  if (entry.type === 'tool') {
    const { name, argumentsJson, status, durationMs } = entry.audit;
    return { kind: 'tool', name, argumentsJson, status, durationMs, at: entry.at };
  }
  if (entry.type === 'image') {
    const { label, width, height, detail, imageTokens, costUsd } = entry;
    return { kind: 'image', label, width, height, detail, imageTokens, costUsd, at: entry.at };
  }
  return { kind: 'notice', level: entry.notice.level, message: entry.notice.message, at: entry.at };
}
