/**
 * Settings' live view of the MCP servers (contract: getMcpServers and the mcpServers event), from the
 * composed core with the real stdio fixture server: a working server is listed with its tools and
 * the policy in effect for each, a failing one with its reason and the time to the next attempt, a
 * change of a tool's policy made through updateSettings reaches the list at once, and no header or
 * environment value ever appears in it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerLive } from '../../../preload/contract.ts';
import { startCoreRig, type CoreRig } from '../tools/mcp/core-rig.ts';
import { stdioServer } from '../tools/mcp/mcp-test-kit.ts';

const SECRET = 'fixture-secret-value-7f3e9a';

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MCP servers as Settings sees them', () => {
  let rig: CoreRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it('lists each server with its state, last error, retry delay and tools, and follows changes', async () => {
    const good = stdioServer({ id: 'notes', name: 'Notes', env: { FIXTURE_SECRET: SECRET } });
    const broken = stdioServer({ id: 'broken', name: 'Broken', env: { FIXTURE_FAIL_START: 'config' } });
    rig = await startCoreRig({ mcpServers: [good, broken] });
    const events: McpServerLive[][] = [];
    rig.bridge.on.mcpServers((list) => events.push(list));
    const latest = (): McpServerLive[] => events.at(-1) ?? [];
    const byId = (id: string): McpServerLive | undefined => latest().find((s) => s.id === id);

    await until(() => byId('notes')?.state === 'ready' && byId('broken')?.state === 'retrying', 20_000, 'one server ready, the other retrying');
    const asked = await rig.bridge.request.getMcpServers({});
    expect(asked.map((s) => s.id)).toEqual(['notes', 'broken']);

    const notes = asked[0];
    expect(notes).toMatchObject({ name: 'Notes', transport: 'stdio', state: 'ready', lastError: null });
    const tool = (name: string) => notes?.tools.find((t) => t.name === name);
    // Read-only under "ask" runs without asking; a writing tool asks; a destructive one asks too.
    expect(tool('echo')).toEqual({ name: 'echo', description: 'Repeats the text it is given.', readOnly: true, policy: 'allow' });
    expect(tool('add_note')).toMatchObject({ readOnly: false, policy: 'ask', description: 'Saves a note.' });
    expect(tool('wipe')).toMatchObject({ policy: 'ask' });
    expect(notes?.tools.length).toBeGreaterThanOrEqual(12);

    const failing = asked[1];
    expect(failing?.state).toBe('retrying');
    expect(failing?.lastError).toContain('no config at ~/.notes.toml');
    expect(failing?.retryInMs).toBeGreaterThan(0);
    expect(failing?.tools).toEqual([]);

    // A tool set to "always" through the settings the window saves: the live list says so at once.
    const view = await rig.bridge.request.getSettings({});
    const next = view.mcpServers.map((s) => (s.id === 'notes' ? { ...s, toolPolicies: { add_note: 'allow' } } : s));
    const before = events.length;
    await rig.bridge.request.updateSettings({ patch: { mcpServers: next } });
    await until(() => events.length > before && byId('notes')?.tools.find((t) => t.name === 'add_note')?.policy === 'allow', 5000, 'the new policy in the list');
    // The value of the variable was kept (the view sent "[redacted]" back) and the server was not restarted.
    const stored = rig.core.settings.get().mcpServers.find((s) => s.id === 'notes');
    expect(stored?.transport.type === 'stdio' ? stored.transport.env.FIXTURE_SECRET : null).toBe(SECRET);
    expect(byId('notes')?.restarts).toBe(0);

    // Removed: gone from the list.
    await rig.bridge.request.updateSettings({ patch: { mcpServers: next.filter((s) => s.id !== 'broken') } });
    await until(() => latest().length === 1, 5000, 'the removed server to leave the list');

    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});
