/**
 * MCP servers in the window, against the real core and the real stdio fixture server
 * (test/support/mcp/stdio-server.ts): a mistake in the add form is explained beside its field; a
 * local server added through Settings starts, shows "Connected" with its tools, and its value of an
 * environment variable is never shown back; a tool set to "Always allow" is saved and its line says
 * so; Edit opens the server's form (values hidden, a mistake told, Cancel keeps all), a rename keeps
 * the program running and a new variable value restarts it with that value; a server that cannot
 * start shows why and when it is tried again; Remove can be undone, and otherwise the program is
 * stopped. axe finds nothing serious in the section, light and dark.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/browser.ts';
import { E2E_WAIT, root, startApp, until, type AppHarness } from './app-harness.ts';
import { horizontalOverflow, runAxe } from './axe.ts';
import { enterMcpScene, saveServers, STDIO_SERVER } from './mcp-scene.ts';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped: MCP settings e2e: ${missing}`);

const SECRET = 'e2e-mcp-secret-5d8c1a';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(missing !== null)('MCP servers in Settings (Chromium ↔ core ↔ a real stdio MCP server)', () => {
  let app: AppHarness;
  let page: Page;
  let scratch: string;

  beforeAll(async () => {
    app = await startApp();
    page = await app.open();
    scratch = mkdtempSync(join(tmpdir(), 'earshot-e2e-mcp-'));
  });

  afterAll(async () => {
    await app?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const section = () => page.getByTestId('mcp-settings');
  const form = () => page.getByTestId('mcp-add');
  const stored = () => app.host.core.settings.get().mcpServers;

  it('explains a mistake beside its field and saves nothing', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    await section().waitFor();
    expect(await section().getByText('No servers yet.').count()).toBe(1);
    await form().getByLabel('Kind').selectOption('http');
    await form().getByLabel('Name', { exact: true }).fill('Plain web');
    await form().getByLabel('URL', { exact: true }).fill('http://mcp.example.com/mcp');
    await form().getByTestId('mcp-add-submit').click();
    const url = form().getByTestId('mcp-add-error-url');
    await url.getByText('must start with https://').waitFor();
    // The field names its error for a screen reader.
    const describedBy = (await form().getByLabel('URL', { exact: true }).getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await url.getAttribute('id'));
    expect(stored()).toEqual([]);
  });

  it('adds a local server that connects and lists its tools; the variable’s value is never shown', async () => {
    const starts = join(scratch, 'starts.txt');
    await form().getByLabel('Kind').selectOption('stdio');
    await form().getByLabel('Name', { exact: true }).fill('Fixture notes');
    await form().getByLabel('Command').fill(process.execPath);
    await form().getByLabel('Arguments, one per line').fill(STDIO_SERVER);
    await form().getByRole('button', { name: 'Add variable' }).click();
    await form().getByRole('button', { name: 'Add variable' }).click();
    await form().getByLabel('Variable 1 name').fill('FIXTURE_SECRET');
    await form().getByLabel('Variable 1 value').fill(SECRET);
    await form().getByLabel('Variable 2 name').fill('FIXTURE_STARTS_FILE');
    await form().getByLabel('Variable 2 value').fill(starts);
    const started = Date.now();
    await form().getByTestId('mcp-add-submit').click();
    await form().getByTestId('mcp-added').getByText('Added “Fixture notes”').waitFor();

    const server = section().locator('[data-server-id="fixture-notes"]');
    await server.locator('[data-testid="mcp-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
    console.log(`mcp: connected ${Date.now() - started} ms after Add server`);
    expect(await server.getByTestId('mcp-state').textContent()).toMatch(/^Connected · 1[0-9] tools$/);
    await server.getByTestId('mcp-tools').locator('summary').click();
    const tools = await Promise.all((await server.getByTestId('mcp-tool').all()).map((item) => item.getAttribute('data-tool')));
    expect(tools).toEqual(expect.arrayContaining(['echo', 'add_note', 'wipe']));
    expect(await server.locator('[data-tool="echo"]').getByTestId('mcp-tool-effect').textContent()).toBe('Repeats the text it is given. Now it runs without asking.');

    expect(stored()).toMatchObject([{ id: 'fixture-notes', name: 'Fixture notes', enabled: true, policy: 'ask', transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER], env: { FIXTURE_SECRET: SECRET } } }]);
    expect(await server.getByTestId('mcp-secrets').textContent()).toBe('Environment: FIXTURE_SECRET (set), FIXTURE_STARTS_FILE (set)');
    expect(await page.content()).not.toContain(SECRET);
    // The form is empty again, ready for the next server.
    expect(await form().getByLabel('Command').inputValue()).toBe('');
  });

  it('sets one tool to "Always allow": saved, and the tool says it runs without asking', async () => {
    const server = section().locator('[data-server-id="fixture-notes"]');
    const addNote = server.locator('[data-tool="add_note"]');
    expect(await addNote.getByTestId('mcp-tool-effect').textContent()).toContain('Now it asks you first.');
    await addNote.getByLabel('add_note').selectOption({ label: 'Always allow' });
    await until(() => stored()[0]?.toolPolicies.add_note === 'allow', E2E_WAIT, 'the tool policy to be saved');
    await addNote.getByTestId('mcp-tool-effect').getByText('Now it runs without asking.').waitFor();
    await addNote.getByText('Saved').waitFor();
    // The server's secret survived the save of a list whose values the window never saw.
    const env = stored()[0]?.transport;
    expect(env?.type === 'stdio' ? env.env.FIXTURE_SECRET : null).toBe(SECRET);
    // And a tool policy does not restart the server.
    expect(app.host.core.mcpServers()[0]).toMatchObject({ state: 'ready', restarts: 0 });
  });

  it('edits the server: values stay hidden, a mistake is told, Cancel keeps all; a rename keeps it running, a new value restarts it', async () => {
    const starts = join(scratch, 'starts.txt');
    const server = section().locator('[data-server-id="fixture-notes"]');
    const edit = server.getByTestId('mcp-edit');
    const focused = (locator: Locator): Promise<boolean> => locator.evaluate((el) => el === el.ownerDocument.activeElement);
    expect(readFileSync(starts, 'utf8').trim().split('\n')).toHaveLength(1);

    // Opened from its Edit button (named for the server), focus on the first field, values hidden.
    await server.getByRole('button', { name: 'Edit Fixture notes' }).click();
    await edit.waitFor();
    await until(() => focused(edit.getByTestId('mcp-edit-kind')), 15_000, 'focus on the first field');
    expect(await edit.getByLabel('Name', { exact: true }).inputValue()).toBe('Fixture notes');
    expect(await edit.getByLabel('Command').inputValue()).toBe(process.execPath);
    expect(await edit.getByLabel('Variable 1 name').inputValue()).toBe('FIXTURE_SECRET');
    expect(await edit.getByLabel('Variable 1 value').inputValue()).toBe('');
    expect(await edit.getByLabel('Variable 1 value').getAttribute('placeholder')).toBe('set — leave empty to keep');
    const serious = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await edit.screenshot({ path: join(root, '.tmp', 'e2e-mcp-edit.png') });

    // A mistake is told beside its field; nothing is saved.
    await edit.getByLabel('Command').fill('   ');
    await edit.getByTestId('mcp-edit-submit').click();
    await edit.getByTestId('mcp-edit-error-command').getByText('must name the program to start').waitFor();
    expect(stored()[0]?.transport).toMatchObject({ command: process.execPath });

    // Cancel: the form closes, focus is back on Edit, nothing changed.
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
    await until(() => focused(server.getByRole('button', { name: 'Edit Fixture notes' })), 15_000, 'focus back on Edit');
    expect(stored()[0]).toMatchObject({ name: 'Fixture notes', transport: { command: process.execPath, env: { FIXTURE_SECRET: SECRET } } });

    // A rename: saved, the same program keeps running (no second start), the tool policy stays.
    await server.getByRole('button', { name: 'Edit Fixture notes' }).click();
    await edit.getByLabel('Name', { exact: true }).fill('Fixture notes (work)');
    await edit.getByTestId('mcp-edit-submit').click();
    await edit.waitFor({ state: 'detached' });
    await until(() => stored()[0]?.name === 'Fixture notes (work)', 15_000, 'the new name to be saved');
    await server.getByRole('heading', { name: 'Fixture notes (work)' }).waitFor();
    await until(() => focused(server.getByRole('button', { name: 'Edit Fixture notes (work)' })), 15_000, 'focus back on Edit');
    expect(stored()[0]).toMatchObject({ id: 'fixture-notes', enabled: true, toolPolicies: { add_note: 'allow' }, transport: { env: { FIXTURE_SECRET: SECRET, FIXTURE_STARTS_FILE: starts } } });
    expect(app.host.core.mcpServers()[0]).toMatchObject({ name: 'Fixture notes (work)', state: 'ready', restarts: 0 });
    expect(readFileSync(starts, 'utf8').trim().split('\n')).toHaveLength(1);

    // A new value for the secret variable: the server starts again with it; the other value is kept.
    const NEW_SECRET = 'e2e-mcp-secret-rotated-71c0';
    await server.getByRole('button', { name: 'Edit Fixture notes (work)' }).click();
    await edit.getByLabel('Variable 1 value').fill(NEW_SECRET);
    await edit.getByTestId('mcp-edit-submit').click();
    await edit.waitFor({ state: 'detached' });
    await until(() => readFileSync(starts, 'utf8').trim().split('\n').length === 2, 20_000, 'the server to start again');
    await server.locator('[data-testid="mcp-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(stored()[0]?.transport).toMatchObject({ env: { FIXTURE_SECRET: NEW_SECRET, FIXTURE_STARTS_FILE: starts } });
    expect(await server.getByTestId('mcp-secrets').textContent()).toBe('Environment: FIXTURE_SECRET (set), FIXTURE_STARTS_FILE (set)');
    const content = await page.content();
    expect(content).not.toContain(NEW_SECRET);
    expect(content).not.toContain(SECRET);
  });

  it('shows why a server cannot start and when it is tried again', async () => {
    await saveServers(page, [...(await page.evaluate(() => window.earshot.request.getSettings({}))).mcpServers, { id: 'broken', name: 'Broken', transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER], env: { FIXTURE_FAIL_START: 'config' } } }]);
    const broken = section().locator('[data-server-id="broken"]');
    await broken.getByTestId('mcp-error').waitFor({ timeout: 20_000 });
    expect(await broken.getByTestId('mcp-error').textContent()).toContain('no config at ~/.notes.toml');
    expect(await broken.getByTestId('mcp-state').textContent()).toMatch(/^Not running\. Trying again (in \d+ s|now)\.$/);
    // Turned off, it stops being tried and says so.
    // The box shows main's saved value (the settings view), so it flips when the save is confirmed:
    // click it, then wait for what main says, rather than asking Playwright for an instant flip.
    await broken.getByLabel('Use this server').click();
    await broken.locator('[data-testid="mcp-state"][data-state="off"]').waitFor({ timeout: 10_000 });
    expect(await broken.getByLabel('Use this server').isChecked()).toBe(false);
    expect(await broken.getByTestId('mcp-error').count()).toBe(0);
    await until(() => stored().find((s) => s.id === 'broken')?.enabled === false, E2E_WAIT, 'the server to be turned off');
  });

  it('has no serious or critical axe violation in the section, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const view = await app.open({ scheme });
      const leave = await enterMcpScene(app, view);
      const serious = (await runAxe(view)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      console.log(`axe ${scheme} mcp settings: ${serious.length} serious/critical${serious.length ? ` (${serious.map((v) => `${v.id} at ${v.targets.join(' ')}`).join(', ')})` : ''}`);
      await view.screenshot({ path: join(app.filesRoot, `mcp-${scheme}.png`) });
      expect(serious.map((v) => v.id)).toEqual([]);
      await leave();
      await view.context().close();
    }
  });

  it('reflows without horizontal scrolling at 200 % zoom with servers listed', async () => {
    const view = await app.open({ zoom: 2 });
    const leave = await enterMcpScene(app, view);
    const px = await horizontalOverflow(view);
    console.log(`reflow 200 % zoom mcp settings: ${px} px sideways`);
    await view.screenshot({ path: join(app.filesRoot, 'mcp-zoom.png') });
    expect(px).toBe(0);
    await leave();
    await view.context().close();
  });

  it('removes a server with undo; otherwise the program is stopped', async () => {
    const starts = join(scratch, 'starts2.txt');
    await saveServers(page, [{ id: 'temp', name: 'Temporary', transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER], env: { FIXTURE_STARTS_FILE: starts } } }]);
    const server = section().locator('[data-server-id="temp"]');
    await server.locator('[data-testid="mcp-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const pid = Number(readFileSync(starts, 'utf8').trim().split('\n').at(-1));
    expect(alive(pid)).toBe(true);

    await server.getByRole('button', { name: 'Remove the server “Temporary”' }).click();
    expect(await server.count()).toBe(0);
    await section().getByTestId('mcp-undo-bar').getByText('Removed “Temporary”.').waitFor();
    await section().getByTestId('mcp-undo-remove').click();
    await server.waitFor();
    expect(stored().map((s) => s.id)).toEqual(['temp']);

    await server.getByRole('button', { name: 'Remove the server “Temporary”' }).click();
    // Leaving Settings carries out the removal at once (as History's delete does).
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Conversation' }).click();
    await until(() => stored().length === 0, E2E_WAIT, 'the removal to be saved');
    await until(() => !alive(pid), 10_000, 'the server program to end');
    expect(app.host.core.mcpServers()).toEqual([]);
  });
});
