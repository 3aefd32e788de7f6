/** The mcpServers setting: defaults, and messages that say what to change (never repeating a header value). */
import { describe, expect, it } from 'vitest';
import { McpServersSchema } from '../../../../main/settings/mcp-servers-schema.ts';
import { SETTINGS_VERSION, SettingsSchema, defaultSettings } from '../../../../main/settings/settings-schema.ts';
import { problemsFromZod } from '../../../../main/settings/settings-messages.ts';
import { SettingsService } from '../../../../main/settings/settings-service.ts';
import { settingsView } from '../../../../main/settings/settings-view.ts';
import { MemorySettingsStore } from '../../../support/memory-settings-store.ts';

function problems(value: unknown): string[] {
  const parsed = McpServersSchema.safeParse(value);
  if (parsed.success) return [];
  return problemsFromZod(parsed.error, value).map((p) => `${p.field}: ${p.problem}`);
}

describe('the mcpServers setting', () => {
  it('is empty by default, and a file without it still reads (no migration)', () => {
    expect(defaultSettings().mcpServers).toEqual([]);
    expect(SettingsSchema.parse({ version: SETTINGS_VERSION, voice: 'cedar' }).mcpServers).toEqual([]);
  });

  it('fills the defaults of a server', () => {
    const [server] = McpServersSchema.parse([{ id: 'notes', name: 'Notes', transport: { type: 'stdio', command: 'npx', args: ['-y', 'notes-mcp'] } }]);
    expect(server).toEqual({
      id: 'notes',
      name: 'Notes',
      enabled: true,
      transport: { type: 'stdio', command: 'npx', args: ['-y', 'notes-mcp'], env: {}, cwd: null },
      policy: 'ask',
      toolPolicies: {},
      timeoutMs: 30_000,
      native: false,
    });
    const [remote] = McpServersSchema.parse([{ id: 'gh', name: 'GitHub', transport: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer x' } }, native: true }]);
    expect(remote?.transport).toEqual({ type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer x' } });
  });

  it('says what is wrong in words a person can act on', () => {
    expect(problems([{ id: 'my server', name: '', transport: { type: 'ftp' }, policy: 'sometimes', timeoutMs: 10 }])).toEqual([
      '0.id: must be 1–24 letters, digits, _ or -, starting with a letter or digit (it prefixes the tool names)',
      '0.name: must not be empty',
      '0.transport.type: must be {"type":"stdio","command":…} for a program on this computer or {"type":"http","url":…} for a remote server',
      '0.policy: must be "ask", "allow" or "deny"',
      '0.timeoutMs: must be at least 1000 ms',
    ]);
    expect(problems([{ id: 'a', name: 'A', transport: { type: 'http', url: 'http://mcp.example.com/mcp' } }])).toEqual([
      '0.transport.url: must start with https:// (plain http is only allowed to this computer: localhost or 127.0.0.1)',
    ]);
    expect(problems([{ id: 'a', name: 'A', transport: { type: 'http', url: 'https://me:pw@mcp.example.com/' } }])).toEqual([
      '0.transport.url: must not contain a user name or password; put credentials in a header such as Authorization',
    ]);
    expect(problems([{ id: 'a', name: 'A', transport: { type: 'stdio', command: 'x' }, native: true }])).toEqual([
      '0.native: only an http server can be native (the Realtime service cannot start a program on this computer)',
    ]);
    expect(problems([{ id: 'a', name: 'A', transport: { type: 'http', url: 'http://127.0.0.1:8080/mcp' }, native: true }])).toEqual([
      "0.native: a native server is reached by OpenAI's servers, so its URL must be public https, not this computer",
    ]);
    expect(
      problems([
        { id: 'dup', name: 'A', transport: { type: 'stdio', command: 'x' } },
        { id: 'DUP', name: 'B', transport: { type: 'stdio', command: 'y' } },
      ]),
    ).toEqual(['1.id: "DUP" is used by another server; each needs its own id']);
  });

  it('refuses a header that would break the request or the session, without repeating its value', () => {
    const secret = 'Bearer abc\r\nX-Evil: 1';
    const found = problems([{ id: 'a', name: 'A', transport: { type: 'http', url: 'https://x.example/mcp', headers: { Authorization: secret, 'Mcp-Session-Id': 's' } } }]);
    expect(found).toEqual([
      '0.transport.headers.Authorization: a header value must not contain line breaks',
      '0.transport.headers.Mcp-Session-Id: Mcp-Session-Id is set by the MCP transport itself; remove it',
    ]);
    expect(found.join('\n')).not.toContain('abc');
  });

  it('plain http is fine to this computer', () => {
    expect(problems([{ id: 'a', name: 'A', transport: { type: 'http', url: 'http://localhost:3000/mcp' } }])).toEqual([]);
  });
});

describe('MCP tokens in the window', () => {
  const TOKEN = 'Bearer mcp-token-5b8e1f0c9d2a';
  const servers = [
    { id: 'gh', name: 'GitHub', transport: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: TOKEN, 'X-Team': 'blue' } } },
    { id: 'db', name: 'Database', transport: { type: 'stdio', command: 'db-mcp', env: { DB_PASSWORD: 'hunter2hunter2', MODE: 'read-only' } } },
  ];

  it('are hidden in the view, and kept when the form sends the view back', () => {
    const settings = new SettingsService({ store: new MemorySettingsStore(), notice: () => undefined, clock: { epochMs: () => 0 } });
    settings.update({ mcpServers: servers });
    const view = settingsView(settings.get(), 'set');
    expect(JSON.stringify(view)).not.toContain('mcp-token');
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(view.mcpServers[0]?.transport).toEqual({ type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: '[redacted]', 'X-Team': '[redacted]' } });
    expect(view.mcpServers[1]?.transport).toMatchObject({ env: { DB_PASSWORD: '[redacted]', MODE: 'read-only' } });

    // The form renames a server and sends the whole list back as it saw it: the tokens stay.
    const renamed = view.mcpServers.map((server) => (server.id === 'gh' ? { ...server, name: 'GitHub (work)' } : server));
    settings.update({ mcpServers: renamed });
    const stored = settings.get().mcpServers;
    expect(stored[0]).toMatchObject({ name: 'GitHub (work)', transport: { headers: { Authorization: TOKEN, 'X-Team': 'blue' } } });
    expect(stored[1]?.transport).toMatchObject({ env: { DB_PASSWORD: 'hunter2hunter2', MODE: 'read-only' } });

    // A new value replaces it; a removed header is gone.
    settings.update({ mcpServers: [{ ...renamed[0], transport: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer new-token-77' } } }] });
    expect(settings.get().mcpServers).toHaveLength(1);
    expect(settings.get().mcpServers[0]?.transport).toEqual({ type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer new-token-77' } });
  });
});
