/**
 * Turns an MCP tools/call result into the text the model gets (MCP spec 2025-06-18, "Tool result"):
 * text content as it is; images, audio and binary resources as one line that says what they were and
 * how big (a voice model cannot use base64, and it would eat the output limit); embedded text
 * resources with their URI; resource links as their name and URI; structured content as JSON when the
 * server gave no text for it. Always within `maxChars`, cut with the counts like our own tools' output.
 */
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { formatBytes, limitText } from '../text-format.ts';

/** The parts of a CallToolResult we read (the SDK has validated it against its schema). */
export interface McpCallOutcome {
  content?: readonly ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  /** Servers older than 2024-11-05 answer with `toolResult` only. */
  toolResult?: unknown;
}

/** Bytes a base64 string decodes to, without decoding it. */
function base64Bytes(data: string): number {
  const trimmed = data.replace(/\s+/g, '');
  const padding = trimmed.endsWith('==') ? 2 : trimmed.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((trimmed.length * 3) / 4) - padding);
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      return `[image: ${block.mimeType}, ${formatBytes(base64Bytes(block.data))}; not shown to you, the user can see it in the tool's result]`;
    case 'audio':
      return `[audio: ${block.mimeType}, ${formatBytes(base64Bytes(block.data))}; not played]`;
    case 'resource_link': {
      const what = block.title ?? block.name;
      const details = [block.mimeType, block.size !== undefined ? formatBytes(block.size) : undefined].filter(Boolean).join(', ');
      return `[resource link: ${what} — ${block.uri}${details ? ` (${details})` : ''}]${block.description ? `\n${block.description}` : ''}`;
    }
    case 'resource': {
      const r = block.resource;
      if ('text' in r && typeof r.text === 'string') return `[resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}]\n${r.text}`;
      const size = 'blob' in r && typeof r.blob === 'string' ? formatBytes(base64Bytes(r.blob)) : 'unknown size';
      return `[resource ${r.uri}: ${r.mimeType ?? 'binary'}, ${size}; not shown]`;
    }
    default: {
      const type: string = (block as { type: string }).type;
      return `[${type} content; not shown]`;
    }
  }
}

export function formatCallResult(result: McpCallOutcome, maxChars: number): string {
  const parts = (result.content ?? []).map(describeBlock);
  const hasText = (result.content ?? []).some((b) => b.type === 'text' && b.text.trim() !== '');
  if (!hasText && result.structuredContent !== undefined) parts.push(json(result.structuredContent));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(typeof result.toolResult === 'string' ? result.toolResult : json(result.toolResult));
  const text = parts.join('\n').trim();
  return limitText(text === '' ? '(The tool returned no content.)' : text, maxChars);
}
