/**
 * The MCP servers as Settings shows them (the contract's McpServerLive): each server's status from
 * the manager plus the tools it offers right now, with the policy in effect for each. Built from
 * what the core already holds (McpManager.statuses() and the Tools it gives the tool host), so the
 * window sees exactly what the model is offered, and never a header or environment value.
 */
import type { McpServerLive } from '../../preload/contract.ts';
import type { McpServerStatus } from '../tools/mcp/index.ts';
import type { Tool } from '../tools/tool-definition.ts';

const MAX_DESCRIPTION = 300;

/**
 * The server's own words for a tool: mcp-tool.ts appends `(Tool "<name>" of the MCP server
 * "<server>".)` for the model, which Settings (already inside that server's entry) leaves out.
 */
function ownDescription(tool: Tool, toolName: string, serverName: string): string {
  const origin = `(Tool "${toolName}" of the MCP server "${serverName}".)`;
  let text = tool.description.endsWith(origin) ? tool.description.slice(0, -origin.length).trim() : tool.description.trim();
  if (text === `Runs ${toolName}.`) text = '';
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

export function mcpServerViews(statuses: readonly McpServerStatus[], tools: readonly Tool[]): McpServerLive[] {
  return statuses.map((status) => ({
    id: status.id,
    name: status.name,
    transport: status.transport,
    state: status.state,
    lastError: status.lastError,
    restarts: status.restarts,
    retryInMs: status.retryInMs,
    tools: tools.flatMap((tool) =>
      tool.source?.kind === 'mcp' && tool.source.serverId === status.id
        ? [{ name: tool.source.toolName, description: ownDescription(tool, tool.source.toolName, tool.source.serverName), readOnly: tool.risk === 'read', policy: tool.source.policy }]
        : [],
    ),
  }));
}

/**
 * Calls `send` with the current list once per burst of changes (a settings change, a status and a
 * new tool list often arrive together), and only when the list differs from the last one sent.
 */
export function coalescedMcpEmitter(current: () => McpServerLive[], send: (servers: McpServerLive[]) => void): () => void {
  let scheduled = false;
  let last = '';
  return () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      const servers = current();
      // retryInMs counts down between two calls: compare without it, or every burst would be "new".
      const key = JSON.stringify(servers.map((s) => ({ ...s, retryInMs: s.retryInMs === null ? null : 'set' })));
      if (key === last) return;
      last = key;
      send(servers);
    });
  };
}
