/**
 * Editing an MCP server through the contract (`editMcpServer`) in the composed core, with the real
 * stdio fixture server and the fake Realtime service: a rename keeps the same running program (its
 * notes survive), its tool policies and the "always allow" given on an approval card; a new token
 * restarts it with the new value, and a command that cannot start shows as the server's status.
 * The window's view and the live list never carry a value. The contract refuses a malformed edit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerLive } from '../../../../preload/contract.ts';
import { problemsForEntry } from '../../../../renderer/src/state/mcp-form.ts';
import { outputOf, startCoreRig, type CoreRig } from './core-rig.ts';
import { stdioServer, until } from './mcp-test-kit.ts';

const FIRST = 'first-secret-123';
const SECOND = 'second-secret-value-4567';

let rig: CoreRig | null = null;
let scratch: string | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

const starts = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);

describe('editing an MCP server in the composed core', () => {
  it('a rename keeps the program, its policies and "always allow"; a new token restarts it; a bad command shows why', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'earshot-mcp-edit-'));
    const startsFile = join(scratch, 'starts.txt');
    const server = stdioServer({ id: 'notes', name: 'Notes', env: { FIXTURE_SECRET: FIRST, FIXTURE_STARTS_FILE: startsFile }, toolPolicies: { wipe: 'deny' } });
    const s = (rig = await startCoreRig({ mcpServers: [server] }));
    const lists: McpServerLive[][] = [];
    s.bridge.on.mcpServers((list) => lists.push(list));
    const live = (): McpServerLive | undefined => s.core.mcpServers().find((x) => x.id === 'notes') as McpServerLive | undefined;
    await until(() => live()?.state === 'ready', 'the server to be ready');

    // A turn: the model saves a note; the card is answered "always allow".
    s.fake.scriptToolCall({ name: 'notes__add_note', arguments: { note: 'one' }, callId: 'call_1' });
    s.ask();
    await until(() => s.approvals.length === 1, 'the approval card');
    await s.bridge.request.answerApproval({ id: s.approvals[0]?.id ?? '', decision: 'always' });
    await until(() => outputOf(s.fake, 'call_1') !== undefined, 'the first output');
    expect(outputOf(s.fake, 'call_1')).toBe('Saved. There is 1 note.');
    await until(() => s.core.status().state === 'idle', 'the turn to end');

    // Renamed, every value kept as it is (the form sends "keep" for fields left empty).
    const renamed = await s.bridge.request.editMcpServer({
      id: 'notes',
      name: 'Notes (work)',
      native: false,
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: server.transport.type === 'stdio' ? [...server.transport.args] : [],
        env: [
          { name: 'FIXTURE_SECRET', keepFrom: 'FIXTURE_SECRET' },
          { name: 'FIXTURE_STARTS_FILE', keepFrom: 'FIXTURE_STARTS_FILE' },
        ],
      },
    });
    expect(renamed.settings.mcpServers[0]).toMatchObject({ id: 'notes', name: 'Notes (work)', enabled: true, toolPolicies: { wipe: 'deny' } });
    await until(() => live()?.name === 'Notes (work)', 'the new name in the live list');

    // Same program (the note saved before is still there), and the "always allow" still holds: no card.
    s.fake.scriptToolCall({ name: 'notes__add_note', arguments: { note: 'two' }, callId: 'call_2' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_2') !== undefined, 'the second output');
    expect(outputOf(s.fake, 'call_2')).toBe('Saved. There are 2 notes.');
    expect(s.approvals).toHaveLength(1);
    expect(starts(startsFile)).toHaveLength(1);
    expect(live()).toMatchObject({ state: 'ready', restarts: 0 });
    await until(() => s.core.status().state === 'idle', 'the turn to end');

    // A new token: the server restarts with it.
    await s.bridge.request.editMcpServer({
      id: 'notes',
      name: 'Notes (work)',
      native: false,
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: server.transport.type === 'stdio' ? [...server.transport.args] : [],
        env: [
          { name: 'FIXTURE_SECRET', value: SECOND },
          { name: 'FIXTURE_STARTS_FILE', keepFrom: 'FIXTURE_STARTS_FILE' },
        ],
      },
    });
    await until(() => starts(startsFile).length === 2 && live()?.state === 'ready', 'the server to start again');
    s.fake.scriptToolCall({ name: 'notes__secret_env', arguments: {}, callId: 'call_3' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_3') !== undefined, 'the third output');
    expect(outputOf(s.fake, 'call_3')).toBe(`FIXTURE_SECRET has ${SECOND.length} characters`);
    const stored = s.core.settings.get().mcpServers[0];
    expect(stored).toMatchObject({ id: 'notes', name: 'Notes (work)', toolPolicies: { wipe: 'deny' }, transport: { env: { FIXTURE_SECRET: SECOND, FIXTURE_STARTS_FILE: startsFile } } });
    await until(() => s.core.status().state === 'idle', 'the turn to end');

    // A command that cannot start: today's per-server status says why, and it is tried again.
    await s.bridge.request.editMcpServer({
      id: 'notes',
      name: 'Notes (work)',
      native: false,
      transport: { type: 'stdio', command: join(scratch, 'no-such-program'), args: [], env: [{ name: 'FIXTURE_SECRET', keepFrom: 'FIXTURE_SECRET' }] },
    });
    await until(() => live()?.state === 'retrying', 'the failure in the status');
    expect(live()?.lastError).toContain('no-such-program');

    // Nothing of a value reached the window.
    const view = JSON.stringify(await s.bridge.request.getSettings({}));
    expect(view).not.toContain(FIRST);
    expect(view).not.toContain(SECOND);
    expect(JSON.stringify(lists)).not.toContain(SECOND);
    expect(s.ports.logLines.join('\n')).not.toContain(SECOND);
  });

  it('a refused edit reaches the window as messages per field; a malformed one is refused at the boundary', async () => {
    const s = (rig = await startCoreRig({ mcpServers: [stdioServer({ id: 'notes', name: 'Notes', enabled: false }), stdioServer({ id: 'web', name: 'Web', enabled: false })] }));
    const refused = await s.bridge.request
      .editMcpServer({ id: 'web', name: 'notes', native: false, transport: { type: 'http', url: 'http://mcp.example.com/mcp', headers: [] } })
      .then(() => 'saved', (error: unknown) => (error as Error).message);
    // The schema speaks first; the name is checked once the entry is valid.
    expect(problemsForEntry(refused, 1)).toEqual({ url: 'must start with https:// (plain http is only allowed to this computer: localhost or 127.0.0.1)' });
    const named = await s.bridge.request
      .editMcpServer({ id: 'web', name: 'notes', native: false, transport: { type: 'http', url: 'https://mcp.example.com/mcp', headers: [] } })
      .then(() => 'saved', (error: unknown) => (error as Error).message);
    expect(problemsForEntry(named, 1)).toEqual({ name: 'another server is already called "notes"; choose a name that tells them apart' });
    expect(s.core.settings.get().mcpServers.map((x) => [x.name, x.transport.type])).toEqual([
      ['Notes', 'stdio'],
      ['Web', 'stdio'],
    ]);

    const malformed = await s.bridge.request
      .editMcpServer({ id: 'web', name: 'Web', native: false, enabled: true, transport: { type: 'stdio', command: 'x', args: [], env: [] } } as never)
      .then(() => 'saved', (error: unknown) => (error as Error).message);
    // The bridge checks with the contract's schema before sending (main checks again with the same one).
    expect(malformed).toBe('editMcpServer: Unrecognized key: "enabled"');
    expect(s.core.settings.get().mcpServers[1]?.enabled).toBe(false);
  });
});
