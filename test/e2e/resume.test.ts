/**
 * Picking a conversation back up from History (issue 11): a conversation held through the window,
 * then a new one, then "Continue this conversation" — the new Realtime session's first items carry
 * the earlier turns, the window shows them above the new turn, and the history file holds both parts
 * under one id.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/browser.ts';
import { E2E_WAIT, startApp, talk, until, type AppHarness } from './app-harness.ts';
import { seedConversation } from './scenes.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: resume e2e: ${missing}`);

const itemTexts = (event: Record<string, unknown>): string => {
  const item = event.item as { role?: string; content?: { text?: string }[] } | undefined;
  return `${item?.role ?? '?'}: ${(item?.content ?? []).map((c) => c.text ?? '').join(' ')}`;
};

describe.skipIf(missing !== null)('continue a conversation from history (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.open();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('replays the earlier turns into a new session and appends the new turn to the same record', async () => {
    await seedConversation(app, page);
    const firstId = app.host.core.session.conversationId();
    const dir = join(app.host.userDataDir, 'history');
    // The complete records: each ends with a newline (main/history/jsonl.ts), so text after the last one
    // is a record the app is still appending, not yet written. Every complete line must parse.
    const read = (): { type: string; role?: string; text?: string }[] => {
      const files = readdirSync(dir).filter((f) => f.includes(firstId));
      expect(files).toHaveLength(1);
      const text = readFileSync(join(dir, files[0] as string), 'utf8');
      return text
        .slice(0, text.lastIndexOf('\n') + 1)
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as { type: string; role?: string; text?: string });
    };
    const said = (): string[] => read().filter((l) => l.type === 'transcript').map((l) => `${l.role}: ${l.text}`);
    // For until(): a file not there yet (or a line that does not parse) is "not yet", tried again,
    // instead of failing the wait at once.
    const saidSoFar = (): string[] => {
      try {
        return said();
      } catch {
        return [];
      }
    };
    await until(() => saidSoFar().length >= 4, E2E_WAIT, 'the first conversation in the history file');
    const earlier = said();
    // Start over: a new, empty conversation on a new id.
    await page.getByTestId('new-conversation').click();
    await until(() => app.host.core.session.conversationId() !== firstId, E2E_WAIT, 'a new conversation');
    // The window clears when the core's answer reaches it over the WebSocket, which may come later.
    await until(async () => (await page.locator('.bubble').count()) === 0, E2E_WAIT, 'the window to clear');

    await page.getByRole('button', { name: 'History' }).click();
    const item = page.getByTestId('history-item').filter({ hasText: 'What is on my shopping list?' });
    await item.getByRole('button').first().click();
    await page.getByTestId('history-open').waitFor();
    const connectionsBefore = app.fake.connections;
    const itemsBefore = app.fake.events('conversation.item.create').length;
    await page.getByTestId('continue-conversation').click();

    // Back on the conversation, with the earlier words shown above where the new turn will go.
    await page.getByTestId('new-conversation').waitFor();
    await until(async () => (await page.locator('.bubble').count()) >= 4, E2E_WAIT, 'the earlier turns in the window');
    expect(await page.locator('.bubble').first().textContent()).toContain('What is on my shopping list?');
    expect(app.host.core.session.conversationId()).toBe(firstId);

    // A new session opened and its first items are the earlier turns, in order, before any new audio.
    await until(() => app.fake.connections > connectionsBefore, 10_000, 'a new Realtime session');
    await until(() => app.fake.events('conversation.item.create').length - itemsBefore >= 4, 10_000, 'the replayed items');
    const replayed = app.fake.events('conversation.item.create').slice(itemsBefore).map(itemTexts);
    console.log(`resume: replayed ${replayed.length} items: ${JSON.stringify(replayed)}`);
    // The words as the history file holds them, in order; the tool the first answer used is one line before it.
    expect(replayed[0]).toBe(earlier[0]);
    expect(replayed[1]).toMatch(/^assistant: \[earlier tool call: read_file \{"path":".*shopping\.txt"\} → done\]\n/);
    expect(replayed[1]?.split('\n').slice(1).join('\n')).toBe((earlier[1] ?? '').replace(/^assistant: /, ''));
    expect(replayed.slice(2)).toEqual(earlier.slice(2));
    expect(earlier[0]).toBe('user: What is on my shopping list?');
    expect(app.fake.schemaErrors.filter((e) => e.side === 'client')).toEqual([]);

    // A new spoken turn continues the same conversation and lands in the same file.
    app.fake.setUserTranscript('And how much will that cost?');
    app.fake.setReply({ transcript: 'About twelve euros.' });
    await talk(app);
    await until(async () => (await page.locator('.bubble').filter({ hasText: 'About twelve euros.' }).count()) === 1, 15_000, 'the new answer');
    await until(() => saidSoFar().length >= 6, E2E_WAIT, 'the new turn in the history file');
    expect(said()).toEqual([...earlier, 'user: And how much will that cost?', 'assistant: About twelve euros.']);
    const lines = read();
    // Two starts: the first conversation, and the moment it was continued.
    expect(lines.filter((l) => l.type === 'start')).toHaveLength(2);
  });
});
