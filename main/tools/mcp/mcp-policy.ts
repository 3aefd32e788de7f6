/**
 * The policy of one MCP tool, from its server's settings and the tool's annotations.
 *
 * Annotations are hints a server gives about itself (MCP spec 2025-06-18, "Tool annotations": "clients
 * should never make tool use decisions based on tool annotations received from untrusted servers"), so
 * they may only make the default more careful, or spare a question for a tool that says it only reads
 * when the user left the server on "ask". In order:
 *  1. the user's choice for this tool;
 *  2. the server on "deny": deny;
 *  3. a tool that says it is destructive (`destructiveHint: true`): ask, even when the server is on "allow";
 *  4. the server on "allow": allow;
 *  5. the server on "ask" and the tool says it only reads (`readOnlyHint: true`): allow;
 *  6. ask.
 * Only an explicit `destructiveHint: true` counts: the spec's default (true when not read-only) would
 * turn "allow" into "ask" for every tool that carries no annotations at all.
 */
import type { ToolPolicy } from '../ports.ts';
import type { McpServerConfig, McpToolInfo } from './types.ts';

export function mcpToolPolicy(server: Pick<McpServerConfig, 'policy' | 'toolPolicies'>, tool: Pick<McpToolInfo, 'name' | 'annotations'>): ToolPolicy {
  const chosen = Object.hasOwn(server.toolPolicies, tool.name) ? server.toolPolicies[tool.name] : undefined;
  if (chosen !== undefined) return chosen;
  if (server.policy === 'deny') return 'deny';
  if (tool.annotations?.destructiveHint === true) return 'ask';
  if (server.policy === 'allow') return 'allow';
  if (tool.annotations?.readOnlyHint === true) return 'allow';
  return 'ask';
}
