/**
 * Type instead of talk (issue 11), through the window: the built renderer in Chromium, the real core
 * over the test WebSocket, the fake Realtime server (every client event checked against the SDK
 * schema). A typed question gets a spoken answer shown under it; typing while the answer plays barges
 * in (the truncate goes on the wire before the typed item); "Text only" asks for a written answer; and
 * without an API key the box is disabled and says why.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { validateClientEvent } from '../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../support/fake-realtime/index.ts';
import { startApp, stateOf, until, type AppHarness } from './app-harness.ts';
import { watchRendered } from './rendered.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: text turns e2e: ${missing}`);

/** A quiet tone of `seconds`: long enough to still be playing when the next message is typed. */
const tone = (seconds: number): Int16Array => new Int16Array(Math.round(24_000 * seconds)).map((_, i) => Math.round(Math.sin((2 * Math.PI * 330 * i) / 24000) * 3000));

async function bubbles(page: Page): Promise<{ role: string; text: string; cut: boolean }[]> {
  return page.locator('.bubble').evaluateAll((nodes) =>
    nodes.map((n) => ({
      role: n.getAttribute('data-role') ?? '',
      text: n.querySelector('.text')?.textContent ?? '',
      cut: n.querySelector('[data-testid="interrupted"]') !== null,
    })),
  );
}

function expectHonest(fake: FakeRealtime): void {
  expect(fake.schemaErrors).toEqual([]);
  for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  expect(fake.sent.filter((r) => r.event.type === 'error').map((r) => r.event)).toEqual([]);
}

describe.skipIf(missing !== null)('typing instead of talking (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.open();
  });

  afterAll(async () => {
    if (app) expectHonest(app.fake);
    await app?.close();
  });

  it('a typed question (Enter) gets a spoken answer, shown under the question, with the turn measured and priced', async () => {
    const question = 'What is on my shopping list?';
    app.fake.setReply({ transcript: 'Milk and eggs.', samples: tone(0.8) });
    const box = page.getByLabel('Message to Earshot');
    await box.click();
    // Shift+Enter is a new line, not a send.
    await box.pressSequentially('What is on my');
    await box.press('Shift+Enter');
    expect(await box.inputValue()).toBe('What is on my\n');
    await box.fill(question);
    await box.press('Enter');
    await until(() => app.fake.events('conversation.item.create').length > 0, 10_000, 'the typed item at the server');
    const item = app.fake.events('conversation.item.create')[0]?.['item'];
    expect(item).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: question }] });
    await page.locator('.bubble.assistant', { hasText: 'Milk and eggs.' }).waitFor({ timeout: 15_000 });
    await until(async () => (await stateOf(page)) === 'idle', 15_000, 'the answer to finish playing');
    expect(await box.inputValue()).toBe('');
    expect(await bubbles(page)).toEqual([
      { role: 'user', text: question, cut: false },
      { role: 'assistant', text: 'Milk and eggs.', cut: false },
    ]);
    // Spoken: the response used the session's audio output, and audio was streamed to the window.
    expect(app.fake.events('response.create')[0]?.['response']).toBeUndefined();
    expect(app.fake.events('response.output_audio.delta').length).toBeGreaterThan(0);
    // Measured and priced like a spoken turn: the footer names the time to the first sound and the cost.
    const summary = await page.getByTestId('metrics-summary').textContent();
    console.log(`text turn footer: ${summary}`);
    expect(summary).toMatch(/\$|under \$0\.01/);
  });

  it('typing while the answer plays barges in: the player stops, the truncate goes first, then the typed turn', async () => {
    const before = app.fake.received.length;
    app.fake.setReply({ transcript: 'Here is a long story about a lighthouse keeper who counted every wave that reached the rocks below.', samples: tone(6) });
    const box = page.getByLabel('Message to Earshot');
    const rendered = watchRendered(app.host.core.session);
    await box.fill('Tell me a long story.');
    await box.press('Enter');
    await until(async () => (await stateOf(page)) === 'speaking', 15_000, 'the answer to play');
    // Heard, not merely received: the page's player has reported its first sample, then time passes.
    await until(() => rendered.sounding(), 15_000, 'the answer to sound in the page');
    rendered.stop();
    await new Promise((r) => setTimeout(r, 800));
    app.fake.setReply({ transcript: 'Fine, something short.', samples: tone(0.6) });
    await box.fill('Stop, something short please.');
    await box.press('Enter');
    await page.locator('.bubble.assistant', { hasText: 'Fine, something short.' }).waitFor({ timeout: 15_000 });
    await until(async () => (await stateOf(page)) === 'idle', 15_000, 'the second answer to finish');

    const wire = app.fake.received.slice(before).map((r) => r.event);
    const truncate = wire.findIndex((e) => e.type === 'conversation.item.truncate');
    const items = wire.map((e, i) => (e.type === 'conversation.item.create' ? i : -1)).filter((i) => i >= 0);
    expect(items).toHaveLength(2);
    expect(truncate).toBeGreaterThan(items[0] ?? Infinity);
    expect(truncate).toBeLessThan(items[1] ?? -1);
    const heardMs = Number(wire[truncate]?.['audio_end_ms']);
    console.log(`typed barge-in: truncated at ${heardMs} ms of a 6000 ms answer`);
    // The window really played part of it, and not all of it.
    // About 800 ms were heard; a loaded machine's audio thread may have rendered less in that time.
    expect(heardMs).toBeGreaterThan(100);
    expect(heardMs).toBeLessThan(5000);
    const order = await bubbles(page);
    const tail = order.slice(-4);
    expect(tail.map((b) => b.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(tail[0]?.text).toBe('Tell me a long story.');
    expect(tail[1]?.cut).toBe(true);
    expect(tail[1]?.text.length).toBeLessThan('Here is a long story about a lighthouse keeper who counted every wave that reached the rocks below.'.length);
    expect(tail[2]?.text).toBe('Stop, something short please.');
    expect(tail[3]).toEqual({ role: 'assistant', text: 'Fine, something short.', cut: false });
  });

  it('"Text only" asks for a written answer for that message (output_modalities ["text"])', async () => {
    const before = app.fake.events('response.create').length;
    app.fake.setReply({ transcript: 'Written, not spoken.', samples: tone(0.5) });
    await page.getByLabel('Text only').check();
    const box = page.getByLabel('Message to Earshot');
    await box.fill('Answer in writing.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.bubble.assistant', { hasText: 'Written, not spoken.' }).waitFor({ timeout: 15_000 });
    await until(async () => (await stateOf(page)) === 'idle', 10_000, 'idle after the written answer');
    expect(app.fake.events('response.create')[before]?.['response']).toEqual({ output_modalities: ['text'] });
    await page.getByLabel('Text only').uncheck();
  });
});

describe.skipIf(missing !== null)('the text box without an API key', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await startApp({ apiKey: '' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is disabled and says why', async () => {
    const page = await app.open();
    // Without a key the window opens on onboarding (no tabs); main can still show the conversation.
    app.host.core.show('transcript');
    const box = page.getByLabel('Message to Earshot');
    await box.waitFor();
    expect(await box.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    const hint = await page.getByTestId('text-hint').textContent();
    expect(hint).toMatch(/API key/);
    // The reason is the box's description for a screen reader.
    const described = await box.getAttribute('aria-describedby');
    expect(described && (await page.locator(`[id="${described}"]`).textContent())).toBe(hint);
    expect(app.fake.connections).toBe(0);
  });
});
