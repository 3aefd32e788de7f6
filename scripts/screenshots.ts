/**
 * Writes screenshots of the window into docs/screenshots/: onboarding, the conversation while
 * speaking, an approval, an error, settings, history, the screen picker and Settings with MCP servers
 * (settings-mcp and settings-mcp-more: one connected with its tools, one that fails to start, one
 * native), in light and dark, at
 * the window's real size (420×640). It runs the real thing: the built renderer in Debian's Chromium, the real core,
 * the fake Realtime server (test/e2e/app-harness.ts, test/e2e/scenes.ts).
 *
 *   node node_modules/electron-vite/bin/electron-vite.js build && node scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumMissingReason } from '../test/support/browser.ts';
import { DEMO_DESKTOP, root, startApp } from '../test/e2e/app-harness.ts';
import { enterScene, seedConversation, type SceneName } from '../test/e2e/scenes.ts';
import { enterMcpScene, scrollToTop } from '../test/e2e/mcp-scene.ts';

const SHOTS: SceneName[] = ['onboarding', 'speaking', 'approval', 'error', 'settings', 'history', 'picker'];

async function main(): Promise<void> {
  const missing = chromiumMissingReason();
  if (missing) {
    console.log(`skipped: screenshots: ${missing}`);
    process.exitCode = 1;
    return;
  }
  const out = join(root, 'docs', 'screenshots');
  mkdirSync(out, { recursive: true });
  const app = await startApp({ screen: DEMO_DESKTOP });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await app.open({ scheme });
      await seedConversation(app, page);
      for (const scene of SHOTS) {
        const leave = await enterScene(app, page, scene);
        // Let transitions and the level meters settle.
        await new Promise((r) => setTimeout(r, 300));
        const file = join(out, `${scene}-${scheme}.png`);
        await page.screenshot({ path: file });
        console.log(`wrote ${file}`);
        await leave();
      }
      const leaveMcp = await enterMcpScene(app, page);
      await new Promise((r) => setTimeout(r, 300));
      const mcpFile = join(out, `settings-mcp-${scheme}.png`);
      await page.screenshot({ path: mcpFile });
      console.log(`wrote ${mcpFile}`);
      // Further down: the server that cannot start (why, and the next attempt) and the native one.
      await scrollToTop(page, '[data-server-id="calendar"]');
      const toolsFile = join(out, `settings-mcp-more-${scheme}.png`);
      await page.screenshot({ path: toolsFile });
      console.log(`wrote ${toolsFile}`);
      await leaveMcp();
      await page.context().close();
    }
  } finally {
    await app.close();
  }
}

await main();
