/**
 * Brings the real app (core + fake Realtime + built renderer) into each state worth looking at:
 * the views tests run axe-core and reflow checks on them, scripts/screenshots.ts photographs them.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { appendedMs, E2E_WAIT, stateOf, talk, until, type AppHarness } from './app-harness.ts';

export const SCENES = ['onboarding', 'conversation', 'speaking', 'approval', 'error', 'settings', 'history', 'picker'] as const;
export type SceneName = (typeof SCENES)[number];

const tone = (seconds: number, hz = 440): Int16Array =>
  new Int16Array(Math.round(24_000 * seconds)).map((_, i) => Math.round(Math.sin((2 * Math.PI * hz * i) / 24000) * 4000));

async function press(app: AppHarness, ms = 300): Promise<void> {
  const before = app.fake.events('input_audio_buffer.append').length;
  app.host.core.hotkeyDown();
  await until(() => appendedMs(app.fake, before) >= ms, 15_000, 'microphone audio at the server');
  app.host.core.hotkeyUp();
}

async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();
}

async function idle(page: Page): Promise<void> {
  await until(async () => (await stateOf(page)) === 'idle', 20_000, 'idle');
}

/** A short conversation with a file read, so the thread has bubbles and a tool card. */
export async function seedConversation(app: AppHarness, page: Page): Promise<void> {
  app.fake.setUserTranscript('What is on my shopping list?');
  app.fake.setReply({ transcript: 'Your shopping list has milk and eggs.', samples: tone(0.5) });
  app.fake.scriptToolCall({ name: 'read_file', arguments: { path: join(app.filesRoot, 'shopping.txt') } });
  await talk(app);
  await idle(page);
  app.fake.setUserTranscript('Thanks. Anything else I should buy for the weekend?');
  app.fake.setReply({ transcript: 'Maybe bread and some fruit for the weekend.', samples: tone(0.5) });
  await talk(app);
  await idle(page);
}

/** Puts the page into `scene`. Returns a function that leaves it (so the next scene starts clean). */
export async function enterScene(app: AppHarness, page: Page, scene: SceneName): Promise<() => Promise<void>> {
  switch (scene) {
    case 'onboarding':
      app.host.core.show('onboarding');
      await page.getByTestId('onboarding').waitFor();
      return async () => {
        await page.getByTestId('onboarding-done').click();
      };
    case 'conversation':
      if ((await page.locator('.bubble').count()) === 0) await seedConversation(app, page);
      return async () => undefined;
    case 'speaking': {
      app.fake.setUserTranscript('Tell me a long story about the sea.');
      app.fake.setReply({ transcript: 'Once upon a time, far out at sea, a small boat drifted under a sky full of stars…', samples: tone(12, 330) });
      await press(app);
      await until(async () => (await stateOf(page)) === 'speaking', 15_000, 'speaking');
      await page.getByText('Once upon a time').waitFor();
      return async () => {
        await page.keyboard.press('Escape');
        await idle(page);
      };
    }
    case 'approval': {
      app.fake.setUserTranscript('Write "call the dentist" to note.txt');
      app.fake.setReply({ transcript: 'Okay.', samples: tone(0.3) });
      app.fake.scriptToolCall({ name: 'write_file', arguments: { path: join(app.filesRoot, 'note.txt'), content: 'call the dentist\n' } });
      await press(app);
      await page.locator('[data-testid="approval"][data-outcome="open"]').waitFor({ timeout: 15_000 });
      return async () => {
        await page.locator('[data-testid="approval"][data-outcome="open"]').getByTestId('deny').click();
        await idle(page);
      };
    }
    case 'error': {
      app.fake.setUserTranscript('Are you there?');
      app.fake.rateLimitNext();
      await press(app);
      await page.getByTestId('notice').first().waitFor({ timeout: 15_000 });
      await until(async () => ['idle', 'error'].includes((await stateOf(page)) ?? ''), 20_000, 'the failed turn to end');
      app.fake.injectError({ type: 'invalid_request_error', code: 'unexpected_thing', message: "Unexpected parameter 'foo' (request req_8f2a)" });
      await page.getByText('Details').first().waitFor({ timeout: 10_000 });
      return async () => {
        for (const button of await page.getByRole('button', { name: /^Dismiss/ }).all()) await button.click();
      };
    }
    case 'settings':
      await tab(page, 'Settings');
      await page.getByTestId('settings').waitFor();
      return async () => tab(page, 'Conversation');
    case 'history':
      await tab(page, 'History');
      await page.getByTestId('history-item').first().waitFor({ timeout: 10_000 });
      await page.getByTestId('history-item').first().locator('button.title').click();
      await page.getByTestId('history-open').waitFor();
      return async () => tab(page, 'Conversation');
    case 'picker': {
      // The screen picker as the tray opens it, the second source picked and a question typed.
      if (!app.screen) throw new Error('the picker scene needs an app started with a desktop (startApp({ screen: DEMO_DESKTOP }))');
      app.host.core.askAboutScreen();
      const list = page.getByTestId('picker-list');
      await list.waitFor({ timeout: 10_000 });
      // (A string, not a function: this file is type-checked without the DOM library.)
      await page.waitForFunction("document.activeElement?.getAttribute('data-testid') === 'picker-list'", undefined, { timeout: E2E_WAIT });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.keyboard.type('What is in column D?');
      return async () => {
        await page.keyboard.press('Escape');
        await page.getByTestId('screen-picker').waitFor({ state: 'detached' });
      };
    }
  }
}
