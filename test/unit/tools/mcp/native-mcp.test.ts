/**
 * A remote MCP server handed to the Realtime session as a native `mcp` tool (DESIGN §3 "Remote MCP"),
 * through the composed core and the fake Realtime server: session.update carries the server, the fake
 * lists its tools, its mcp_approval_request becomes the same approval card as our own tools, and the
 * answer goes back as the mcp_approval_response the fake expects; every event both ways is valid
 * against the SDK-derived schema. Also: tool lists that change reach a live session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeEventJson } from '../../../support/fake-realtime/index.ts';
import { sessionTools, startCoreRig, toolNamesIn, type CoreRig } from './core-rig.ts';
import { stdioServer, until } from './mcp-test-kit.ts';

const TOKEN = 'Bearer gh-native-token-3f9a1c';
let rig: CoreRig | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
});

function nativeServer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'gh',
    name: 'GitHub',
    transport: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: TOKEN } },
    native: true,
    ...overrides,
  };
}

function approvalResponses(r: CoreRig): Record<string, unknown>[] {
  return r.fake
    .events('conversation.item.create')
    .map((e) => e['item'] as Record<string, unknown>)
    .filter((item) => item['type'] === 'mcp_approval_response');
}

const itemsOfType = (r: CoreRig, event: string, type: string): RealtimeEventJson[] =>
  r.fake.events(event).filter((e) => (e['item'] as { type?: string } | undefined)?.type === type);

async function turnEnds(r: CoreRig): Promise<void> {
  await until(() => r.core.status().state === 'idle', 'the turn to end', 15_000);
}

describe('a native remote MCP server on the Realtime engine', () => {
  it('is offered in session.update; its approval request shows the card, and "allow" answers the service', async () => {
    const r = (rig = await startCoreRig({ mcpServers: [nativeServer()] }));
    r.fake.scriptMcpCall({ serverLabel: 'gh', name: 'create_issue', arguments: { title: 'Fix the login page' }, output: 'Opened issue #42.' });
    r.ask();

    const update = await r.fake.waitFor('session.update', (e) => sessionTools(e).some((t) => t['type'] === 'mcp'), 10_000);
    expect(sessionTools(update).find((t) => t['type'] === 'mcp')).toEqual({
      type: 'mcp',
      server_label: 'gh',
      server_url: 'https://mcp.example.com/mcp',
      server_description: 'GitHub',
      headers: { Authorization: TOKEN },
      require_approval: 'always',
    });
    // Our own function tools are still there; the native server is not connected from here.
    expect(toolNamesIn(update)).toContain('read_file');
    expect(r.core.mcpServers()).toEqual([expect.objectContaining({ id: 'gh', state: 'stopped' })]);

    // The fake listed the server's tools as the service does.
    await r.fake.waitFor('mcp_list_tools.completed');
    expect(itemsOfType(r, 'conversation.item.done', 'mcp_list_tools')).toHaveLength(1);

    await until(() => r.approvals.length === 1, 'the approval card');
    expect(r.approvals[0]).toMatchObject({
      tool: 'gh__create_issue',
      summary: 'Run create_issue on the MCP server "GitHub"',
      preview: '{\n  "title": "Fix the login page"\n}',
    });
    const request = itemsOfType(r, 'response.output_item.done', 'mcp_approval_request')[0]?.['item'] as { id: string };
    expect((await r.bridge.request.answerApproval({ id: r.approvals[0]?.id ?? '', decision: 'allow-once' })).accepted).toBe(true);

    await until(() => approvalResponses(r).length === 1, 'the mcp_approval_response');
    expect(approvalResponses(r)[0]).toMatchObject({ type: 'mcp_approval_response', approval_request_id: request.id, approve: true });
    // The service then runs the tool and answers with its output.
    await r.fake.waitFor('response.mcp_call.completed', undefined, 10_000);
    const call = itemsOfType(r, 'response.output_item.done', 'mcp_call')[0]?.['item'];
    expect(call).toMatchObject({ type: 'mcp_call', name: 'create_issue', output: 'Opened issue #42.', approval_request_id: request.id });
    await turnEnds(r);
    const said = r.fake.events('response.output_audio_transcript.done').map((e) => e['transcript']);
    expect(said.at(-1)).toBe('Here is what create_issue found: Opened issue #42.');

    expect(r.fake.schemaErrors).toEqual([]);
    expect(r.ports.logLines.join('\n')).not.toContain('gh-native-token');
  });

  it('"deny" answers approve: false with the reason, and nothing runs', async () => {
    const r = (rig = await startCoreRig({ mcpServers: [nativeServer()] }));
    r.fake.scriptMcpCall({ serverLabel: 'gh', name: 'create_issue', arguments: { title: 'x' } });
    r.ask();
    await until(() => r.approvals.length === 1, 'the approval card');
    await r.bridge.request.answerApproval({ id: r.approvals[0]?.id ?? '', decision: 'deny' });
    await until(() => approvalResponses(r).length === 1, 'the mcp_approval_response');
    expect(approvalResponses(r)[0]).toMatchObject({ approve: false, reason: 'the user declined' });
    await turnEnds(r);
    expect(r.fake.events('response.mcp_call.completed')).toEqual([]);
    expect(r.fake.events('response.output_audio_transcript.done').at(-1)?.['transcript']).toBe('I did not run create_issue (the user declined).');
    expect(r.fake.schemaErrors).toEqual([]);
  });

  it('a read-only tool under "ask" is approved without a card; a tool the user turned off is refused', async () => {
    const r = (rig = await startCoreRig({ mcpServers: [nativeServer({ toolPolicies: { create_issue: 'deny' } })] }));
    r.fake.scriptMcpCall({ serverLabel: 'gh', name: 'search_issues', arguments: { query: 'login' }, output: '3 open issues' });
    r.ask();
    await until(() => approvalResponses(r).length === 1, 'the automatic approval');
    expect(approvalResponses(r)[0]).toMatchObject({ approve: true });
    await turnEnds(r);

    r.fake.scriptMcpCall({ serverLabel: 'gh', name: 'create_issue', arguments: { title: 'y' } });
    r.ask();
    await until(() => approvalResponses(r).length === 2, 'the refusal');
    expect(approvalResponses(r)[1]).toMatchObject({ approve: false, reason: 'the user has turned off create_issue on GitHub' });
    await turnEnds(r);
    expect(r.approvals).toEqual([]);
    expect(r.fake.schemaErrors).toEqual([]);
  });

  it('a server on "allow" needs no approval: the service calls it directly', async () => {
    const r = (rig = await startCoreRig({ mcpServers: [nativeServer({ policy: 'allow' })] }));
    r.fake.scriptMcpCall({ serverLabel: 'gh', name: 'create_issue', arguments: { title: 'z' }, output: 'Opened issue #7.' });
    r.ask();
    const update = await r.fake.waitFor('session.update', (e) => sessionTools(e).some((t) => t['type'] === 'mcp'), 10_000);
    expect(sessionTools(update).find((t) => t['type'] === 'mcp')).toMatchObject({ require_approval: 'never' });
    await r.fake.waitFor('response.mcp_call.completed', undefined, 10_000);
    await turnEnds(r);
    expect(approvalResponses(r)).toEqual([]);
    expect(r.approvals).toEqual([]);
    expect(r.fake.schemaErrors).toEqual([]);
  });

  it('servers added at runtime and tools added by list_changed reach the live session', async () => {
    const r = (rig = await startCoreRig({ mcpServers: [stdioServer()] }));
    await until(() => r.core.mcpServers()[0]?.state === 'ready', 'the stdio server');
    r.ask();
    await turnEnds(r);

    // A tool added by the server (notifications/tools/list_changed) goes out in a new session.update.
    r.fake.scriptToolCall({ name: 'local__add_tool', arguments: { name: 'late_tool' }, callId: 'call_add' });
    r.ask();
    await until(() => r.approvals.length === 1, 'the approval card for add_tool');
    await r.bridge.request.answerApproval({ id: r.approvals[0]?.id ?? '', decision: 'allow-once' });
    await r.fake.waitFor('session.update', (e) => toolNamesIn(e).includes('local__late_tool'), 10_000);
    await turnEnds(r);

    // A native server turned on in settings goes out at once too.
    await r.bridge.request.updateSettings({ patch: { mcpServers: [stdioServer(), nativeServer()] } });
    await r.fake.waitFor('session.update', (e) => sessionTools(e).some((t) => t['server_label'] === 'gh'), 10_000);
    expect(r.fake.schemaErrors).toEqual([]);
  });
});
