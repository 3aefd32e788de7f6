/**
 * A remote MCP server handed to the Realtime session as a native `mcp` tool (DESIGN §3 "Remote MCP";
 * RealtimeToolsConfigUnion.Mcp in openai/resources/realtime/realtime.d.ts): the service connects to it
 * and calls its tools itself, and when approval is required it adds an `mcp_approval_request` item
 * that we answer with an `mcp_approval_response` item after the same policy and approval card as our
 * own tools (native-approval.ts).
 *
 * The policies map onto the session tool like this:
 *  - every tool allowed (server on "allow", no tool set to ask or deny): require_approval "never";
 *  - otherwise "always", and each request is decided here: allowed tools (by the user's choice or a
 *    read-only hint, mcp-policy.ts) are approved without asking, denied ones refused, the rest asked;
 *  - server on "deny": only the tools the user allowed or set to ask are offered (`allowed_tools`);
 *    none, and the server is not offered at all.
 */
import type { McpServerConfig } from './types.ts';

export interface NativeMcpTool {
  type: 'mcp';
  server_label: string;
  server_url: string;
  server_description: string;
  headers?: Record<string, string>;
  require_approval: 'always' | 'never';
  allowed_tools?: string[];
}

export function nativeMcpTool(config: McpServerConfig): NativeMcpTool | null {
  if (!config.enabled || !config.native || config.transport.type !== 'http') return null;
  const choices = Object.entries(config.toolPolicies);
  const base = {
    type: 'mcp' as const,
    server_label: config.id,
    server_url: config.transport.url,
    server_description: config.name,
    ...(Object.keys(config.transport.headers).length > 0 ? { headers: { ...config.transport.headers } } : {}),
  };
  if (config.policy === 'deny') {
    const offered = choices.filter(([, policy]) => policy !== 'deny').map(([name]) => name);
    if (offered.length === 0) return null;
    return { ...base, allowed_tools: offered, require_approval: 'always' };
  }
  const everyToolAllowed = config.policy === 'allow' && choices.every(([, policy]) => policy === 'allow');
  return { ...base, require_approval: everyToolAllowed ? 'never' : 'always' };
}
