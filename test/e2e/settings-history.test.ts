/**
 * Settings and History against the real core: tabbing through Settings saves nothing, a real change
 * is saved once and confirmed beside its field, the hotkey recorder captures a chord; a deleted
 * conversation can be brought back until the undo time has passed, and is really gone after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/browser.ts';
import { E2E_WAIT, startApp, until, type AppHarness } from './app-harness.ts';
import { seedConversation } from './scenes.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: settings and history e2e: ${missing}`);

/** UNDO_MS in renderer/src/components/HistoryView.tsx. */
const UNDO_MS = 8000;

describe.skipIf(missing !== null)('settings and history (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;
  const updates: unknown[] = [];

  beforeAll(async () => {
    app = await startApp();
    const settings = app.host.core.settings;
    const update = settings.update.bind(settings);
    settings.update = (patch: unknown) => {
      updates.push(patch);
      return update(patch);
    };
    page = await app.open();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('saves nothing while you tab through Settings, and a real change once, confirmed beside the field', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('settings').waitFor();
    await page.getByLabel('Model').focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
    await page.getByLabel('Model').focus();
    await new Promise((r) => setTimeout(r, 300));
    console.log(`settings: ${updates.length} saves after tabbing through 30 controls`);
    expect(updates).toEqual([]);
    expect(await page.locator('.saved', { hasText: 'Saved' }).count()).toBe(0);

    await page.getByTestId('budget').fill('0.5');
    await page.keyboard.press('Tab');
    await until(() => updates.length === 1, E2E_WAIT, 'the budget to be saved');
    expect(updates[0]).toEqual({ dailyBudgetUsd: 0.5 });
    await page.getByTestId('note-budget').getByText('Saved').waitFor();
    expect(app.host.core.settings.get().dailyBudgetUsd).toBe(0.5);
    // Visiting the field again without changing it saves nothing more.
    await page.getByTestId('budget').focus();
    await page.keyboard.press('Tab');
    await new Promise((r) => setTimeout(r, 300));
    expect(updates).toHaveLength(1);
  });

  it('records a hotkey chord from the keyboard and says whether hold mode is available', async () => {
    expect(await page.getByTestId('hold-availability').textContent()).toContain('Hold mode is available');
    await page.getByTestId('hotkey-record').click();
    await page.keyboard.press('Control+Alt+KeyK');
    await until(() => updates.some((u) => JSON.stringify(u) === '{"hotkey":"Control+Alt+K"}'), E2E_WAIT, 'the hotkey to be saved');
    await page.getByTestId('note-hotkey').getByText('Saved').waitFor();
    expect(await page.getByTestId('hotkey-current').textContent()).toBe('Control+Alt+K');
    // The screen shortcut follows: Shift + the new hotkey, named where the hotkey is.
    await page.getByTestId('screen-shortcut').getByText('Shift+Control+Alt+K asks about your screen').waitFor({ timeout: E2E_WAIT });
    // Escape while recording cancels the recording only: the window is not hidden.
    await page.getByTestId('hotkey-record').click();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('hotkey-record').textContent()).toBe('Change hotkey');
    expect(app.host.desktopCalls).not.toContain('hideWindow');
  });

  it('chooses the engine in Settings: the stages of the cascaded engine appear, and one field changes without touching the others', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('engine-select').selectOption('cascaded');
    await until(() => app.host.core.settings.get().engine === 'cascaded', E2E_WAIT, 'the engine to be saved');
    await page.getByTestId('note-engine').getByText('Saved').waitFor();
    // No "next conversation" caveat: another engine takes over as soon as nothing is running.
    expect(await page.getByTestId('note-engine').textContent()).toBe('Saved');
    const chat = page.getByTestId('stage-chat');
    await chat.getByLabel('Server (blank: the main endpoint)').fill('http://127.0.0.1:8080/v1');
    await chat.getByLabel('Model').focus();
    await until(() => app.host.core.settings.get().cascaded.chat.baseURL === 'http://127.0.0.1:8080/v1', E2E_WAIT, 'the chat server to be saved');
    await chat.getByLabel('Model').fill('gpt-4.1');
    await chat.getByLabel('Send my API key to this server').focus();
    await until(() => app.host.core.settings.get().cascaded.chat.model === 'gpt-4.1', E2E_WAIT, 'the chat model to be saved');
    // The server typed before is still there, and the other stages are untouched.
    expect(app.host.core.settings.get().cascaded).toMatchObject({
      chat: { baseURL: 'http://127.0.0.1:8080/v1', model: 'gpt-4.1', keySource: 'openai' },
      transcribe: { baseURL: null, model: 'gpt-transcribe' },
      speech: { baseURL: null, model: 'gpt-4o-mini-tts' },
    });
    // A reasoning effort is offered only where the model reasons: not on the cascaded engine's page.
    expect(await page.getByTestId('reasoning-effort').count()).toBe(0);
    await page.getByTestId('engine-select').selectOption('realtime');
    await until(() => app.host.core.settings.get().engine === 'realtime', E2E_WAIT, 'the engine to be saved back');
    // Back on Realtime (gpt-realtime-2.1 reasons), the effort is offered again once the new view arrives.
    await page.getByTestId('reasoning-effort').waitFor({ timeout: E2E_WAIT });
    expect(await page.getByTestId('stage-chat').count()).toBe(0);
  });

  it('deletes a conversation with undo: Undo keeps it, otherwise it is gone after the undo time', async () => {
    await page.getByRole('button', { name: 'Conversation' }).click();
    await seedConversation(app, page);
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('history-item').first().waitFor({ timeout: 10_000 });
    const list = async (): Promise<string[]> => (await page.evaluate(() => window.earshot.request.listConversations({}))).map((c) => c.id);
    const before = await list();
    expect(before.length).toBeGreaterThan(0);
    const rows = await page.getByTestId('history-item').count();
    // Opened, it reads as a conversation (speakers and bubbles), not as Markdown source.
    await page.getByTestId('history-item').first().locator('button.title').click();
    const opened = page.getByTestId('history-open');
    await opened.locator('.bubble[data-role="user"]').first().waitFor();
    expect(await opened.locator('.bubble[data-role="user"] .text').first().textContent()).toBe('What is on my shopping list?');
    expect(await opened.textContent()).not.toContain('**');

    await page.getByTestId('history-item').first().getByRole('button', { name: /^Delete/ }).click();
    expect(await page.getByTestId('history-item').count()).toBe(rows - 1);
    await page.getByTestId('undo-delete').click();
    expect(await page.getByTestId('history-item').count()).toBe(rows);
    await new Promise((r) => setTimeout(r, UNDO_MS + 500));
    expect(await list()).toEqual(before);

    // The renderer's undo timer starts at the click: so does the measured time (not after the bar showed).
    const started = Date.now();
    await page.getByTestId('history-item').first().getByRole('button', { name: /^Delete/ }).click();
    await page.getByTestId('undo-bar').waitFor();
    await until(async () => (await list()).length === before.length - 1, UNDO_MS + E2E_WAIT, 'the delete to be carried out');
    console.log(`history: deleted ${Date.now() - started} ms after Delete (undo time ${UNDO_MS} ms)`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(UNDO_MS - 200);
    expect(await page.getByTestId('undo-bar').count()).toBe(0);
  });
});
