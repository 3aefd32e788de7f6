/**
 * Remote MCP in the fake (DESIGN §3 "Remote MCP"; the RealtimeMcp* items and the mcp_list_tools.* /
 * response.mcp_call* events of openai/resources/realtime/realtime.d.ts). The fake does not reach the
 * server: it plays the service's side with a scripted tool list and scripted results.
 *
 *  - A session.update that adds an `mcp` tool lists that server's tools: conversation.item.added of an
 *    `mcp_list_tools` item, mcp_list_tools.in_progress, mcp_list_tools.completed, conversation.item.done
 *    (with the tools).
 *  - fake.scriptMcpCall({ serverLabel, name, arguments, output }) makes the next response call that
 *    tool. When the session tool requires approval for it (require_approval "always", the default, or a
 *    filter that does not exempt it), the response's one output is an `mcp_approval_request` item.
 *    The client must answer with conversation.item.create of an `mcp_approval_response` naming that
 *    request (an unknown id is an invalid_request_error), then response.create: approved, the response
 *    holds the `mcp_call` item (arguments streamed, in_progress, completed or failed) followed by the
 *    spoken reply, which quotes the output; declined, only a reply saying it was not run.
 *  - Without approval, the scripted response holds the mcp_call and the reply at once.
 */
import { isObject } from './session-config.ts';
import type { JsonObject } from './session-config.ts';
import type { IdMaker } from './ids.ts';

/** One tool as an mcp_list_tools item lists it (RealtimeMcpListTools.Tool). */
export interface McpListedTool {
  name: string;
  description?: string;
  input_schema: JsonObject;
  annotations?: JsonObject | null;
}

export interface McpCallScript {
  serverLabel: string;
  name: string;
  /** JSON text, or an object that is serialised. */
  arguments: string | Record<string, unknown>;
  /** What the tool returns (default "done"). */
  output?: string;
  /** Make the call fail with this tool_execution_error message instead. */
  error?: string;
}

export const DEFAULT_MCP_TOOLS: McpListedTool[] = [
  {
    name: 'search_issues',
    description: 'Searches the issues of a repository.',
    input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'create_issue',
    description: 'Opens an issue.',
    input_schema: { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' } }, required: ['title'] },
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
];

/** What the next response does about MCP, if anything. */
export type McpStep =
  | { kind: 'approval_request'; item: JsonObject; script: McpCallScript }
  | { kind: 'call'; item: JsonObject; script: McpCallScript }
  | { kind: 'declined'; script: McpCallScript; reason: string | null };

interface Pending {
  item: JsonObject;
  script: McpCallScript;
  answer: { approve: boolean; reason: string | null } | null;
}

export interface McpSend {
  send(event: JsonObject): void;
  /** Adds an item at the end of the conversation; returns the id before it. */
  insert(item: JsonObject, text: string): string | null;
}

function mcpTools(tools: unknown[]): JsonObject[] {
  return tools.filter((t): t is JsonObject => isObject(t) && t['type'] === 'mcp');
}

function argumentsText(script: McpCallScript): string {
  return typeof script.arguments === 'string' ? script.arguments : JSON.stringify(script.arguments);
}

export class FakeMcp {
  private readonly listed = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly ids: IdMaker;
  private readonly toolsOf: (label: string) => McpListedTool[];

  constructor(ids: IdMaker, toolsOf: (label: string) => McpListedTool[]) {
    this.ids = ids;
    this.toolsOf = toolsOf;
  }

  /** After session.updated: list the tools of every mcp server the session names for the first time. */
  listServers(sessionTools: unknown[], out: McpSend): void {
    for (const tool of mcpTools(sessionTools)) {
      const label = String(tool['server_label']);
      if (this.listed.has(label)) continue;
      this.listed.add(label);
      const id = this.ids.next('item');
      const tools = this.toolsOf(label).map((t) => structuredClone(t));
      const empty: JsonObject = { id, type: 'mcp_list_tools', server_label: label, tools: [] };
      const previous = out.insert({ ...empty, tools }, JSON.stringify(tools));
      out.send({ type: 'conversation.item.added', previous_item_id: previous, item: empty });
      out.send({ type: 'mcp_list_tools.in_progress', item_id: id });
      out.send({ type: 'mcp_list_tools.completed', item_id: id });
      out.send({ type: 'conversation.item.done', previous_item_id: previous, item: { ...empty, tools } });
    }
  }

  /**
   * The client's mcp_approval_response. Returns an error message when it names no pending request of
   * this session (the service refuses those), else null.
   */
  answer(item: JsonObject): string | null {
    const requestId = String(item['approval_request_id']);
    const pending = this.pending.get(requestId);
    if (!pending) return `Invalid 'item.approval_request_id': no mcp_approval_request with id '${requestId}' is waiting for an answer.`;
    if (pending.answer) return `Invalid 'item.approval_request_id': the mcp_approval_request '${requestId}' was already answered.`;
    pending.answer = { approve: item['approve'] === true, reason: typeof item['reason'] === 'string' ? item['reason'] : null };
    return null;
  }

  /** What the next response does: an answered approval first, else the next scripted call. */
  nextStep(sessionTools: unknown[], scripts: McpCallScript[]): McpStep | null {
    for (const [id, pending] of this.pending) {
      if (!pending.answer) continue;
      this.pending.delete(id);
      if (!pending.answer.approve) return { kind: 'declined', script: pending.script, reason: pending.answer.reason };
      return { kind: 'call', item: this.callItem(pending.script, id), script: pending.script };
    }
    const script = scripts[0];
    if (!script) return null;
    const tool = mcpTools(sessionTools).find((t) => t['server_label'] === script.serverLabel);
    if (!tool) return null; // no such server in this session: an ordinary reply
    scripts.shift();
    if (this.requiresApproval(tool, script.name)) {
      const item: JsonObject = { id: this.ids.next('item'), type: 'mcp_approval_request', server_label: script.serverLabel, name: script.name, arguments: argumentsText(script) };
      this.pending.set(String(item['id']), { item, script, answer: null });
      return { kind: 'approval_request', item, script };
    }
    return { kind: 'call', item: this.callItem(script, null), script };
  }

  private callItem(script: McpCallScript, approvalRequestId: string | null): JsonObject {
    return {
      id: this.ids.next('item'),
      type: 'mcp_call',
      server_label: script.serverLabel,
      name: script.name,
      arguments: argumentsText(script),
      approval_request_id: approvalRequestId,
      output: null,
      error: null,
    };
  }

  /** require_approval: "never", "always" (also when absent), or {always?, never?} filters by name or read-only hint. */
  private requiresApproval(tool: JsonObject, name: string): boolean {
    const rule = tool['require_approval'];
    if (rule === 'never') return false;
    if (!isObject(rule)) return true;
    const readOnly = this.toolsOf(String(tool['server_label'])).find((t) => t.name === name)?.annotations?.['readOnlyHint'] === true;
    const matches = (filter: unknown): boolean =>
      isObject(filter) && ((Array.isArray(filter['tool_names']) && filter['tool_names'].includes(name)) || (filter['read_only'] === true && readOnly));
    if (matches(rule['always'])) return true;
    if (matches(rule['never'])) return false;
    return true;
  }
}
