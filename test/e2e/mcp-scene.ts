/**
 * Settings with MCP servers, for the MCP e2e test and scripts/screenshots.ts: the real stdio fixture
 * server (test/support/mcp/stdio-server.ts) connected with its tools, the same program failing to
 * start (its reason and the retry shown), and a remote server handed to the Realtime service.
 */
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { root, until, type AppHarness } from './app-harness.ts';

export const STDIO_SERVER = join(root, 'test', 'support', 'mcp', 'stdio-server.ts');

/** A server entry that starts the fixture server with this Node (no shell, no npx download). */
export function fixtureServer(id: string, name: string, env: Record<string, string> = {}): Record<string, unknown> {
  return {
    id,
    name,
    transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER], env, cwd: dirname(STDIO_SERVER) },
  };
}

export const SCENE_SERVERS = [
  fixtureServer('notes', 'Notes', { FIXTURE_SECRET: 'scene-secret-4b1d' }),
  fixtureServer('calendar', 'Calendar', { FIXTURE_FAIL_START: 'config' }),
  {
    id: 'docs',
    name: 'Team docs',
    transport: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer scene-token-9c2e' } },
    native: true,
  },
];

/** Scrolls the settings so the element `selector` finds starts at the top of the view. */
export async function scrollToTop(page: Page, selector: string): Promise<void> {
  // (A string, not a function: this file is type-checked without the DOM library.)
  await page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.scrollIntoView({ block: 'start' })`);
}

/** Saves `servers` as the window does (updateSettings), so the window's settings follow. */
export async function saveServers(page: Page, servers: unknown[]): Promise<void> {
  // (A string, not a function: scripts/screenshots.ts type-checks this file without the DOM library.)
  await page.evaluate(`window.earshot.request.updateSettings({ patch: { mcpServers: ${JSON.stringify(servers)} } }).then(() => true)`);
}

/** Settings scrolled to the MCP section with the scene's servers, the first one's tools open. */
export async function enterMcpScene(app: AppHarness, page: Page): Promise<() => Promise<void>> {
  await saveServers(page, SCENE_SERVERS);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByTestId('mcp-settings');
  await section.waitFor();
  const notes = section.locator('[data-server-id="notes"]');
  await notes.locator('[data-testid="mcp-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
  await section.locator('[data-server-id="calendar"] [data-testid="mcp-error"]').waitFor({ timeout: 20_000 });
  await notes.getByTestId('mcp-tools').locator('summary').click();
  // The "did not start" notice has been seen; the screenshot is about the section.
  for (const button of await page.getByRole('button', { name: /^Dismiss/ }).all()) await button.click();
  await scrollToTop(page, '[data-testid="mcp-settings"]');
  return async () => {
    await saveServers(page, []);
    await until(() => app.host.core.mcpServers().length === 0, 10_000, 'the scene servers to be removed');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Conversation' }).click();
  };
}
