/**
 * Editing an MCP server the user already added (main/settings/mcp-server-edit.ts), against the real
 * settings service: a value left empty in the form keeps the stored one (even under a new name), a
 * typed one replaces it, a removed row is cleared; the id, on/off, policies, time limit and working
 * folder stay; the setting's rules refuse a bad edit with messages per field that never repeat a
 * value, and nothing is saved then. New or renamed servers need a name of their own.
 */
import { describe, expect, it } from 'vitest';
import { editMcpServer } from '../../../main/settings/mcp-server-edit.ts';
import { McpServerEditSchema, type McpServerEdit } from '../../../main/settings/mcp-server-edit-schema.ts';
import { SettingsValidationError } from '../../../main/settings/settings-messages.ts';
import { SettingsService } from '../../../main/settings/settings-service.ts';
import { SETTINGS_VERSION } from '../../../main/settings/settings-schema.ts';
import { MemorySettingsStore } from '../../support/memory-settings-store.ts';

const TOKEN = 'Bearer gh-token-4f1c9e7a2b';
const DB_PASSWORD = 'db-pass-77aa11cc';

const GITHUB = {
  id: 'gh',
  name: 'GitHub',
  enabled: false,
  transport: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: TOKEN, 'X-Team': 'blue', 'X-Old': 'old-value' } },
  policy: 'deny',
  toolPolicies: { delete_repo: 'deny', search: 'allow' },
  timeoutMs: 45_000,
  native: false,
};
const DATABASE = {
  id: 'db',
  name: 'Database',
  transport: { type: 'stdio', command: 'db-mcp', args: ['--read-only'], env: { DB_PASSWORD, MODE: 'read-only' }, cwd: '/srv/db' },
  policy: 'allow',
  toolPolicies: { drop_table: 'ask' },
};

function fresh(): { settings: SettingsService; store: MemorySettingsStore } {
  const store = new MemorySettingsStore();
  const settings = new SettingsService({ store, notice: () => undefined, clock: { epochMs: () => 0 } });
  settings.load();
  settings.update({ mcpServers: [GITHUB, DATABASE] });
  return { settings, store };
}

/** The refusal of an edit, as the field → problem lines the form shows; fails when the edit was saved. */
function refusal(settings: SettingsService, edit: McpServerEdit): string[] {
  try {
    editMcpServer(settings, McpServerEditSchema.parse(edit));
  } catch (error) {
    if (error instanceof SettingsValidationError) return error.problems.map((p) => `${p.field}: ${p.problem}`);
    throw error;
  }
  throw new Error('the edit was saved');
}

const githubEdit = (changes: Partial<McpServerEdit> = {}): McpServerEdit => ({
  id: 'gh',
  name: 'GitHub',
  native: false,
  transport: { type: 'http', url: 'https://api.example.com/mcp', headers: [{ name: 'Authorization', keepFrom: 'Authorization' }] },
  ...changes,
});

const databaseEdit = (changes: Partial<McpServerEdit> = {}): McpServerEdit => ({
  id: 'db',
  name: 'Database',
  native: false,
  transport: { type: 'stdio', command: 'db-mcp', args: ['--read-only'], env: [{ name: 'DB_PASSWORD', keepFrom: 'DB_PASSWORD' }, { name: 'MODE', keepFrom: 'MODE' }] },
  ...changes,
});

describe('editing an MCP server', () => {
  it('keeps an untouched header, replaces a typed one, clears a removed one; id, on/off and policies stay', () => {
    const { settings } = fresh();
    const heard: string[][] = [];
    settings.onChange((_s, changed) => heard.push(changed));
    editMcpServer(
      settings,
      githubEdit({
        name: 'GitHub (work)',
        transport: {
          type: 'http',
          url: 'https://api.example.com/mcp/v2',
          headers: [
            { name: 'Authorization', keepFrom: 'Authorization' },
            { name: 'X-Team', value: 'green' },
            // X-Old: removed in the form, so not sent.
            { name: 'X-Region', value: 'eu' },
            { name: '', value: '' },
          ],
        },
      }),
    );
    const [gh, db] = settings.get().mcpServers;
    expect(gh).toEqual({
      id: 'gh',
      name: 'GitHub (work)',
      enabled: false,
      transport: { type: 'http', url: 'https://api.example.com/mcp/v2', headers: { Authorization: TOKEN, 'X-Team': 'green', 'X-Region': 'eu' } },
      policy: 'deny',
      toolPolicies: { delete_repo: 'deny', search: 'allow' },
      timeoutMs: 45_000,
      native: false,
    });
    // The other server is untouched, its hidden value included.
    expect(db?.transport).toMatchObject({ env: { DB_PASSWORD, MODE: 'read-only' } });
    expect(heard).toEqual([['mcpServers']]);
  });

  it('moves a kept value to a renamed variable, keeps the working folder, and takes new arguments', () => {
    const { settings } = fresh();
    editMcpServer(
      settings,
      databaseEdit({
        transport: {
          type: 'stdio',
          command: '/usr/local/bin/db-mcp',
          args: ['--read-only', '--schema', 'public'],
          env: [
            { name: 'DB_PASS', keepFrom: 'DB_PASSWORD' },
            { name: 'MODE', value: 'read-write' },
          ],
        },
      }),
    );
    const db = settings.get().mcpServers[1];
    expect(db).toMatchObject({ id: 'db', name: 'Database', enabled: true, policy: 'allow', toolPolicies: { drop_table: 'ask' } });
    expect(db?.transport).toEqual({ type: 'stdio', command: '/usr/local/bin/db-mcp', args: ['--read-only', '--schema', 'public'], env: { DB_PASS: DB_PASSWORD, MODE: 'read-write' }, cwd: '/srv/db' });
  });

  it('saves nothing and tells no one when nothing changed', () => {
    const { settings, store } = fresh();
    const writes = store.writes;
    const result = editMcpServer(settings, databaseEdit());
    expect(result.changed).toEqual([]);
    expect(store.writes).toBe(writes);
  });

  it('refuses what adding refuses, beside each field, without repeating a value, and saves nothing', () => {
    const { settings, store } = fresh();
    const before = JSON.stringify(settings.get());
    const writes = store.writes;

    expect(refusal(settings, githubEdit({ transport: { type: 'http', url: 'http://mcp.example.com/mcp', headers: [{ name: 'Authorization', keepFrom: 'Authorization' }] } }))).toEqual([
      'mcpServers.0.transport.url: must start with https:// (plain http is only allowed to this computer: localhost or 127.0.0.1)',
    ]);
    expect(refusal(settings, githubEdit({ name: '  database ' }))).toEqual(['mcpServers.0.name: another server is already called "database"; choose a name that tells them apart']);
    expect(refusal(settings, githubEdit({ name: ' ' }))).toEqual(['mcpServers.0.name: must not be empty']);
    expect(refusal(settings, databaseEdit({ transport: { type: 'stdio', command: '   ', args: [], env: [] } }))).toEqual([
      'mcpServers.1.transport.command: must name the program to start, such as "npx" or "/usr/local/bin/my-server"',
    ]);
    expect(refusal(settings, databaseEdit({ native: true }))).toEqual(['mcpServers.1.native: only an http server can be native (the Realtime service cannot start a program on this computer)']);
    expect(
      refusal(settings, githubEdit({ transport: { type: 'http', url: 'https://api.example.com/mcp', headers: [{ name: 'Authorization', value: `${TOKEN}\r\nX-Evil: 1` }] } })),
    ).toEqual(['mcpServers.0.transport.headers.Authorization: a header value must not contain line breaks']);

    const lines = [
      ...refusal(settings, githubEdit({ transport: { type: 'http', url: 'https://api.example.com/mcp', headers: [{ name: 'Authorization', keepFrom: 'X-Gone' }] } })),
      ...refusal(settings, githubEdit({ transport: { type: 'http', url: 'https://api.example.com/mcp', headers: [{ name: 'Authorization', value: '[redacted]' }] } })),
      ...refusal(settings, githubEdit({ transport: { type: 'http', url: 'https://api.example.com/mcp', headers: [{ name: 'X-Team', keepFrom: 'X-Team' }, { name: 'X-Team ', value: 'red' }] } })),
      ...refusal(settings, { ...githubEdit(), id: 'gone' }),
    ];
    expect(lines).toEqual([
      'mcpServers.0.transport.headers.Authorization: its stored value is gone (the server was changed meanwhile); type the value again',
      'mcpServers.0.transport.headers.Authorization: "[redacted]" stands for a hidden value; leave the field empty to keep the stored one, or type the new value',
      'mcpServers.0.transport.headers.X-Team: is listed twice; keep one',
      'mcpServers: there is no server with the id "gone" any more (it was removed); add it again',
    ]);
    expect(lines.join('\n')).not.toContain('gh-token');

    expect(JSON.stringify(settings.get())).toBe(before);
    expect(store.writes).toBe(writes);
  });

  it('a header value sent as "keep" of a server now of another kind is not carried across', () => {
    const { settings } = fresh();
    expect(
      refusal(settings, databaseEdit({ transport: { type: 'http', url: 'https://db.example.com/mcp', headers: [{ name: 'Authorization', keepFrom: 'DB_PASSWORD' }] } })),
    ).toEqual(['mcpServers.1.transport.headers.Authorization: its stored value is gone (the server was changed meanwhile); type the value again']);
    // Typed anew, the kind changes; the id and the policies stay.
    editMcpServer(settings, databaseEdit({ transport: { type: 'http', url: 'https://db.example.com/mcp', headers: [{ name: 'Authorization', value: 'Bearer db-new' }] } }));
    expect(settings.get().mcpServers[1]).toMatchObject({ id: 'db', policy: 'allow', transport: { type: 'http', url: 'https://db.example.com/mcp', headers: { Authorization: 'Bearer db-new' } } });
  });

  it('the edit request is checked at the boundary: no id change, no policies, no stray fields', () => {
    expect(McpServerEditSchema.safeParse({ ...githubEdit(), enabled: true }).success).toBe(false);
    expect(McpServerEditSchema.safeParse({ ...githubEdit(), toolPolicies: {} }).success).toBe(false);
    expect(McpServerEditSchema.safeParse(githubEdit({ transport: { type: 'http', url: 'https://x.example/mcp', headers: [{ name: 'A', value: 'v', keepFrom: 'A' }] } as never })).success).toBe(false);
    expect(McpServerEditSchema.safeParse(githubEdit()).success).toBe(true);
  });
});

describe('MCP server names', () => {
  it('a new server may not take the name of another (ignoring case and spaces)', () => {
    const { settings } = fresh();
    const stored = settings.get().mcpServers;
    let message = '';
    try {
      settings.update({ mcpServers: [...stored, { id: 'gh-2', name: 'github ', transport: { type: 'stdio', command: 'x' } }] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Settings not saved: mcpServers.2.name: another server is already called "github"; choose a name that tells them apart');
    expect(settings.get().mcpServers).toHaveLength(2);
  });

  it('a file that already holds two servers of one name still loads, and other changes still save', () => {
    const store = new MemorySettingsStore(
      undefined,
      JSON.stringify({ version: SETTINGS_VERSION, mcpServers: [{ ...DATABASE, id: 'a' }, { ...DATABASE, id: 'b' }] }),
    );
    const settings = new SettingsService({ store, notice: () => undefined, clock: { epochMs: () => 0 } });
    expect(settings.load().mcpServers.map((s) => s.name)).toEqual(['Database', 'Database']);
    const [a, b] = settings.get().mcpServers;
    if (!a || !b) throw new Error('both servers load');
    settings.update({ mcpServers: [{ ...a, enabled: false }, b] });
    expect(settings.get().mcpServers[0]?.enabled).toBe(false);
    // Renaming one of them to a third name is fine; to the other's name is not.
    editMcpServer(settings, { ...databaseEdit(), id: 'b', name: 'Database (copy)' });
    expect(refusal(settings, { ...databaseEdit(), id: 'b', name: 'DATABASE' })).toEqual(['mcpServers.1.name: another server is already called "DATABASE"; choose a name that tells them apart']);
  });
});
