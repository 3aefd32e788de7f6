/**
 * What a resumed conversation replays: its words in order, the heard part of a cut answer marked as
 * cut, the tools it used as one bounded line before the answer that used them, and no more than the
 * bound — built from real history records as the history file holds them.
 */
import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../main/history/conversation.ts';
import type { HistoryRecord } from '../../../main/history/history-records.ts';
import { resumeHistory } from '../../../main/core/resume-context.ts';

let at = 1_700_000_000_000;
const said = (itemId: string, role: 'user' | 'assistant', text: string, truncated = false): HistoryRecord => ({ type: 'transcript', at: at++, itemId, role, text, truncated });
const tool = (name: string, args: Record<string, unknown>, status: 'done' | 'denied' | 'error'): HistoryRecord => ({
  type: 'tool',
  at: at++,
  audit: { conversationId: 'c1', callId: `call_${at}`, name, argumentsJson: JSON.stringify(args), decision: 'not-needed', status, durationMs: 12, resultBytes: 40, at },
});
const start: HistoryRecord = { type: 'start', format: 1, conversationId: 'c1', at: at++, model: 'gpt-realtime-2.1', voice: 'marin', engine: 'realtime' };

describe('resumeHistory', () => {
  it('replays the words in order, with tool lines before the answer that used them and a cut answer marked', () => {
    const conversation = buildConversation(
      'c1',
      [
        start,
        said('u1', 'user', 'What is in notes.txt?'),
        tool('read_file', { path: '~/notes.txt' }, 'done'),
        said('a1', 'assistant', 'It says call the dentist.'),
        said('u2', 'user', 'Write that to todo.txt'),
        tool('write_file', { path: '~/todo.txt', content: 'call the dentist' }, 'denied'),
        said('a2', 'assistant', 'I did not write it because', true),
        said('u3', 'user', '   '),
      ],
      0,
      at,
    );
    expect(resumeHistory(conversation)).toEqual([
      { role: 'user', text: 'What is in notes.txt?' },
      { role: 'assistant', text: '[earlier tool call: read_file {"path":"~/notes.txt"} → done]\nIt says call the dentist.' },
      { role: 'user', text: 'Write that to todo.txt' },
      {
        role: 'assistant',
        text: '[earlier tool call: write_file {"path":"~/todo.txt","content":"call the dentist"} → not allowed by the user]\nI did not write it because [the user interrupted here]',
      },
    ]);
  });

  it('keeps only the most recent entries and cuts long texts and tool lines to their bounds', () => {
    const records: HistoryRecord[] = [start];
    for (let i = 0; i < 30; i++) {
      records.push(said(`u${i}`, 'user', `question ${i} ${'x'.repeat(i === 29 ? 5000 : 0)}`));
      if (i === 29) records.push(tool('search_files', { query: 'y'.repeat(1000) }, 'done'));
      records.push(said(`a${i}`, 'assistant', `answer ${i}`));
    }
    const replay = resumeHistory(buildConversation('c1', records, 0, at), { maxEntries: 6, maxEntryChars: 100, maxToolChars: 60 });
    expect(replay).toHaveLength(6);
    expect(replay[0]).toEqual({ role: 'user', text: 'question 27' });
    const lastUser = replay[4];
    expect(lastUser?.text.length).toBe(100);
    expect(lastUser?.text.endsWith('…')).toBe(true);
    const [toolLine, answer] = (replay[5]?.text ?? '').split('\n');
    expect(toolLine?.length).toBe(60);
    expect(toolLine?.startsWith('[earlier tool call: search_files')).toBe(true);
    expect(answer).toBe('answer 29');
  });

  it('replays a message that showed a picture as what was shown and the words, and a picture alone too', () => {
    const shown = (itemId: string, picture: string, text: string): HistoryRecord => ({ type: 'transcript', at: at++, itemId, role: 'user', text, truncated: false, picture });
    const conversation = buildConversation(
      'c1',
      [start, shown('u1', 'Entire Screen', 'What is on it?'), said('a1', 'assistant', 'A spreadsheet.'), shown('u2', 'Mail — Inbox', ''), said('a2', 'assistant', 'Three unread mails.')],
      0,
      at,
    );
    expect(resumeHistory(conversation)).toEqual([
      { role: 'user', text: '[the user showed a picture: Entire Screen] What is on it?' },
      { role: 'assistant', text: 'A spreadsheet.' },
      { role: 'user', text: '[the user showed a picture: Mail — Inbox]' },
      { role: 'assistant', text: 'Three unread mails.' },
    ]);
    // Typed words that merely look like the old "[picture: …]" line are words, nothing else.
    expect(conversation.title).toBe('What is on it?');
  });
});
