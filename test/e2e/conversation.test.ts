/**
 * The conversation view against the real core and the fake Realtime server: questions stay above
 * their answers when the user's transcription arrives late, the view follows the newest message,
 * approvals work by keyboard alone, and Escape means stop, decline, hide — in that order.
 */
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { appendedMs, E2E_WAIT, root, startApp, stateOf, talk, until, type AppHarness } from './app-harness.ts';
import { watchRendered } from './rendered.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: conversation view e2e: ${missing}`);

const QUESTIONS = Array.from({ length: 10 }, (_, i) => `Question number ${i + 1}: what comes next?`);
const ANSWERS = Array.from({ length: 10 }, (_, i) => `Answer number ${i + 1}, and it is a fairly long one so that the thread has to scroll.`);
/** 0.4 s of a quiet tone: short answers keep ten turns fast while still being played. */
const SHORT_REPLY = new Int16Array(24_000 * 0.4).map((_, i) => Math.round(Math.sin((2 * Math.PI * 440 * i) / 24000) * 3000));

async function bubbleOrder(page: Page): Promise<{ role: string; text: string }[]> {
  return page.locator('.bubble').evaluateAll((nodes) =>
    nodes.map((n) => ({ role: n.getAttribute('data-role') ?? '', text: n.querySelector('.text')?.textContent ?? '' })),
  );
}

async function distanceFromBottom(page: Page): Promise<number> {
  return page.getByTestId('thread').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
}

describe.skipIf(missing !== null)('the conversation view (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;

  beforeAll(async () => {
    // The user's transcription arrives after the reply has started (its first text), by order of
    // events rather than by a timer, so a loaded machine cannot make it early.
    app = await startApp({ fake: { transcriptionAfterReplyStarts: true, transcriptionDelayMs: 300 } });
    page = await app.open();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps every question above its answer over ten turns whose transcripts arrive late', async () => {
    for (let i = 0; i < 10; i++) {
      app.fake.setUserTranscript(QUESTIONS[i] ?? '');
      app.fake.setReply({ transcript: ANSWERS[i] ?? '', samples: SHORT_REPLY });
      await talk(app, 300);
      await until(async () => (await stateOf(page)) === 'idle', 15_000, `turn ${i + 1} to end`);
    }
    // The late transcriptions land in the bubbles that were placed at commit.
    await page.getByText(QUESTIONS[9] ?? '').waitFor({ timeout: 10_000 });
    // Transcription really was late: in every turn the answer's text started before the question's.
    const sent = app.fake.sent.map((r) => ({ at: r.at, type: r.event.type }));
    const late = sent.filter((e, i) => {
      if (e.type !== 'conversation.item.input_audio_transcription.completed') return false;
      const commit = sent.slice(0, i).findLast((x) => x.type === 'input_audio_buffer.committed');
      return commit !== undefined && sent.some((x) => x.type === 'response.output_audio_transcript.delta' && x.at > commit.at && x.at < e.at);
    }).length;
    console.log(`conversation order: ${late} of 10 user transcripts arrived after their answer had started`);
    expect(late).toBe(10);
    const order = await bubbleOrder(page);
    const texts = order.map((b) => `${b.role}:${b.text}`);
    const expected = QUESTIONS.flatMap((q, i) => [`user:${q}`, `assistant:${ANSWERS[i]}`]);
    console.log(`conversation order: ${order.length} bubbles, first four ${JSON.stringify(texts.slice(0, 4))}`);
    expect(texts).toEqual(expected);
    const labels = await page.locator('.bubble .speaker').allTextContents();
    expect(labels.slice(0, 2)).toEqual(['You', 'Earshot']);
  });

  it('follows the newest message, and offers "jump to latest" once the reader scrolled up', async () => {
    expect(await distanceFromBottom(page)).toBeLessThanOrEqual(2);
    await page.getByTestId('thread').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    app.fake.setUserTranscript('One more question?');
    app.fake.setReply({ transcript: 'One more answer.', samples: SHORT_REPLY });
    await talk(app, 300);
    await page.getByText('One more answer.').waitFor();
    // Not yanked down while reading; the control appears instead.
    expect(await page.getByTestId('thread').evaluate((el) => el.scrollTop)).toBe(0);
    await page.getByTestId('jump-to-latest').click();
    expect(await distanceFromBottom(page)).toBeLessThanOrEqual(2);
    expect(await page.getByTestId('jump-to-latest').count()).toBe(0);
    await until(async () => (await stateOf(page)) === 'idle', 15_000, 'idle');
  });

  it('answers an approval by keyboard alone: focus on the card, Enter writes, the outcome stays', async () => {
    const target = join(app.filesRoot, 'note.txt');
    app.fake.setReply({ transcript: 'Done.', samples: SHORT_REPLY });
    app.fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'call the dentist' } });
    const before = app.fake.events('input_audio_buffer.append').length;
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake, before) >= 300, 15_000, 'audio for the tool turn');
    app.host.core.hotkeyUp();
    const card = page.locator('[data-testid="approval"][data-outcome="open"]');
    await card.waitFor({ timeout: 15_000 });
    // Focus moved to the action, which names the action and its object.
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toBe('Write note.txt');
    expect(await card.getByTestId('deny').textContent()).toBe("Don't write");
    expect(await card.getByTestId('approve-always').textContent()).toContain('until Earshot quits');
    expect(await card.getByTestId('countdown').textContent()).toMatch(/Declined automatically in \d+ s/);
    // Shown once: not also as a notice or a status line.
    expect(await page.getByTestId('notice').filter({ hasText: 'approval' }).count()).toBe(0);
    expect(await page.getByTestId('status-message').count()).toBe(0);
    expect(existsSync(target)).toBe(false);
    await page.keyboard.press('Enter');
    await page.getByTestId('approval-outcome').first().waitFor();
    expect(await page.getByTestId('approval-outcome').first().textContent()).toBe('You allowed it once.');
    // The tool creates the file, then writes it: wait for the whole text, not just the name.
    await until(() => existsSync(target) && readFileSync(target, 'utf8') === 'call the dentist', 10_000, 'the file to be written');
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle after the tool turn');
    expect(await page.getByTestId('approval-outcome').count()).toBe(1);
  });

  it('gives Escape three meanings in order: stop speaking, decline the approval, hide the window', async () => {
    // 1. While speaking, Escape stops the speech (and main truncates to what was heard).
    const longReply = new Int16Array(24_000 * 6).map((_, i) => Math.round(Math.sin((2 * Math.PI * 330 * i) / 24000) * 6000));
    app.fake.setReply({ samples: longReply, transcript: 'This is a long answer that Escape will cut short before it ends.' });
    const before = app.fake.events('input_audio_buffer.append').length;
    const rendered = watchRendered(app.host.core.session);
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake, before) >= 300, 15_000, 'audio');
    app.host.core.hotkeyUp();
    await until(async () => (await stateOf(page)) === 'speaking', 15_000, 'speaking');
    // Heard, not merely received: with nothing rendered the item would be deleted, not truncated.
    await until(() => rendered.sounding(), 15_000, 'the answer to sound in the page');
    rendered.stop();
    await new Promise((r) => setTimeout(r, 600));
    const truncate = app.fake.waitForNext('conversation.item.truncate', undefined, 15_000);
    await page.keyboard.press('Escape');
    expect(await truncate).toBeTruthy();
    await page.getByTestId('interrupted').first().waitFor({ timeout: 15_000 });
    await until(async () => (await stateOf(page)) === 'idle', 15_000, 'idle after Escape');
    expect(app.host.desktopCalls).not.toContain('hideWindow');

    // 2. With an approval open, Escape declines it, and the window stays.
    const target = join(app.filesRoot, 'escape.txt');
    app.fake.setReply({ transcript: 'Okay, I will not.', samples: SHORT_REPLY });
    app.fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'no' } });
    const before2 = app.fake.events('input_audio_buffer.append').length;
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake, before2) >= 300, 15_000, 'audio');
    app.host.core.hotkeyUp();
    await page.locator('[data-testid="approval"][data-outcome="open"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="approval"][data-outcome="deny"]').waitFor({ timeout: E2E_WAIT });
    expect(existsSync(target)).toBe(false);
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle after the declined tool');
    expect(app.host.desktopCalls).not.toContain('hideWindow');

    // 3. With nothing to stop or decline, Escape hides the window.
    await page.keyboard.press('Escape');
    await until(() => app.host.desktopCalls.includes('hideWindow'), E2E_WAIT, 'the window to be hidden');
    await page.screenshot({ path: join(root, '.tmp', 'e2e-conversation.png') });
  });
});
