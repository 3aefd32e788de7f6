/**
 * A real streamable-HTTP MCP server on 127.0.0.1 (test/support/mcp/http-server.ts, the MCP SDK's
 * server side) behind the real tool host: headers reach it and never reach the log, a call asks and
 * is answered, a server that drops mid-call gives an error output and the session comes back, the
 * tool list follows list_changed, and closing ends the session with DELETE.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedApprovals, call } from '../tool-test-kit.ts';
import { startMcpHttpServer, type McpHttpServer } from '../../../support/mcp/http-server.ts';
import { httpServer, rig, stateOf, stdioServer, until, type Rig } from './mcp-test-kit.ts';

const TOKEN = 'mcp-test-token-7c1e55b0a2';
const rigs: Rig[] = [];
const servers: McpHttpServer[] = [];

afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.mcp.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: Parameters<typeof startMcpHttpServer>[0] = {}): Promise<McpHttpServer> {
  const s = await startMcpHttpServer(options);
  servers.push(s);
  return s;
}

function started(...args: Parameters<typeof rig>): Rig {
  const r = rig(...args);
  rigs.push(r);
  return r;
}

async function ready(r: Rig, id = 'remote'): Promise<void> {
  try {
    await until(() => stateOf(r.mcp, id) === 'ready', `${id} to be ready`);
  } catch (error) {
    throw new Error(`${String(error)}; status: ${JSON.stringify(r.mcp.statuses())}; log:\n${r.logger.lines.join('\n')}`, { cause: error });
  }
}

describe('a streamable-HTTP MCP server on loopback', () => {
  it('sends the configured headers, offers the tools, asks, and returns the result', async () => {
    const server = await serve({ token: TOKEN });
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const r = started(approvals, [httpServer(server.url, { headers: { Authorization: `Bearer ${TOKEN}` } })]);
    await ready(r);
    expect(r.mcp.statuses()[0]).toMatchObject({ transport: 'http', state: 'ready', lastError: null });
    expect(r.host.definitions().map((d) => d.name)).toEqual(expect.arrayContaining(['remote__echo', 'remote__add_note', 'remote__get_weather']));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((q) => q.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    expect(await call(r.host, 'remote__echo', { text: 'over http' })).toMatchObject({ status: 'done', output: 'echo: over http' });
    const saved = await call(r.host, 'remote__add_note', { note: 'call the plumber' });
    expect(saved).toMatchObject({ status: 'done', output: 'Saved. There is 1 note.' });
    expect(approvals.asked).toEqual([
      { tool: 'remote__add_note', summary: 'Run add_note on the MCP server "Remote notes"', preview: JSON.stringify({ note: 'call the plumber' }, null, 2) },
    ]);
    expect(r.logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('a refused key is reported without showing it, and retried', async () => {
    const server = await serve({ token: TOKEN });
    const wrong = 'wrong-token-0123456789abcdef';
    const r = started(new ScriptedApprovals(), [httpServer(server.url, { headers: { Authorization: `Bearer ${wrong}` } })]);
    await until(() => stateOf(r.mcp, 'remote') === 'retrying', 'the refusal');
    const status = r.mcp.statuses()[0];
    expect(status?.lastError).toBe(`http://127.0.0.1:${server.port}/mcp refused access (HTTP 401); check the server's headers (an API key, say)`);
    await until(() => r.logger.lines.filter((l) => l.includes('did not start')).length >= 2, 'a second attempt');
    const everything = `${r.logger.lines.join('\n')}${JSON.stringify(r.mcp.statuses())}`;
    expect(everything).not.toContain(wrong);

    // The right key, changed at runtime: it reconnects without a restart of anything else.
    r.mcp.update([httpServer(server.url, { headers: { Authorization: `Bearer ${TOKEN}` } })]);
    await ready(r);
    expect(await call(r.host, 'remote__echo', { text: 'in' })).toMatchObject({ status: 'done', output: 'echo: in' });
  });

  it('a server that drops mid-call gives an error output, and the next session works', async () => {
    const server = await serve();
    const r = started(new ScriptedApprovals({ decision: 'allow-once' }, { decision: 'allow-once' }), [httpServer(server.url, { timeoutMs: 30_000 })]);
    await ready(r);
    expect(await call(r.host, 'remote__add_note', { note: 'before' })).toMatchObject({ status: 'done' });

    const dropped = await call(r.host, 'remote__crash', {});
    expect(dropped.status).toBe('error');
    // Known at once from the cut stream, not after the 30 s time limit (12.5 s leaves room for a loaded machine).
    expect(dropped.output).toBe(
      `The MCP server "Remote notes" stopped while running crash (the connection to ${server.url} was cut), so it is not known whether the call did anything. ` +
        'Earshot is restarting it; the user can try again in a moment.',
    );
    expect(dropped.durationMs).toBeLessThan(12_500);

    // The server forgot the session (a restarted server does): the next call meets 404, reconnects, works.
    const after = await until(async () => {
      const result = await call(r.host, 'remote__echo', { text: 'again' });
      return result.status === 'done' ? result : undefined;
    }, 'a call that works again');
    expect(after).toMatchObject({ output: 'echo: again' });
    await until(() => (r.mcp.statuses()[0]?.restarts ?? 0) >= 1, 'a restart');
    // A new session: the notes of the old one are gone, as on a restarted server.
    expect(await call(r.host, 'remote__list_notes', {})).toMatchObject({ output: 'No notes.' });
  }, 45_000); // a call that (wrongly) waited out the 30 s limit fails the assertion above, not the test's time

  it('follows list_changed over the session stream', async () => {
    const server = await serve();
    const r = started(new ScriptedApprovals({ decision: 'allow-once' }), [httpServer(server.url)]);
    await ready(r);
    expect(await call(r.host, 'remote__add_tool', { name: 'late_tool' })).toMatchObject({ status: 'done', output: 'added late_tool' });
    await until(() => r.host.definitions().some((d) => d.name === 'remote__late_tool'), 'the new tool');
    expect(await call(r.host, 'remote__late_tool', {})).toMatchObject({ status: 'done', output: 'late_tool ran' });
  });

  it('a stdio and an HTTP server side by side; closing ends the HTTP session with DELETE', async () => {
    const server = await serve();
    const r = started(new ScriptedApprovals(), [stdioServer(), httpServer(server.url)]);
    await ready(r, 'local');
    await ready(r, 'remote');
    const names = r.host.definitions().map((d) => d.name);
    expect(names.filter((n) => n.endsWith('__echo'))).toEqual(['local__echo', 'remote__echo']);
    expect(await call(r.host, 'local__echo', { text: 'a' })).toMatchObject({ output: 'echo: a' });
    expect(await call(r.host, 'remote__echo', { text: 'b' })).toMatchObject({ output: 'echo: b' });
    expect(server.sessions()).toBe(1);
    await r.mcp.close();
    expect(server.deletedSessions).toHaveLength(1);
    expect(server.sessions()).toBe(0);
  });

  it('an unreachable URL says so', async () => {
    const server = await serve();
    const url = server.url;
    await server.close();
    servers.length = 0;
    const r = started(new ScriptedApprovals(), [httpServer(url)]);
    await until(() => stateOf(r.mcp, 'remote') === 'retrying', 'the failure');
    expect(r.mcp.statuses()[0]?.lastError).toBe(`could not reach ${url}: connection refused (is the server running?)`);
  });
});
