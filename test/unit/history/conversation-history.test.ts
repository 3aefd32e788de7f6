import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TurnMetrics } from '../../../preload/contract.ts';
import { ConversationHistory, scheduleRetention } from '../../../main/history/conversation-history.ts';
import type { ToolAuditRecord } from '../../../main/tools/tool-host.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2025, 2, 10, 9, 0, 0); // 10:00 in Berlin

let dir: string;
let now: number;
const clock = { epochMs: () => now };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-history-'));
  now = T0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function metrics(conversationId: string, turnId: string, costUsd: number, costEstimated = false): TurnMetrics {
  return {
    conversationId,
    turnId,
    model: 'gpt-realtime',
    latency: { keyUpToCommitMs: 3, commitToFirstAudioMs: 420, firstAudioToFirstSampleMs: 12, totalMs: 2100 },
    usage: { inputTextTokens: 120, inputAudioTokens: 30, cachedTextTokens: 0, cachedAudioTokens: 0, outputTextTokens: 40, outputAudioTokens: 200 },
    costUsd,
    sessionCostUsd: costUsd,
    costEstimated,
  };
}

function audit(conversationId: string, decision: ToolAuditRecord['decision'], status: ToolAuditRecord['status']): ToolAuditRecord {
  return {
    conversationId,
    callId: `call_${decision}`,
    name: 'write_file',
    argumentsJson: '{"path":"/home/ann/notes/todo.md","content":"milk"}',
    decision,
    status,
    durationMs: 14,
    resultBytes: 2048,
    at: now,
  };
}

async function recordSample(history: ConversationHistory, id = 'c-2025-03-10-a') {
  await history.start({ conversationId: id, model: 'gpt-realtime', voice: 'marin' });
  now += 1000;
  await history.recordTranscript({ conversationId: id, itemId: 'u1', role: 'user', text: 'Put milk on my shopping list. And eggs.', final: false, truncated: false });
  await history.recordTranscript({ conversationId: id, itemId: 'u1', role: 'user', text: 'Put milk on my shopping list. And eggs, please.', final: true, truncated: false });
  now += 1000;
  await history.recordTool(audit(id, 'allowed-once', 'done'));
  await history.recordTranscript({ conversationId: id, itemId: 'a1', role: 'assistant', text: 'Done: milk and eggs are on your list. Anything else you need for the weekend?', final: true, truncated: false });
  // The user barged in: the text is corrected to what was heard.
  await history.recordTranscript({ conversationId: id, itemId: 'a1', role: 'assistant', text: 'Done: milk and eggs are on your list.', final: true, truncated: true });
  await history.recordTurn(metrics(id, 't1', 0.0125));
  now += 5000;
  await history.recordTranscript({ conversationId: id, itemId: 'u2', role: 'user', text: '# Delete my notes folder', final: true, truncated: false });
  await history.recordTool(audit(id, 'denied', 'denied'));
  await history.recordNotice(id, { level: 'warning', message: 'The write was denied.', action: 'Allow it in Settings → Tools.' });
  await history.recordTurn(metrics(id, 't2', 0.02));
}

describe('ConversationHistory', () => {
  it('reads back what was recorded, in order, with the barge-in correction in place', async () => {
    const history = new ConversationHistory({ dir, clock, timeZone: 'Europe/Berlin' });
    await recordSample(history);
    const conversation = await history.get('c-2025-03-10-a');
    expect(conversation).not.toBeNull();
    expect(conversation?.model).toBe('gpt-realtime');
    expect(conversation?.voice).toBe('marin');
    expect(conversation?.skippedLines).toBe(0);
    expect(conversation?.entries.map((e) => (e.type === 'transcript' ? `${e.role}:${e.text}` : e.type))).toEqual([
      'user:Put milk on my shopping list. And eggs, please.',
      'tool',
      'assistant:Done: milk and eggs are on your list.',
      'user:# Delete my notes folder',
      'tool',
      'notice',
    ]);
    expect(conversation?.turnMetrics.map((m) => m.turnId)).toEqual(['t1', 't2']);

    // Appended, one JSON object per line; non-final transcripts are not stored.
    const lines = readFileSync(join(dir, 'c-2025-03-10-a.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines.every((line) => JSON.parse(line) !== null)).toBe(true);
  });

  it('lists conversations with title, start, turns and cost, newest first, and searches transcripts', async () => {
    const history = new ConversationHistory({ dir, clock });
    await recordSample(history, 'older');
    now += DAY;
    await history.start({ conversationId: 'newer', model: 'gpt-realtime-mini', voice: 'cedar' });
    await history.recordTranscript({ conversationId: 'newer', itemId: 'u1', role: 'user', text: 'What is the weather like in Lisbon tomorrow afternoon, roughly speaking?', final: true, truncated: false });
    await history.recordTurn({ ...metrics('newer', 't1', 0.004), model: 'gpt-realtime-mini' });

    const list = await history.list();
    expect(list).toEqual([
      { id: 'newer', title: 'What is the weather like in Lisbon tomorrow afternoon, roughly speaking?', startedAt: T0 + 7000 + DAY, turns: 1, costUsd: 0.004, costEstimated: false },
      { id: 'older', title: 'Put milk on my shopping list.', startedAt: T0, turns: 2, costUsd: 0.0325, costEstimated: false },
    ]);

    const hits = await history.search('MILK  and eggs');
    expect(hits.map((h) => h.id)).toEqual(['older']);
    expect(hits[0]?.snippet).toContain('milk and eggs');
    expect((await history.search('lisbon')).map((h) => h.id)).toEqual(['newer']);
    expect(await history.search('kangaroo')).toEqual([]);
  });

  it('exports a readable Markdown document', async () => {
    const history = new ConversationHistory({ dir, clock, timeZone: 'Europe/Berlin' });
    await recordSample(history);
    const markdown = await history.exportMarkdown('c-2025-03-10-a');
    expect(markdown.startsWith('# Put milk on my shopping list.\n')).toBe(true);
    expect(markdown).toContain('- Started: 2025-03-10 10:00:00');
    expect(markdown).toContain('- Model: gpt-realtime, voice marin');
    expect(markdown).toContain('- Turns: 2');
    expect(markdown).toContain('- Cost: $0.0325');
    expect(markdown).toContain('## Conversation');
    expect(markdown).toContain('**You** (10:00:01):  \nPut milk on my shopping list. And eggs, please.');
    expect(markdown).toContain('**Earshot** (10:00:02): *(interrupted: this is the part you heard)*  \nDone: milk and eggs are on your list.');
    expect(markdown).not.toContain('Anything else you need');
    expect(markdown).toContain('### Tool call: `write_file`');
    expect(markdown).toContain('- Decision: allowed once by you');
    expect(markdown).toContain('- Decision: denied');
    expect(markdown).toContain('- Result: done, 2.0 KB in 14 ms');
    expect(markdown).toContain('"path": "/home/ann/notes/todo.md"');
    // A line of speech starting with # does not become a heading.
    expect(markdown).toContain('\\# Delete my notes folder');
    expect(markdown).toContain('> **Warning** (10:00:07): The write was denied.  \n> Allow it in Settings → Tools.');
    expect(markdown).toContain('## Cost');
    expect(markdown).toContain('| 1 | gpt-realtime | 150 | 240 | $0.0125 |');
    expect(markdown).toContain('| **Total** | | | | **$0.0325** |');
    await expect(history.exportMarkdown('missing')).rejects.toThrow('There is no conversation "missing"');
  });

  it('keeps what a message showed apart from its words: on read, in the view, in the export, as the title', async () => {
    const history = new ConversationHistory({ dir, clock });
    const id = 'c-shown';
    await history.start({ conversationId: id, model: 'gpt-realtime', voice: 'marin' });
    now += 1000;
    await history.recordTranscript({ conversationId: id, itemId: 'u1', role: 'user', text: '', final: true, truncated: false, picture: 'Screen 2' });
    await history.recordTranscript({ conversationId: id, itemId: 'a1', role: 'assistant', text: 'A terminal with a failing build.', final: true, truncated: false });
    await history.recordTranscript({ conversationId: id, itemId: 'u2', role: 'user', text: '[picture: fake] only typed', final: true, truncated: false });
    const conversation = await history.get(id);
    expect(conversation?.title).toBe('Showed: Screen 2');
    expect(conversation?.entries[0]).toMatchObject({ type: 'transcript', role: 'user', text: '', picture: 'Screen 2' });
    expect(conversation?.entries[2]).not.toHaveProperty('picture');
    const markdown = await history.exportMarkdown(id);
    expect(markdown).toMatch(/\*\*You\*\* \(\d\d:\d\d:\d\d\): {2}\n\*Showed: Screen 2\*\n\n\*\*Earshot\*\*/);
    expect(markdown).not.toContain('(nothing heard)');
    expect(markdown).toContain('\n[picture: fake] only typed\n');
  });

  it('says a conversation\'s cost is partly estimated once a turn of it was, and reads older files (no mark) as exact', async () => {
    const history = new ConversationHistory({ dir, clock });
    await recordSample(history, 'cut-off');
    now += 1000;
    await history.recordTranscript({ conversationId: 'cut-off', itemId: 'u3', role: 'user', text: 'And bread.', final: true, truncated: false });
    await history.recordTurn(metrics('cut-off', 't3', 0.0041, true)); // barged in: the chat usage was estimated
    const conversation = await history.get('cut-off');
    expect(conversation?.turnMetrics.map((m) => m.costEstimated)).toEqual([false, false, true]);
    expect(conversation?.costEstimated).toBe(true);
    expect(conversation?.costUsd).toBeCloseTo(0.0366, 10); // the estimate is money spent: it is in the total
    expect((await history.list()).find((c) => c.id === 'cut-off')).toMatchObject({ costEstimated: true });
    // The export marks the estimated turn and the total, and says what the mark means.
    const markdown = await history.exportMarkdown('cut-off');
    expect(markdown).toContain('| 3 | gpt-realtime | ');
    expect(markdown).toMatch(/\| 3 \| gpt-realtime \| \d+ \| \d+ \| ≈ \$0\.0041 \(estimated\) \|/);
    expect(markdown).toMatch(/\| 1 \| gpt-realtime \| \d+ \| \d+ \| \$0\.0125 \|/);
    expect(markdown).toContain('| **Total** | | | | **≈ $0.0366** |');
    expect(markdown).toContain('≈: part of the cost is estimated');

    // A file written before the mark existed: its turn lines have no costEstimated and still load.
    const old = { ...metrics('old-file', 't1', 0.01) } as Partial<TurnMetrics>;
    delete old.costEstimated;
    appendFileSync(
      join(dir, 'old-file.jsonl'),
      [
        { type: 'start', format: 1, conversationId: 'old-file', at: T0, model: 'gpt-realtime', voice: 'marin' },
        { type: 'transcript', at: T0 + 1, itemId: 'u1', role: 'user', text: 'Hello.', truncated: false },
        { type: 'turn', at: T0 + 2, metrics: old },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const older = await new ConversationHistory({ dir, clock }).get('old-file');
    expect(older?.skippedLines).toBe(0);
    expect(older?.turnMetrics).toHaveLength(1);
    expect(older?.turnMetrics[0]?.costEstimated).toBe(false);
    expect(older?.costEstimated).toBe(false);
    expect(older?.costUsd).toBe(0.01);
  });

  it('skips a torn last line after a crash, keeps the rest, and appends on a fresh line', async () => {
    const first = new ConversationHistory({ dir, clock });
    await recordSample(first, 'crashy');
    const path = join(dir, 'crashy.jsonl');
    // The process died half-way through writing a record.
    appendFileSync(path, '{"type":"transcript","at":1741600000000,"itemId":"u3","role":"user","text":"Half a sen');

    const afterRestart = new ConversationHistory({ dir, clock });
    const conversation = await afterRestart.get('crashy');
    expect(conversation?.skippedLines).toBe(1);
    expect(conversation?.entries).toHaveLength(6);
    expect(conversation?.turns).toBe(2);

    await afterRestart.recordTranscript({ conversationId: 'crashy', itemId: 'u3', role: 'user', text: 'Written after the crash.', final: true, truncated: false });
    const again = await new ConversationHistory({ dir, clock }).get('crashy');
    expect(again?.skippedLines).toBe(1);
    expect(again?.entries.at(-1)).toMatchObject({ type: 'transcript', text: 'Written after the crash.' });
    expect((await afterRestart.exportMarkdown('crashy'))).toContain('1 damaged line of the log could not be read');
  });

  it('deletes a conversation and refuses ids that would leave the folder', async () => {
    const history = new ConversationHistory({ dir, clock });
    await recordSample(history, 'to-delete');
    expect(await history.delete('to-delete')).toBe(true);
    expect(existsSync(join(dir, 'to-delete.jsonl'))).toBe(false);
    expect(await history.delete('to-delete')).toBe(false);
    expect(await history.get('to-delete')).toBeNull();
    await expect(history.get('../../etc/passwd')).rejects.toThrow('not a valid conversation id');
    await expect(history.start({ conversationId: '../escape', model: 'm', voice: 'v' })).rejects.toThrow('not a valid conversation id');
  });

  it('deletes conversations older than the retention period, on start and then daily', async () => {
    const history = new ConversationHistory({ dir, clock });
    now = T0;
    await recordSample(history, 'ancient');
    now = T0 + 20 * DAY;
    await recordSample(history, 'recent');

    now = T0 + 31 * DAY;
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const deleted: string[][] = [];
    const schedule = scheduleRetention({
      history,
      clock: { setTimeout: (fn, ms) => { timers.push({ fn, ms }); return { cancel: () => undefined }; } },
      retentionDays: () => 30,
      onDeleted: (ids) => deleted.push(ids),
    });
    await schedule.done;
    expect(deleted).toEqual([['ancient']]);
    expect((await history.list()).map((c) => c.id)).toEqual(['recent']);
    expect(timers).toHaveLength(1);
    expect(timers[0]?.ms).toBe(DAY);

    // A day later the next run removes what has aged out since.
    now = T0 + 52 * DAY;
    expect(await history.applyRetention(30)).toEqual(['recent']);
    expect(await history.applyRetention(null)).toEqual([]);
    schedule.stop();
  });
});
