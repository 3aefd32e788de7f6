/**
 * MCP servers in the composed core (startCore, the contract, the fake Realtime server): servers set
 * in settings connect, their tools reach the model in session.update, the model's call shows the
 * approval card on the contract, the answer runs it, and the result goes back to the model as a
 * function_call_output. Settings changed at runtime connect and disconnect servers; a crash is told
 * to the user and repaired; disposing the core ends the children.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startMcpHttpServer, type McpHttpServer } from '../../../support/mcp/http-server.ts';
import { outputOf, serverStateOf as stateOf, startCoreRig, toolNamesIn, type CoreRig } from './core-rig.ts';
import { alive, httpServer, stdioServer, until } from './mcp-test-kit.ts';

let rig: CoreRig | null = null;
let http: McpHttpServer | null = null;

afterEach(async () => {
  await rig?.close();
  await http?.close();
  rig = null;
  http = null;
});

async function start(settings: Record<string, unknown>): Promise<CoreRig> {
  rig = await startCoreRig(settings);
  return rig;
}

describe('MCP servers in the composed core', () => {
  it("a stdio server's tools reach the model; its call asks on the approval card and the result reaches the model", async () => {
    const s = await start({ mcpServers: [stdioServer()] });
    await until(() => stateOf(s.core, 'local') === 'ready', 'the server to be ready');

    s.fake.scriptToolCall({ name: 'local__add_note', arguments: { note: 'water the plants' }, callId: 'call_note' });
    s.ask();
    const update = await s.fake.waitFor('session.update', (e) => toolNamesIn(e).includes('local__add_note'), 10_000);
    const tools = (update.session as { tools: { name: string; parameters: unknown; description: string }[] }).tools;
    expect(tools.find((t) => t.name === 'local__add_note')).toMatchObject({
      type: 'function',
      description: 'Saves a note. (Tool "add_note" of the MCP server "Local notes".)',
      parameters: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
    });
    expect(toolNamesIn(update)).toContain('read_file');

    await until(() => s.approvals.length === 1, 'the approval card');
    expect(s.approvals[0]).toMatchObject({
      tool: 'local__add_note',
      summary: 'Run add_note on the MCP server "Local notes"',
      preview: '{\n  "note": "water the plants"\n}',
    });
    expect((await s.bridge.request.answerApproval({ id: s.approvals[0]?.id ?? '', decision: 'allow-once' })).accepted).toBe(true);
    await until(() => outputOf(s.fake, 'call_note') !== undefined, 'the function_call_output');
    expect(outputOf(s.fake, 'call_note')).toBe('Saved. There is 1 note.');
    expect(s.fake.schemaErrors).toEqual([]);
  });

  it('settings changed at runtime connect an HTTP server and disconnect the stdio one; a crash is told and repaired', async () => {
    http = await startMcpHttpServer({ token: 'core-token-0123456789' });
    const s = await start({ mcpServers: [stdioServer()] });
    await until(() => stateOf(s.core, 'local') === 'ready', 'the stdio server');

    // A read-only call needs no approval; the model gets the server's pid as its output.
    s.fake.scriptToolCall({ name: 'local__pid', arguments: {}, callId: 'call_pid' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_pid') !== undefined, 'the pid output');
    const pid = Number(outputOf(s.fake, 'call_pid'));
    expect(alive(pid)).toBe(true);
    await until(() => s.core.status().state === 'idle', 'the turn to end', 15_000);

    // A crash: the user is told why, and told again when it works.
    s.fake.scriptToolCall({ name: 'local__crash', arguments: {}, callId: 'call_crash' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_crash') !== undefined, 'the crash output');
    expect(outputOf(s.fake, 'call_crash')).toMatch(/^The MCP server "Local notes" stopped while running crash/);
    await until(() => s.notices.some((n) => n.message === 'The MCP server "Local notes" is working again.'), 'the server to come back');
    expect(s.notices.find((n) => n.message.startsWith('The MCP server "Local notes" stopped'))).toMatchObject({
      level: 'warning',
      subject: 'tool',
      message: 'The MCP server "Local notes" stopped: the program exited; it last wrote: fixture: crashing on purpose.',
    });
    await until(() => s.core.status().state === 'idle', 'the turn to end', 15_000);

    const saved = await s.bridge.request.updateSettings({
      patch: { mcpServers: [httpServer(http.url, { headers: { Authorization: 'Bearer core-token-0123456789' } })] },
    });
    expect(saved.appliedLive).toContain('mcpServers');
    await until(() => stateOf(s.core, 'remote') === 'ready', 'the HTTP server');
    expect(s.core.mcpServers().map((x) => x.id)).toEqual(['remote']);
    await until(() => !alive(pid), 'the stdio child to end');

    s.fake.scriptToolCall({ name: 'remote__echo', arguments: { text: 'from the cloud' }, callId: 'call_remote' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_remote') !== undefined, 'the remote output');
    expect(outputOf(s.fake, 'call_remote')).toBe('echo: from the cloud');
    // The header reached the server and nothing of it reached the log or the window's settings view.
    expect(http.requests.every((q) => q.headers.authorization === 'Bearer core-token-0123456789')).toBe(true);
    expect(s.ports.logLines.join('\n')).not.toContain('core-token-0123456789');
    expect(JSON.stringify(await s.bridge.request.getSettings({}))).not.toContain('core-token-0123456789');

    expect(s.ports.logLines.some((l) => l.includes('mcp: server ready') && l.includes('"restarts":1'))).toBe(true);
    await s.close();
    expect(http.deletedSessions).toHaveLength(1);
  });

  it('disposing the core ends every stdio child', async () => {
    const s = await start({ mcpServers: [stdioServer(), stdioServer({ id: 'second', name: 'Second' })] });
    await until(() => stateOf(s.core, 'local') === 'ready' && stateOf(s.core, 'second') === 'ready', 'both servers');
    s.fake.scriptToolCall({ name: 'local__pid', arguments: {}, callId: 'call_a' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_a') !== undefined, 'the first pid');
    await until(() => s.core.status().state === 'idle', 'the turn to end', 15_000);
    s.fake.scriptToolCall({ name: 'second__pid', arguments: {}, callId: 'call_b' });
    s.ask();
    await until(() => outputOf(s.fake, 'call_b') !== undefined, 'the second pid');
    const pids = [Number(outputOf(s.fake, 'call_a')), Number(outputOf(s.fake, 'call_b'))];
    expect(pids.every(alive)).toBe(true);
    await s.close();
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
