/**
 * What the MCP layer works with: one configured server (the shape of an entry of the `mcpServers`
 * setting, main/settings/mcp-servers-schema.ts, which the core passes through), one tool a server
 * lists, and the status the window can show for a server.
 */
import type { ToolPolicy } from '../ports.ts';

export type McpServerTransport =
  | { type: 'stdio'; command: string; args: readonly string[]; env: Readonly<Record<string, string>>; cwd: string | null }
  | { type: 'http'; url: string; headers: Readonly<Record<string, string>> };

export interface McpServerConfig {
  /** Prefixes the names the model sees; unique among the servers. */
  id: string;
  name: string;
  enabled: boolean;
  transport: McpServerTransport;
  policy: ToolPolicy;
  /** By the tool's name on its server. */
  toolPolicies: Readonly<Record<string, ToolPolicy>>;
  timeoutMs: number;
  /** Handed to the Realtime session as a native `mcp` tool instead of being connected from here. */
  native: boolean;
}

/** The MCP spec's tool annotations we act on (2025-06-18, "Tool annotations"); all are hints. */
export interface McpToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One tool as its server lists it (tools/list), already checked by the SDK's schema. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: McpToolHints;
}

/**
 * connecting: starting the program / opening the session; ready: tools listed, calls go through;
 * retrying: it failed or died and the next attempt is scheduled (retryInMs); stopped: disabled,
 * removed or the app is closing.
 */
export type McpServerState = 'connecting' | 'ready' | 'retrying' | 'stopped';

export interface McpServerStatus {
  id: string;
  name: string;
  transport: 'stdio' | 'http';
  state: McpServerState;
  /** Why it is not ready (or why it last failed), in words a person can act on; null when fine. */
  lastError: string | null;
  toolCount: number;
  /** Successful connections after the first one (restarts observed). */
  restarts: number;
  /** While retrying: milliseconds until the next attempt. */
  retryInMs: number | null;
}
