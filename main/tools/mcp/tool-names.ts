/**
 * The names the model sees for MCP tools. A function name in session.tools must match
 * ^[a-zA-Z0-9_-]{1,64}$ (the OpenAI function-calling limit), while an MCP tool name may hold dots,
 * slashes or spaces and two servers may both have a "search". So each tool is offered as
 * "<serverId>__<tool>", sanitised; when that is too long or already taken, it ends with a short hash
 * of the server and the original name, so it stays the same across restarts.
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME = 64;
const VALID = /^[A-Za-z0-9_-]{1,64}$/;
const SEPARATOR = '__';

export function isValidToolName(name: string): boolean {
  return VALID.test(name);
}

function sanitize(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, '_');
  return cleaned === '' ? 'tool' : cleaned;
}

function shortHash(text: string, salt: number): string {
  return createHash('sha256').update(`${salt}\0${text}`).digest('hex').slice(0, 8);
}

/**
 * A name for `toolName` of server `serverId` that no name in `taken` has; the caller adds it to
 * `taken`. `serverId` is already `[A-Za-z0-9_-]{1,24}` (settings check it).
 */
export function exposedToolName(serverId: string, toolName: string, taken: ReadonlySet<string>): string {
  const prefix = `${serverId}${SEPARATOR}`;
  const plain = `${prefix}${sanitize(toolName)}`;
  // "get.weather" → "srv__get_weather" reads better than a hash, as long as nothing else took it
  // (the manager names the tools whose names need no change first, so those keep theirs).
  if (plain.length <= MAX_TOOL_NAME && !taken.has(plain)) return plain;
  for (let salt = 0; ; salt += 1) {
    const suffix = `_${shortHash(`${serverId}\0${toolName}`, salt)}`;
    const room = MAX_TOOL_NAME - prefix.length - suffix.length;
    const candidate = `${prefix}${sanitize(toolName).slice(0, Math.max(1, room))}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
