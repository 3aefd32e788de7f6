/**
 * Every view of the window, in light and dark, at the window's real size: axe-core at WCAG 2.2 AA
 * finds no serious or critical violation (printed per view); and the layout reflows without
 * horizontal scrolling at 320×480 and at 200 % zoom.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { DEMO_DESKTOP, root, startApp, type AppHarness } from './app-harness.ts';
import { horizontalOverflow, runAxe } from './axe.ts';
import { enterScene, SCENES, seedConversation } from './scenes.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: window views e2e: ${missing}`);

describe.skipIf(missing !== null)('every view of the window (Chromium ↔ core ↔ fake Realtime)', () => {
  let app: AppHarness;

  beforeAll(async () => {
    // With a desktop to look at, for the screen picker's view.
    app = await startApp({ screen: DEMO_DESKTOP });
  });

  afterAll(async () => {
    await app?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe violation at WCAG 2.2 AA in any view, ${scheme}`, async () => {
      const page = await app.open({ scheme });
      const failures: string[] = [];
      for (const scene of SCENES) {
        const leave = await enterScene(app, page, scene);
        const violations = await runAxe(page);
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        const minor = violations.length - serious.length;
        console.log(`axe ${scheme} ${scene}: ${serious.length} serious/critical, ${minor} moderate/minor${violations.length ? ` (${violations.map((v) => `${v.id}×${v.nodes}`).join(', ')})` : ''}`);
        for (const v of serious) failures.push(`${scheme} ${scene}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(' ')}`);
        await page.screenshot({ path: join(root, '.tmp', `view-${scheme}-${scene}.png`) });
        await leave();
      }
      await page.context().close();
      expect(failures).toEqual([]);
    });
  }

  for (const size of [
    { label: '320×480', width: 320, height: 480, zoom: 1 },
    { label: '200 % zoom of 420×640', width: 420, height: 640, zoom: 2 },
  ]) {
    it(`reflows without horizontal scrolling at ${size.label}`, async () => {
      const page = await app.open({ width: size.width, height: size.height, zoom: size.zoom });
      if ((await page.locator('.bubble').count()) === 0) await seedConversation(app, page);
      const overflow: string[] = [];
      for (const scene of SCENES) {
        const leave = await enterScene(app, page, scene);
        const px = await horizontalOverflow(page);
        // The Talk button stays reachable on screen.
        const talk = await page.getByTestId('talk').boundingBox();
        const viewport = page.viewportSize();
        console.log(`reflow ${size.label} ${scene}: ${px} px sideways`);
        if (px > 0) overflow.push(`${scene}: ${px} px`);
        if (!talk || !viewport || talk.x + talk.width > viewport.width) overflow.push(`${scene}: Talk button off screen`);
        await page.screenshot({ path: join(root, '.tmp', `reflow-${size.width}x${size.height}@${size.zoom}-${scene}.png`) });
        await leave();
      }
      await page.context().close();
      expect(overflow).toEqual([]);
    });
  }
});

describe.skipIf(missing !== null)('the accessibility check itself', () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reports a low-contrast text and an unlabelled button when they are there', async () => {
    const page = await app.open();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'faint text';
      p.style.color = '#cccccc';
      p.style.background = '#ffffff';
      const b = document.createElement('button');
      document.querySelector('main')?.append(p, b);
    });
    const ids = (await runAxe(page)).map((v) => v.id);
    expect(ids).toContain('color-contrast');
    expect(ids).toContain('button-name');
    await page.context().close();
  });
});
