/**
 * The answer to the Realtime service's `mcp_approval_request` for a native MCP server (native.ts):
 * the same rules as a tool of ours. The server's settings and the tool's hints decide the policy
 * (mcp-policy.ts); "ask" shows the same approval card, naming the server and the tool and showing the
 * arguments; "always" from an earlier answer is remembered with our own tools'. Never throws.
 */
import type { ApprovalPort, ToolPolicy } from '../ports.ts';
import { mcpToolPolicy } from './mcp-policy.ts';
import { exposedToolName } from './tool-names.ts';
import type { McpServerConfig, McpToolHints } from './types.ts';

const MAX_PREVIEW = 1_500;

/** What the service asks (RealtimeMcpApprovalRequest), plus the hints its mcp_list_tools item gave. */
export interface NativeApprovalRequest {
  /** The approval request item's id: the answer names it as approval_request_id. */
  id: string;
  serverLabel: string;
  name: string;
  argumentsJson: string;
  annotations?: McpToolHints;
}

export interface NativeApprovalAnswer {
  approve: boolean;
  /** Why not, for the model (mcp_approval_response.reason). */
  reason?: string;
  /** How it was decided, for the audit and the call's view. */
  decision: 'allowed' | 'allowed-once' | 'allowed-always' | 'denied' | 'timeout';
  /** The name the card and the audit use ("gh__create_issue"). */
  toolKey: string;
  summary: string;
}

export interface NativeApprovalDeps {
  servers: readonly McpServerConfig[];
  approvals: ApprovalPort;
  /** Tools the user allowed "always" in this run (shared with our own tools). */
  alwaysAllowed: Set<string>;
  /** Called when the card is about to be shown. */
  asking(): void;
}

function previewOf(argumentsJson: string): string {
  let text = argumentsJson;
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    text = typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0 ? '(no arguments)' : JSON.stringify(parsed, null, 2);
  } catch {
    // Shown as it came: the person sees exactly what the model asked for.
  }
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}\n…` : text;
}

/** The name the card, the call's view and the audit use for a native tool ("gh__create_issue"). */
export function nativeToolKey(serverLabel: string, toolName: string): string {
  return exposedToolName(serverLabel.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 24) || 'mcp', toolName, new Set());
}

export async function decideNativeApproval(request: NativeApprovalRequest, deps: NativeApprovalDeps, signal?: AbortSignal): Promise<NativeApprovalAnswer> {
  const server = deps.servers.find((s) => s.id === request.serverLabel && s.native && s.enabled);
  const toolKey = nativeToolKey(request.serverLabel, request.name);
  if (!server) {
    return { approve: false, reason: `Earshot has no MCP server "${request.serverLabel}" turned on`, decision: 'denied', toolKey, summary: `Run ${request.name}` };
  }
  const summary = `Run ${request.name} on the MCP server "${server.name}"`;
  const policy: ToolPolicy = mcpToolPolicy(server, { name: request.name, ...(request.annotations ? { annotations: request.annotations } : {}) });
  if (policy === 'deny') {
    return { approve: false, reason: `the user has turned off ${request.name} on ${server.name}`, decision: 'denied', toolKey, summary };
  }
  if (policy === 'allow') return { approve: true, decision: 'allowed', toolKey, summary };
  if (deps.alwaysAllowed.has(toolKey)) return { approve: true, decision: 'allowed-always', toolKey, summary };
  deps.asking();
  const answer = await deps.approvals.request({ tool: toolKey, summary, preview: previewOf(request.argumentsJson) }, signal);
  if (answer.decision === 'timeout') return { approve: false, reason: 'the user did not answer in time', decision: 'timeout', toolKey, summary };
  if (answer.decision === 'deny') return { approve: false, reason: answer.reason ?? 'the user declined', decision: 'denied', toolKey, summary };
  if (answer.decision === 'always') deps.alwaysAllowed.add(toolKey);
  return { approve: true, decision: answer.decision === 'always' ? 'allowed-always' : 'allowed-once', toolKey, summary };
}
