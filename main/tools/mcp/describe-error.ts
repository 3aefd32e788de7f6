/**
 * One sentence about why an MCP server could not be used, for the status line and for the model.
 * Header and environment values never appear: every message passes through `scrub`, which replaces
 * them (they often hold tokens, and some servers echo request headers in their error pages).
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServerTransport } from './types.ts';

const MAX_MESSAGE = 500;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : codeOf(cause);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Environment names that say they hold a credential. */
const SECRET_ENV_NAME = /(TOKEN|KEY|SECRET|PASS|AUTH|CRED|COOKIE|SESSION|PRIVATE)/i;

/**
 * What a message must not show: every header value (headers are how remote servers take API keys),
 * and the environment values that are credentials by name or look like one (long, no spaces). Other
 * environment values ("1", "production", a path) stay, or messages would be garbled.
 */
function hiddenValues(transport: McpServerTransport): string[] {
  const values =
    transport.type === 'http'
      ? Object.values(transport.headers)
      : Object.entries(transport.env)
          .filter(([name, value]) => SECRET_ENV_NAME.test(name) || (value.length >= 24 && !/[\s/\\]/.test(value)))
          .map(([, value]) => value);
  return values.flatMap((v) => [v, v.replace(/^(Bearer|Basic|Token)\s+/i, '')]).filter((v) => v.length >= 4);
}

/** `text` with the values of hiddenValues replaced by [hidden]. */
export function scrubber(transport: McpServerTransport): (text: string) => string {
  const values = hiddenValues(transport).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join('[hidden]');
    return out;
  };
}

/** Where the server is, for messages: the command's name or the URL without query and credentials. */
export function whereOf(transport: McpServerTransport): string {
  if (transport.type === 'stdio') return `"${transport.command}"`;
  try {
    const url = new URL(transport.url);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

export function describeMcpError(error: unknown, transport: McpServerTransport, timeoutMs: number): string {
  const code = codeOf(error);
  const where = whereOf(transport);
  let text: string;
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) {
      // The SDK puts the limit it applied in `data.timeout` (shared/protocol.js, the request's timeout handler).
      const data: unknown = error.data;
      const applied = typeof data === 'object' && data !== null && 'timeout' in data && typeof data.timeout === 'number' ? data.timeout : timeoutMs;
      text = `it did not answer within ${seconds(applied)}`;
    }
    else if (error.code === ErrorCode.ConnectionClosed) text = transport.type === 'stdio' ? 'the program exited' : 'the connection closed';
    else text = error.message;
  } else if (error instanceof StreamableHTTPError) {
    if (error.code === 401 || error.code === 403) text = `${where} refused access (HTTP ${error.code}); check the server's headers (an API key, say)`;
    else if (error.code === 404) text = `${where} has no MCP endpoint or forgot the session (HTTP 404); check the URL`;
    else text = `${where} answered with an error: ${error.message}`;
  } else if (transport.type === 'stdio' && code === 'ENOENT') {
    text = `could not start ${where}: the program was not found (check the command, or give its full path)`;
  } else if (transport.type === 'stdio' && (code === 'EACCES' || code === 'EPERM')) {
    text = `could not start ${where}: not allowed to run it`;
  } else if (code === 'ECONNREFUSED') {
    text = `could not reach ${where}: connection refused (is the server running?)`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    text = `could not reach ${where}: the host name was not found`;
  } else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || (error instanceof Error && /^(SSE stream disconnected|Maximum reconnection attempts)/.test(error.message))) {
    text = `the connection to ${where} was cut`;
  } else if (code !== undefined && /CERT|SSL|TLS/.test(code)) {
    text = `could not reach ${where}: its TLS certificate was refused (${code})`;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  const clean = scrubber(transport)(text).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}
