/**
 * "Show it the screen" (issue 11) through the window: the built renderer in Chromium, the real core
 * over the test WebSocket with an in-memory desktop (test/support/memory-screen.ts: real PNGs, and a
 * record of whether the indicator was on when pixels were taken), and the fake Realtime server, which
 * checks every client event against the SDK schema and bills image tokens as the service does.
 *
 * - The model's look_at_screen tool asks first ("Look at your screen"); Enter allows; the tool's text
 *   goes back, then the picture as a user input_image, then the answer is spoken. Declining sends no
 *   picture and captures nothing.
 * - The picker, opened as the tray opens it: the second source picked by keyboard, a question typed,
 *   sent as ONE user message with the picture and the words; the notice says what was looked at.
 * - macOS screen recording refused: the picker says so with the way out, and the notice's button
 *   opens System Settings.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { validateClientEvent } from '../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../support/fake-realtime/index.ts';
import { pngSize } from '../support/png.ts';
import { DEMO_DESKTOP, E2E_WAIT, root, startApp, stateOf, until, type AppHarness } from './app-harness.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: screen e2e: ${missing}`);

const tone = (seconds: number): Int16Array => new Int16Array(Math.round(24_000 * seconds)).map((_, i) => Math.round(Math.sin((2 * Math.PI * 330 * i) / 24000) * 3000));

function expectHonest(fake: FakeRealtime): void {
  expect(fake.schemaErrors).toEqual([]);
  for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  expect(fake.sent.filter((r) => r.event.type === 'error').map((r) => r.event)).toEqual([]);
}

/** Items the app created since `from` (an index into fake.received). */
function itemsSince(fake: FakeRealtime, from: number): Record<string, unknown>[] {
  return fake.received
    .slice(from)
    .filter((r) => r.event.type === 'conversation.item.create')
    .map((r) => r.event['item'] as Record<string, unknown>);
}

/** The PNG inside a data URL, measured from its header (what the model would see). */
function pictureSize(part: unknown): { width: number; height: number } {
  const url = String((part as Record<string, unknown>)['image_url']);
  const match = /^data:image\/png;base64,(.+)$/.exec(url);
  if (!match) throw new Error(`not a PNG data URL: ${url.slice(0, 40)}`);
  return pngSize(Buffer.from(match[1] as string, 'base64'));
}

async function typeAndSend(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message to Earshot');
  await box.fill(text);
  await box.press('Enter');
}

async function idle(page: Page): Promise<void> {
  await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle');
}

/** Waits until the focus is on the element with this test id (focus moves right after the dialog left). */
async function focusReaches(page: Page, testId: string): Promise<void> {
  let last: string | null = null;
  try {
    await until(async () => (last = await focusedTestId(page)) === testId, E2E_WAIT, `the focus on ${testId}`);
  } catch {
    expect(last, 'the focused element').toBe(testId);
  }
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? `(${document.activeElement?.tagName ?? 'none'} ${document.activeElement?.className ?? ''})`);
}

describe.skipIf(missing !== null)('showing Earshot the screen (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ screen: DEMO_DESKTOP });
    page = await app.open();
  });

  afterEach(async () => {
    // Each test leaves the window idle, with the picker closed and the desktop allowing capture.
    if (app.screen) app.screen.port.permissionState = 'granted';
    if (await page.getByTestId('screen-picker').count()) await page.getByTestId('picker-cancel').click();
  });

  afterAll(async () => {
    if (app) expectHonest(app.fake);
    await app?.close();
  });

  it('look_at_screen asks "Look at your screen"; Enter allows; the output, then the picture as a user input_image, then a spoken answer', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const from = app.fake.received.length;
    const responsesBefore = app.fake.events('response.create').length;
    app.fake.scriptToolCall({ name: 'look_at_screen', arguments: { which: 'screen' }, callId: 'call_look_1' });
    app.fake.setReply({ transcript: 'Your screen shows a terminal with failing tests.', samples: tone(0.8) });
    // The session offers the tool: it is in the tools the app declared.
    await typeAndSend(page, 'What is on my screen?');

    const card = page.locator('[data-testid="approval"][data-outcome="open"]');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.card-title').textContent()).toBe('Look at your screen');
    // Focus is on the allow button (Enter allows, Escape declines), which says what it allows.
    await focusReaches(page, 'approve-once');
    expect(await card.getByTestId('approve-once').textContent()).toBe('Show it');
    expect(await card.getByTestId('deny').textContent()).toBe("Don't show");
    // Nothing was captured, nor listed with pixels, before the answer.
    expect(screen.port.captures).toEqual([]);
    expect(screen.port.lists.filter((l) => l.thumbnails)).toEqual([]);
    await page.keyboard.press('Enter');

    await page.locator('.bubble.assistant', { hasText: 'Your screen shows a terminal with failing tests.' }).waitFor({ timeout: 15_000 });
    await idle(page);
    const tools = app.fake.events('session.update').flatMap((e) => ((e['session'] as Record<string, unknown> | undefined)?.['tools'] as { name?: string }[] | undefined) ?? []);
    expect(tools.map((t) => t.name)).toContain('look_at_screen');
    const items = itemsSince(app.fake, from);
    expect(items.map((i) => i['type'])).toEqual(['message', 'function_call_output', 'message']);
    expect(items[1]).toMatchObject({ call_id: 'call_look_1', output: 'Captured Entire Screen, 1365×768.' });
    expect(items[2]).toMatchObject({ role: 'user', content: [{ type: 'input_image', detail: 'auto' }] });
    // The picture's event is valid against the SDK's schema (every other event is checked after all tests).
    const imageEvent = app.fake.received.slice(from).filter((r) => r.event.type === 'conversation.item.create')[2]?.event;
    expect(imageEvent && validateClientEvent(imageEvent)).toEqual([]);
    const content = items[2]?.['content'] as unknown[];
    expect(content).toHaveLength(1);
    // The picture is the capture, scaled as the detail level needs: 1920 × 1080 → 1365 × 768.
    expect(pictureSize(content[0])).toEqual({ width: 1365, height: 768 });
    // The picture went in after the output and before the follow-up response, which read both.
    const wire = app.fake.received.slice(from).map((r) => r.event.type);
    const imageAt = wire.lastIndexOf('conversation.item.create');
    expect(wire.indexOf('response.create', imageAt)).toBeGreaterThan(imageAt);
    expect(app.fake.events('response.create').length - responsesBefore).toBe(2);
    // Taken once, with the indicator on; the notice says so; the answer was spoken.
    expect(screen.port.captures).toEqual([expect.objectContaining({ sourceId: 'screen:1:0', indicatorOn: true })]);
    expect(screen.indicator.on).toEqual([]);
    await page.locator('[data-testid="notice"][data-subject="screen"]', { hasText: 'Earshot looked at Entire Screen.' }).waitFor({ timeout: E2E_WAIT });
    expect(app.fake.events('response.output_audio.delta').length).toBeGreaterThan(0);
    expect(await page.getByTestId('approval-outcome').last().textContent()).toBe('You allowed it once.');
    // The image tokens came back in the usage (the fake bills them: 85 + 170 × 3 × 2).
    const usage = app.fake.events('response.done').at(-1)?.['response'] as { usage?: { input_token_details?: { image_tokens?: number } } } | undefined;
    expect(usage?.usage?.input_token_details?.image_tokens).toBe(1105);
  });

  it('declining (Escape) sends the refusal as the output, captures nothing and sends no picture', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const from = app.fake.received.length;
    const capturesBefore = screen.port.captures.length;
    app.fake.scriptToolCall({ name: 'look_at_screen', arguments: { which: 'window', window: 'Terminal' }, callId: 'call_look_2' });
    app.fake.setReply({ samples: tone(0.5) });
    await typeAndSend(page, 'Why is my terminal red?');
    const card = page.locator('[data-testid="approval"][data-outcome="open"]');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.card-title').textContent()).toBe('Look at your window “Terminal”');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="approval"][data-outcome="deny"]').waitFor({ timeout: E2E_WAIT });
    // The fake answers a tool output by quoting it: the model was told the person said no.
    await page.locator('.bubble.assistant', { hasText: 'The user declined: Look at your window “Terminal”.' }).waitFor({ timeout: 15_000 });
    await idle(page);
    const items = itemsSince(app.fake, from);
    expect(items.map((i) => i['type'])).toEqual(['message', 'function_call_output']);
    expect(items[1]).toMatchObject({ call_id: 'call_look_2', output: 'The user declined: Look at your window “Terminal”. Nothing was done.' });
    expect(JSON.stringify(items)).not.toContain('input_image');
    expect(screen.port.captures.length).toBe(capturesBefore);
    // The window stayed: Escape declined, it did not hide.
    expect(app.host.desktopCalls).not.toContain('hideWindow');
  });

  it('the picker, opened as the tray opens it: arrows pick the second source, a question is typed, one message carries both', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const from = app.fake.received.length;
    const listsBefore = screen.port.lists.length;
    app.fake.setReply({ transcript: 'Screen 2 shows a spreadsheet with totals in column D.', samples: tone(0.6) });
    // The tray's "Ask about my screen…" (main/index.ts → core.askAboutScreen): the window opens its picker.
    app.host.core.askAboutScreen();
    expect(app.host.desktopCalls).toContain('showWindow');
    const picker = page.getByRole('dialog', { name: 'Ask about your screen' });
    await picker.waitFor({ timeout: E2E_WAIT });
    const list = picker.getByRole('listbox', { name: 'Screens and windows' });
    await list.waitFor();
    // Listed once, with thumbnails, because the person asked; the list has the focus.
    expect(screen.port.lists.slice(listsBefore)).toEqual([{ kinds: ['screen', 'window'], thumbnails: true }]);
    await focusReaches(page, 'picker-list');
    const options = list.getByRole('option');
    expect(await options.allTextContents()).toEqual(DEMO_DESKTOP.map((s) => s.name));
    expect(await picker.getByRole('group', { name: 'Screens' }).getByRole('option').count()).toBe(2);
    expect(await picker.getByRole('group', { name: 'Windows' }).getByRole('option').count()).toBe(3);
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    // Every thumbnail is a picture the page could decode (a real PNG, fitted like desktopCapturer's).
    const decoded = await list.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(decoded).toEqual([320, 320, 300, 150, 320]);

    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await list.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
    await page.keyboard.press('Enter');
    expect(await focusedTestId(page)).toBe('picker-question');
    // Still nothing captured: picking is not showing.
    const capturesBefore = screen.port.captures.length;
    await page.keyboard.type('What is in column D?');
    await page.keyboard.press('Enter');

    await picker.waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('[data-testid="notice"][data-subject="screen"]', { hasText: 'Earshot looked at Screen 2.' }).waitFor({ timeout: E2E_WAIT });
    await page.locator('.bubble.assistant', { hasText: 'Screen 2 shows a spreadsheet' }).waitFor({ timeout: 15_000 });
    await idle(page);
    const items = itemsSince(app.fake, from);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_image', detail: 'auto' }, { type: 'input_text', text: 'What is in column D?' }] });
    // Screen 2 is 2560 × 1440: fitted to 2048 × 1152, then its short side to 768 → 1365 × 768.
    expect(pictureSize((items[0]?.['content'] as unknown[])[0])).toEqual({ width: 1365, height: 768 });
    expect(screen.port.captures.slice(capturesBefore)).toEqual([expect.objectContaining({ sourceId: 'screen:2:0', indicatorOn: true })]);
    // The question stands in the conversation as the user's turn, above the answer.
    const bubbles = await page.locator('.bubble').evaluateAll((nodes) => nodes.map((n) => `${n.getAttribute('data-role')}:${n.querySelector('.text')?.textContent ?? ''}`));
    expect(bubbles.slice(-2)).toEqual(['user:What is in column D?', 'assistant:Screen 2 shows a spreadsheet with totals in column D.']);
    // What was shown stands in the bubble as a label of its own, not as bracketed text.
    expect(await page.locator('.bubble.user').last().getByTestId('picture-label').textContent()).toBe('Showed: Screen 2');
    // Opened from the tray, the focus lands in the text box afterwards, not on the page's body.
    await focusReaches(page, 'text-input');
  });

  it('the control beside the text box opens it too; a click picks, Escape cancels and captures nothing', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const capturesBefore = screen.port.captures.length;
    const from = app.fake.received.length;
    const opener = page.getByRole('button', { name: 'Ask about my screen…' });
    await opener.click();
    const picker = page.getByRole('dialog', { name: 'Ask about your screen' });
    const options = picker.getByRole('option');
    await options.nth(3).waitFor();
    await options.nth(3).click();
    expect(await options.nth(3).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached', timeout: E2E_WAIT });
    // Escape closed the picker only: no hiding the window, nothing captured or sent; focus back on the control.
    expect(app.host.desktopCalls).not.toContain('hideWindow');
    expect(screen.port.captures.length).toBe(capturesBefore);
    expect(itemsSince(app.fake, from)).toEqual([]);
    await focusReaches(page, 'ask-screen');
  });

  it('a window that closed in the meantime: the picker says so and offers the fresh list; nothing was sent', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const from = app.fake.received.length;
    await page.getByRole('button', { name: 'Ask about my screen…' }).click();
    const picker = page.getByRole('dialog', { name: 'Ask about your screen' });
    const options = picker.getByRole('option');
    await options.nth(4).waitFor();
    await options.nth(4).click();
    const gone = screen.port.sources;
    screen.port.sources = gone.filter((s) => s.id !== 'window:13:0');
    try {
      await picker.getByRole('button', { name: 'Show and ask' }).click();
      await picker.getByTestId('picker-hint').waitFor({ timeout: E2E_WAIT });
      expect(await picker.getByTestId('picker-hint').textContent()).toBe('That screen or window is no longer there. Pick it again.');
      await until(async () => (await options.count()) === 4, E2E_WAIT, 'the fresh list');
      expect(itemsSince(app.fake, from)).toEqual([]);
    } finally {
      screen.port.sources = gone;
    }
  });

  it('macOS screen recording refused: the picker explains it with "Open System Settings"; a refusal at capture time becomes a notice whose button opens them', async () => {
    const screen = app.screen;
    if (!screen) throw new Error('no desktop');
    const opened = screen.port.settingsOpened;
    const capturesBefore = screen.port.captures.length;
    const listsBefore = screen.port.lists.length;

    // 1. Refused before the picker opens: it says why, lists nothing (no thumbnails taken), and offers the way out.
    screen.port.permissionState = 'denied';
    app.host.core.askAboutScreen();
    const picker = page.getByRole('dialog', { name: 'Ask about your screen' });
    const problem = picker.getByTestId('picker-problem');
    await problem.waitFor({ timeout: E2E_WAIT });
    expect(await problem.textContent()).toContain('System Settings → Privacy & Security → Screen Recording');
    expect(screen.port.lists.length).toBe(listsBefore);
    expect(await picker.getByRole('option').count()).toBe(0);
    await focusReaches(page, 'picker-open-screen-settings');
    await page.screenshot({ path: join(root, '.tmp', 'e2e-screen-permission-picker.png') });
    await page.keyboard.press('Enter');
    await until(() => screen.port.settingsOpened === opened + 1, E2E_WAIT, 'System Settings to open from the picker');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached', timeout: E2E_WAIT });

    // 2. Refused between listing and capturing (revoked meanwhile): main's notice carries the button.
    screen.port.permissionState = 'granted';
    await page.getByRole('button', { name: 'Ask about my screen…' }).click();
    await picker.getByRole('option').first().waitFor({ timeout: E2E_WAIT });
    screen.port.permissionState = 'denied';
    await picker.getByRole('button', { name: 'Show and ask' }).click();
    await picker.waitFor({ state: 'detached', timeout: E2E_WAIT });
    const notice = page.locator('[data-testid="notice"][data-subject="screen"]');
    await notice.filter({ hasText: 'Earshot may not record the screen' }).waitFor({ timeout: E2E_WAIT });
    expect(await notice.getAttribute('role')).toBe('alert');
    const button = notice.getByRole('button', { name: 'Open System Settings' });
    // Said once: the picker closed and the focus is on the notice's button.
    await focusReaches(page, 'open-screen-settings');
    await page.screenshot({ path: join(root, '.tmp', 'e2e-screen-permission-notice.png') });
    await button.click();
    await until(() => screen.port.settingsOpened === opened + 2, E2E_WAIT, 'System Settings to open from the notice');
    expect(screen.port.captures.length).toBe(capturesBefore);
    await notice.getByRole('button', { name: /^Dismiss/ }).click();
  });
});
