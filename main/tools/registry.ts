/** Every tool the assistant has, in the order the model sees them. */
import type { Tool } from './tool-definition.ts';
import type { FunctionToolDefinition } from './tool-host.ts';
import type { ToolPolicy } from './ports.ts';
import { listDirectoryTool } from './file-tools/list-directory.ts';
import { readFileTool } from './file-tools/read-file.ts';
import { searchFilesTool } from './file-tools/search-files.ts';
import { fileInfoTool } from './file-tools/file-info.ts';
import { appendFileTool, writeFileTool } from './file-tools/write-file.ts';
import { createDirectoryTool } from './file-tools/create-directory.ts';
import { readClipboardTool, writeClipboardTool } from './clipboard-tools.ts';
import { lookAtScreenTool } from './screen/look-at-screen-tool.ts';

export const toolNames = [
  'list_directory',
  'read_file',
  'search_files',
  'file_info',
  'write_file',
  'append_file',
  'create_directory',
  'read_clipboard',
  'write_clipboard',
  'look_at_screen',
] as const;
export type ToolName = (typeof toolNames)[number];

export const fileTools: readonly Tool[] = [
  listDirectoryTool,
  readFileTool,
  searchFilesTool,
  fileInfoTool,
  writeFileTool,
  appendFileTool,
  createDirectoryTool,
];
export const clipboardTools: readonly Tool[] = [readClipboardTool, writeClipboardTool];
/** Offered only where the desktop can capture the screen (not in the CLI). */
export const screenTools: readonly Tool[] = [lookAtScreenTool];
export const allTools: readonly Tool[] = [...fileTools, ...clipboardTools, ...screenTools];

export function findTool(name: string): Tool | undefined {
  return allTools.find((t) => t.name === name);
}

export function toFunctionDefinition(tool: Tool): FunctionToolDefinition {
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters };
}

/**
 * The policy a tool gets when settings say nothing: read tools allow, write and private ones (the
 * screen) ask, reading the
 * clipboard is denied until the user enables it.
 */
export function defaultPolicy(tool: Tool, clipboardRead: boolean): ToolPolicy {
  if (tool.name === 'read_clipboard') return clipboardRead ? 'allow' : 'deny';
  return tool.risk === 'read' ? 'allow' : 'ask';
}

/**
 * The policy that applies: clipboard reading stays off while the privacy switch is off, whatever the
 * per-tool policy says; otherwise the user's policy, else the default.
 */
export function effectivePolicy(tool: Tool, policies: Readonly<Record<string, ToolPolicy>>, clipboardRead: boolean): ToolPolicy {
  // An MCP server's tool follows that server's settings (main/tools/mcp/mcp-policy.ts), not this table.
  if (tool.source) return tool.source.policy;
  if (tool.name === 'read_clipboard' && !clipboardRead) return 'deny';
  return policies[tool.name] ?? defaultPolicy(tool, clipboardRead);
}
