/** Opens the audio harness page in a fresh Chromium and initialises the session. */
import type { Browser, Page } from 'playwright-core';
import type { AudioSessionOptions } from '../../renderer/audio/audio-session.ts';
import { launchChromium, type LaunchChromiumOptions } from '../support/browser.ts';
import type { PageServer } from './page-server.ts';

export interface HarnessPage {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

type InitOptions = Omit<Partial<AudioSessionOptions>, 'onGraph' | 'onDeviceChoice'> & { tap?: boolean };

export async function openHarness(server: PageServer, launch: LaunchChromiumOptions, init: InitOptions): Promise<HarnessPage> {
  const browser = await launchChromium(launch);
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[page] ${m.text()}`);
  });
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  await page.goto(`${server.origin}/harness.html`);
  await page.waitForFunction(() => 'harness' in window);
  await page.evaluate((o) => window.harness.init(o), init);
  return { browser, page, close: () => browser.close() };
}
