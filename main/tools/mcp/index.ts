/** MCP servers as tools: what the core imports (main/core/start-core.ts wires it to the tool host). */
export { McpManager } from './mcp-manager.ts';
export type { McpManagerOptions } from './mcp-manager.ts';
export { DEFAULT_BACKOFF } from './mcp-connection.ts';
export type { Backoff } from './mcp-connection.ts';
export type { McpServerConfig, McpServerState, McpServerStatus, McpServerTransport } from './types.ts';
