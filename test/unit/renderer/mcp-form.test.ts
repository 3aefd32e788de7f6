/**
 * The MCP section's form logic: the add form becomes an entry main accepts, main's refusals land
 * beside the field they are about (read from the real settings service's messages), and the state
 * line says what a person needs to know.
 */
import { describe, expect, it } from 'vitest';
import { SettingsService } from '../../../main/settings/settings-service.ts';
import { systemClock } from '../../../main/base/clock.ts';
import { MemorySettingsStore } from '../../support/memory-settings-store.ts';
import type { McpServerLive } from '../../../preload/contract.ts';
import { EMPTY_DRAFT, draftFromServer, editFromDraft, idFromName, problemsForEntry, serverFromDraft, stateWords, type McpServerEntry } from '../../../renderer/src/state/mcp-form.ts';

function refusal(servers: unknown[]): string {
  const settings = new SettingsService({ store: new MemorySettingsStore(), notice: () => undefined, clock: systemClock });
  settings.load();
  try {
    settings.update({ mcpServers: servers });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the settings were accepted');
}

describe('MCP settings form', () => {
  it('makes a short id from the name that the schema accepts and no other server has', () => {
    expect(idFromName('My Notes', [])).toBe('my-notes');
    expect(idFromName('Notes', ['notes', 'Notes-2'])).toBe('notes-3');
    expect(idFromName('ключ', [])).toBe('server');
    expect(idFromName('A very long server name indeed, really', [])).toMatch(/^[a-z0-9][a-z0-9_-]{0,23}$/);
  });

  it('turns the add form into an entry the settings accept: arguments one per line, blank rows left out', () => {
    const entry = serverFromDraft(
      { ...EMPTY_DRAFT, name: 'Notes', command: ' node ', argsText: 'server.js\n\n--root\n/home/me/My Notes\n', env: [{ name: 'NOTES_TOKEN', value: 's3cret' }, { name: '', value: '' }] },
      [],
    );
    expect(entry).toEqual({
      id: 'notes',
      name: 'Notes',
      enabled: true,
      policy: 'ask',
      toolPolicies: {},
      native: false,
      transport: { type: 'stdio', command: 'node', args: ['server.js', '--root', '/home/me/My Notes'], env: { NOTES_TOKEN: 's3cret' }, cwd: null },
    });
    const settings = new SettingsService({ store: new MemorySettingsStore(), notice: () => undefined, clock: systemClock });
    settings.load();
    settings.update({ mcpServers: [entry, serverFromDraft({ ...EMPTY_DRAFT, kind: 'http', name: 'Docs', url: 'https://mcp.example.com/mcp', native: true }, ['notes'])] });
    expect(settings.get().mcpServers.map((s) => s.id)).toEqual(['notes', 'docs']);
  });

  it('puts each of main’s messages beside its field, without the value of a variable or header', () => {
    const stored = serverFromDraft({ ...EMPTY_DRAFT, name: 'First', command: 'npx' }, []);
    const bad = serverFromDraft({ ...EMPTY_DRAFT, name: 'Second', command: '  ', env: [{ name: '1BAD', value: 'tok-123' }] }, ['first']);
    const local = problemsForEntry(refusal([stored, bad]), 1);
    expect(local.command).toContain('must name the program to start');
    expect(local.env).toBe('1BAD: an environment variable name may contain only letters, digits and _ (not starting with a digit)');
    expect(JSON.stringify(local)).not.toContain('tok-123');

    const remote = serverFromDraft(
      { ...EMPTY_DRAFT, kind: 'http', name: '', url: 'http://example.com/mcp', headers: [{ name: 'bad name', value: 'Bearer abc; def' }] },
      [],
    );
    const problems = problemsForEntry(refusal([remote]), 0);
    expect(problems.name).toBe('must not be empty');
    expect(problems.url).toContain('must start with https://');
    expect(problems.headers).toContain('bad name: a header name may contain only');
    expect(JSON.stringify(problems)).not.toContain('Bearer');

    const native = serverFromDraft({ ...EMPTY_DRAFT, kind: 'http', name: 'Here', url: 'http://127.0.0.1:9000/mcp', native: true }, []);
    expect(problemsForEntry(refusal([native]), 0)).toEqual({ native: "a native server is reached by OpenAI's servers, so its URL must be public https, not this computer" });
    // A problem with another entry is not pinned on this form's fields, but still said.
    const other = problemsForEntry(refusal([bad, stored]), 1);
    expect(Object.keys(other)).toEqual(['general']);
    expect(other.general).toContain('mcpServers.0.transport.command: must name the program to start');
    expect(problemsForEntry('Settings could not be saved to /x/settings.json: EACCES', 0)).toEqual({ general: 'Settings could not be saved to /x/settings.json: EACCES' });
  });

  it('fills the edit form with the server, values hidden, and sends back only what changed as values', () => {
    const entry = {
      id: 'db',
      name: 'Database',
      enabled: false,
      transport: { type: 'stdio', command: 'db-mcp', args: ['--root', '', 'two\nlines'], env: { DB_PASSWORD: '[redacted]', MODE: 'read-only' }, cwd: '/srv' },
      policy: 'deny',
      toolPolicies: {},
      timeoutMs: 30_000,
      native: false,
    } as McpServerEntry;
    const draft = draftFromServer(entry);
    expect(draft).toEqual({
      ...EMPTY_DRAFT,
      kind: 'stdio',
      name: 'Database',
      command: 'db-mcp',
      argsText: '--root\n\ntwo\nlines',
      // Even a value the window could see (MODE) is write-only, as on the card.
      env: [
        { name: 'DB_PASSWORD', value: '', keepFrom: 'DB_PASSWORD' },
        { name: 'MODE', value: '', keepFrom: 'MODE' },
      ],
    });
    // Untouched: every value kept, the arguments as stored (the blank one and the two-line one too).
    expect(editFromDraft(draft, 'db', entry)).toEqual({
      id: 'db',
      name: 'Database',
      native: false,
      transport: { type: 'stdio', command: 'db-mcp', args: ['--root', '', 'two\nlines'], env: [{ name: 'DB_PASSWORD', keepFrom: 'DB_PASSWORD' }, { name: 'MODE', keepFrom: 'MODE' }] },
    });
    // Renamed variable keeps its value; a typed one replaces; a removed row and a blank new row are not sent.
    const changed = { ...draft, name: ' DB ', argsText: '--root\n/data\n', env: [{ name: 'DB_PASS ', value: '', keepFrom: 'DB_PASSWORD' }, { name: 'EXTRA', value: 'x' }, { name: '', value: '' }] };
    expect(editFromDraft(changed, 'db', entry)).toEqual({
      id: 'db',
      name: 'DB',
      native: false,
      transport: { type: 'stdio', command: 'db-mcp', args: ['--root', '/data'], env: [{ name: 'DB_PASS', keepFrom: 'DB_PASSWORD' }, { name: 'EXTRA', value: 'x' }] },
    });
    // A remote server: native and headers, each kept unless typed.
    const remote = { ...entry, native: true, transport: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: '[redacted]' } } } as McpServerEntry;
    const remoteDraft = draftFromServer(remote);
    expect(remoteDraft).toMatchObject({ kind: 'http', url: 'https://mcp.example.com/mcp', native: true, headers: [{ name: 'Authorization', value: '', keepFrom: 'Authorization' }] });
    expect(editFromDraft({ ...remoteDraft, headers: [{ name: 'Authorization', value: 'Bearer new', keepFrom: 'Authorization' }] }, 'db', remote).transport).toEqual({
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: [{ name: 'Authorization', value: 'Bearer new' }],
    });
  });

  it('says whether a server works, why not, and when it is tried again', () => {
    const entry = serverFromDraft({ ...EMPTY_DRAFT, name: 'Notes', command: 'npx' }, []) as unknown as McpServerEntry;
    const live: McpServerLive = { id: 'notes', name: 'Notes', transport: 'stdio', state: 'ready', lastError: null, tools: [{ name: 'echo', description: '', readOnly: true, policy: 'allow' }], restarts: 0, retryInMs: null };
    expect(stateWords(entry, live, 'realtime', null)).toEqual({ tone: 'ready', text: 'Connected · 1 tool' });
    expect(stateWords(entry, { ...live, state: 'retrying', lastError: 'exited with code 2', retryInMs: 4000 }, 'realtime', 2500).text).toBe('Not running. Trying again in 3 s.');
    expect(stateWords({ ...entry, enabled: false }, live, 'realtime', null).tone).toBe('off');
    expect(stateWords({ ...entry, native: true }, null, 'cascaded', null).text).toContain('only the Realtime engine');
  });
});
