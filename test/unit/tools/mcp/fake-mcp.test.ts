/**
 * The fake Realtime server's remote MCP, driven by the official SDK client alone: the tool list of a
 * session `mcp` tool, an approval request, the service's refusal of an answer to an unknown request,
 * and a call that fails; every event valid against the SDK-derived schema.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRealtime, type FakeRealtime } from '../../../support/fake-realtime/index.ts';
import { connectSdkClient, type SdkClient } from '../../../support/fake-realtime/sdk-client.ts';

let fake: FakeRealtime | null = null;
let client: SdkClient | null = null;

afterEach(async () => {
  client?.rt.close();
  await fake?.close();
  fake = null;
  client = null;
});

const mcpTool = (requireApproval: unknown) => ({
  type: 'mcp' as const,
  server_label: 'notes',
  server_url: 'https://notes.example.com/mcp',
  require_approval: requireApproval as 'always',
});

async function open(requireApproval: unknown): Promise<{ fake: FakeRealtime; client: SdkClient }> {
  fake = await startFakeRealtime({ speedup: 0 });
  client = connectSdkClient(fake);
  await client.opened;
  fake.setMcpTools('notes', [
    { name: 'read_note', input_schema: { type: 'object', properties: { id: { type: 'string' } } }, annotations: { readOnlyHint: true } },
    { name: 'delete_note', input_schema: { type: 'object', properties: { id: { type: 'string' } } }, annotations: { readOnlyHint: false } },
  ]);
  client.rt.send({ type: 'session.update', session: { type: 'realtime', tools: [mcpTool(requireApproval)] } });
  return { fake, client };
}

describe('remote MCP in the fake Realtime server', () => {
  it('lists the tools of a session mcp tool, once', async () => {
    const { fake: f, client: c } = await open('always');
    const done = await c.next('conversation.item.done', (e) => e.item.type === 'mcp_list_tools');
    expect(done.item).toMatchObject({ type: 'mcp_list_tools', server_label: 'notes', tools: [{ name: 'read_note' }, { name: 'delete_note' }] });
    await c.next('mcp_list_tools.completed');
    c.rt.send({ type: 'session.update', session: { type: 'realtime', instructions: 'again', tools: [mcpTool('always')] } });
    await f.waitForNext('session.updated');
    expect(f.events('mcp_list_tools.completed')).toHaveLength(1);
    expect(f.schemaErrors).toEqual([]);
  });

  it('asks for approval, refuses an answer to an unknown request, and runs the call once approved', async () => {
    const { fake: f, client: c } = await open('always');
    f.scriptMcpCall({ serverLabel: 'notes', name: 'delete_note', arguments: { id: 'n1' }, output: 'deleted n1' });
    c.rt.send({ type: 'response.create' });
    const asked = await c.next('response.done');
    expect(asked.response.output).toEqual([{ id: expect.any(String), type: 'mcp_approval_request', server_label: 'notes', name: 'delete_note', arguments: '{"id":"n1"}' }]);
    const requestId = asked.response.output?.[0]?.id ?? '';

    c.rt.send({ type: 'conversation.item.create', item: { type: 'mcp_approval_response', id: 'mcpr_wrong', approval_request_id: 'item_nope', approve: true } });
    const refused = await c.next('error');
    expect(refused.error).toMatchObject({ type: 'invalid_request_error', param: 'item.approval_request_id' });

    c.rt.send({ type: 'conversation.item.create', item: { type: 'mcp_approval_response', id: 'mcpr_right', approval_request_id: requestId, approve: true } });
    c.rt.send({ type: 'response.create' });
    const completed = await c.next('response.mcp_call.completed');
    const ran = await c.next('response.done', (e) => e.response.output?.some((i) => i.type === 'mcp_call') ?? false);
    expect(ran.response.output?.[0]).toMatchObject({ id: completed.item_id, type: 'mcp_call', output: 'deleted n1', approval_request_id: requestId });
    expect(ran.response.output?.[1]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(f.events('response.mcp_call_arguments.done')[0]).toMatchObject({ arguments: '{"id":"n1"}', output_index: 0 });
    expect(f.schemaErrors).toEqual([]);
  });

  it('a filter that exempts read-only tools runs them at once; a failing call reports failed', async () => {
    const { fake: f, client: c } = await open({ never: { read_only: true } });
    f.scriptMcpCall({ serverLabel: 'notes', name: 'read_note', arguments: { id: 'n2' }, error: 'note n2 does not exist' });
    c.rt.send({ type: 'response.create' });
    const failed = await c.next('response.mcp_call.failed');
    const done = await c.next('response.done');
    expect(done.response.output?.[0]).toMatchObject({ id: failed.item_id, type: 'mcp_call', error: { type: 'tool_execution_error', message: 'note n2 does not exist' } });
    expect(f.events('response.output_audio_transcript.done').at(-1)?.['transcript']).toBe('read_note failed: note n2 does not exist');
    expect(f.schemaErrors).toEqual([]);
  });
});
