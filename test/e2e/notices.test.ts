/**
 * Notices against the real core and the fake Realtime server: main names each notice's subject, so
 * the window keeps one per subject and replaces it in place ("Lost the connection…" → "Reconnected.");
 * a failed turn offers "Try again", which starts listening; the button is the one main chose (a
 * quota error names OpenAI's billing settings, which is not Earshot's Settings: no "Open settings").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/browser.ts';
import { appendedMs, startApp, stateOf, talk, until, type AppHarness } from './app-harness.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: notices e2e: ${missing}`);

const tone = (seconds: number): Int16Array => new Int16Array(Math.round(24_000 * seconds)).map((_, i) => Math.round(Math.sin((2 * Math.PI * 440 * i) / 24000) * 4000));

async function shown(page: Page): Promise<{ subject: string | null; text: string }[]> {
  return page.getByTestId('notice').evaluateAll((nodes) =>
    nodes.map((n) => ({ subject: n.getAttribute('data-subject'), text: n.querySelector('.notice-message')?.textContent ?? '' })),
  );
}

async function dismissAll(page: Page): Promise<void> {
  for (const button of await page.getByRole('button', { name: /^Dismiss/ }).all()) await button.click();
}

describe.skipIf(missing !== null)('notices (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.open();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('replaces the connection notice in place, and a failed turn offers Try again, which starts listening', async () => {
    app.fake.setUserTranscript('Tell me about the sea.');
    app.fake.setReply({ transcript: 'The sea is wide and deep and full of stories.', samples: tone(3) });
    app.fake.dropMidReply({ afterDeltas: 2 });
    const before = app.fake.events('input_audio_buffer.append').length;
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake, before) >= 300, 15_000, 'microphone audio at the server');
    app.host.core.hotkeyUp();
    await page.locator('[data-testid="notice"][data-subject="turn"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="notice"][data-subject="connection"]', { hasText: 'Reconnected.' }).waitFor({ timeout: 15_000 });
    const now = await shown(page);
    console.log(`notices after a dropped reply: ${JSON.stringify(now)}`);
    // One per subject: "Lost the connection…" became "Reconnected." in its place.
    expect(now.filter((n) => n.subject === 'connection')).toEqual([{ subject: 'connection', text: 'Reconnected.' }]);
    expect(now.filter((n) => n.subject === 'turn')).toHaveLength(1);
    expect(await page.getByRole('button', { name: 'Open settings' }).count()).toBe(0);
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle after the dropped reply');

    // Try again: listening at once, with Talk (now Send) focused; Enter sends the question.
    app.fake.setReply({ transcript: 'Here it is again.', samples: tone(0.4) });
    const done = app.fake.events('response.done').length;
    const appended = app.fake.events('input_audio_buffer.append').length;
    await page.getByTestId('try-again').click();
    await until(async () => (await stateOf(page)) === 'listening', 15_000, 'listening after Try again');
    expect(await page.locator('[data-testid="notice"][data-subject="turn"]').count()).toBe(0);
    await until(() => appendedMs(app.fake, appended) >= 300, 15_000, 'microphone audio after Try again');
    expect(await page.getByTestId('talk').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByTestId('talk').textContent()).toBe('Send');
    await page.keyboard.press('Enter');
    await until(() => app.fake.events('response.done').length > done, 20_000, 'the answer after Try again');
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle after the retried turn');
    await dismissAll(page);
  });

  it('a rate-limited turn says what to do, keeps the raw text behind Details, and offers Try again', async () => {
    app.fake.setUserTranscript('Are you there?');
    app.fake.rateLimitNext();
    const before = app.fake.events('input_audio_buffer.append').length;
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake, before) >= 300, 15_000, 'microphone audio at the server');
    app.host.core.hotkeyUp();
    const notice = page.locator('[data-testid="notice"][data-subject="service"]');
    await notice.waitFor({ timeout: 15_000 });
    const text = await notice.locator('.notice-message').textContent();
    const details = await notice.locator('.notice-details').textContent();
    console.log(`rate limit notice: "${text}" (details: "${details}")`);
    expect(text).toMatch(/limiting requests/);
    expect(details).toMatch(/rate limit/i);
    await notice.getByTestId('try-again').waitFor();
    await dismissAll(page);
  });

  it('a quota error gets no "Open settings" button (its fix is in OpenAI billing settings, not in Earshot)', async () => {
    await talk(app);
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle');
    app.fake.injectError({ type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.' });
    const notice = page.locator('[data-testid="notice"][data-subject="service"]', { hasText: 'no quota left' });
    await notice.waitFor({ timeout: 10_000 });
    console.log(`quota notice: ${JSON.stringify(await shown(page))}`);
    expect(await notice.getByRole('button', { name: 'Open settings' }).count()).toBe(0);
    // The action sentence is shown as text instead.
    await notice.getByText('billing settings').waitFor();
    await dismissAll(page);
  });
});
