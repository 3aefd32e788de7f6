/**
 * Onboarding against the real core, in Chromium with a fake microphone playing real speech: the
 * hotkey check takes the global hotkey's presses without opening a (paid) Realtime connection; the
 * microphone check records 3 s here and plays them back here, sending nothing; there is one meter;
 * "Start using Earshot" stays on screen at the window's size and at 320×480; and once onboarding is
 * left, the hotkey talks again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/browser.ts';
import { appendedMs, E2E_WAIT, startApp, stateOf, until, type AppHarness } from './app-harness.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: onboarding e2e: ${missing}`);

async function openOnboarding(app: AppHarness, page: Page): Promise<void> {
  app.host.core.show('onboarding');
  await page.getByTestId('onboarding').waitFor();
  await page.locator('[data-testid="hotkey-check-status"][data-check="on"]').waitFor({ timeout: E2E_WAIT });
}

/** The button's box lies inside the viewport (no scrolling needed to reach it). */
async function inView(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox();
  const viewport = page.viewportSize();
  return box !== null && viewport !== null && box.y >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

describe.skipIf(missing !== null)('onboarding (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('checks the hotkey without starting a turn, and the hotkey talks again once onboarding is done', async () => {
    const page = await app.open();
    await openOnboarding(app, page);
    app.host.core.hotkeyDown();
    await page.getByTestId('hotkey-done').waitFor({ timeout: E2E_WAIT });
    app.host.core.hotkeyUp();
    await page.getByTestId('hotkey-check-status').getByText('letting go').waitFor({ timeout: E2E_WAIT });
    await new Promise((r) => setTimeout(r, 500));
    console.log(`onboarding hotkey check: ${app.fake.connections} Realtime connections, ${app.fake.events('input_audio_buffer.append').length} audio appends, state ${await stateOf(page)}`);
    expect(app.fake.connections).toBe(0);
    expect(app.fake.events('input_audio_buffer.append')).toHaveLength(0);
    expect(await stateOf(page)).toBe('idle');

    await page.getByTestId('onboarding-done').click();
    await page.getByTestId('onboarding').waitFor({ state: 'detached' });
    // Leaving onboarding closed the check: the same key now starts a real turn.
    app.host.core.hotkeyDown();
    await until(() => appendedMs(app.fake) >= 200, 15_000, 'microphone audio at the server after onboarding');
    app.host.core.hotkeyUp();
    await until(() => app.fake.events('response.done').length > 0, 20_000, 'the answer');
    expect(app.fake.connections).toBe(1);
    await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle');
    await page.context().close();
  });

  it('records 3 s of the microphone and plays them back here, with one meter, sending nothing', async () => {
    const page = await app.open();
    const connections = app.fake.connections;
    const appends = app.fake.events('input_audio_buffer.append').length;
    await openOnboarding(app, page);
    expect(await page.getByTestId('onboarding').getByRole('meter').count()).toBe(1);
    const status = page.getByTestId('mic-check-status');
    const started = Date.now();
    // The meter moves with the voice: its value, and the bar as drawn (it is moved by a transform, so
    // the box on screen, not a style width, is what the user sees). The page itself keeps the loudest
    // reading, so a slow test process cannot miss the loud moments.
    await page.getByTestId('onboarding').getByRole('meter').evaluate((meter) => {
      const loudest = { value: 0, drawn: 0 };
      (window as unknown as { loudest: typeof loudest }).loudest = loudest;
      const fill = meter.querySelector('.meter-fill');
      new MutationObserver(() => {
        loudest.value = Math.max(loudest.value, Number(meter.getAttribute('aria-valuenow')));
        if (fill?.parentElement) loudest.drawn = Math.max(loudest.drawn, fill.getBoundingClientRect().width / Math.max(1, fill.parentElement.getBoundingClientRect().width));
      }).observe(meter, { attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByTestId('mic-record').click();
    await page.locator('[data-testid="mic-check-status"][data-phase="playing"]').waitFor({ timeout: 10_000 });
    const recorded = Date.now();
    await page.locator('[data-testid="mic-check-status"][data-phase="heard"]').waitFor({ timeout: 10_000 });
    const played = Date.now();
    console.log(`onboarding mic check: recorded for ${recorded - started} ms, played back for ${played - recorded} ms; "${await status.textContent()}"`);
    // The playback phase ends when the worklet has rendered the whole recording, at real time.
    expect(recorded - started).toBeGreaterThanOrEqual(2900);
    expect(played - recorded).toBeGreaterThanOrEqual(2500);
    await page.getByTestId('mic-done').waitFor();
    const loudest = await page.evaluate(() => (window as unknown as { loudest: { value: number; drawn: number } }).loudest);
    console.log(`onboarding meter: loudest ${loudest.value} %, drawn at ${(loudest.drawn * 100).toFixed(0)} % of the track`);
    expect(loudest.value).toBeGreaterThanOrEqual(20);
    expect(loudest.drawn).toBeGreaterThanOrEqual(0.2);
    expect(app.fake.connections).toBe(connections);
    expect(app.fake.events('input_audio_buffer.append')).toHaveLength(appends);
    expect(await stateOf(page)).toBe('idle');
    await page.context().close();
  });

  for (const size of [
    { width: 420, height: 640 },
    { width: 320, height: 480 },
  ]) {
    it(`keeps "Start using Earshot" on screen at ${size.width}×${size.height}, at the top and at the bottom of the page`, async () => {
      const page = await app.open(size);
      await openOnboarding(app, page);
      const atTop = await inView(page, 'onboarding-done');
      await page.getByTestId('hotkey-check-status').scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, 2000);
      await new Promise((r) => setTimeout(r, 200));
      const atBottom = await inView(page, 'onboarding-done');
      console.log(`onboarding ${size.width}×${size.height}: main button in view at top ${atTop}, at bottom ${atBottom}`);
      expect([atTop, atBottom]).toEqual([true, true]);
      await page.context().close();
    });
  }
});
