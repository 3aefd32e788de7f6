/**
 * The `mcpServers` setting: MCP servers whose tools the assistant may use (main/tools/mcp/). A local
 * server is a command Earshot starts and talks to over stdio; a remote one is a streamable-HTTP URL
 * (MCP specification 2025-06-18, "Transports"). Every message names the field and says what to
 * write instead; none repeats a header or environment value, since those often hold tokens.
 */
import { z } from 'zod';

const POLICIES = ['allow', 'ask', 'deny'] as const;
export const McpPolicySchema = z.enum(POLICIES, { error: 'must be "ask", "allow" or "deny"' });

/** Loopback hosts: plain http is acceptable only to this computer (headers would travel in clear). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const serverUrl = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    const url = parseUrl(value);
    return url !== null && (url.protocol === 'https:' || url.protocol === 'http:');
  }, 'must be an http(s) URL such as https://mcp.example.com/mcp')
  .refine((value) => {
    const url = parseUrl(value);
    return url === null || url.protocol === 'https:' || isLoopback(url.hostname);
  }, 'must start with https:// (plain http is only allowed to this computer: localhost or 127.0.0.1)')
  .refine((value) => {
    const url = parseUrl(value);
    return url === null || (url.username === '' && url.password === '');
  }, 'must not contain a user name or password; put credentials in a header such as Authorization');

/** RFC 9110 §5.6.2 token characters. */
const headerName = z
  .string()
  .min(1, 'a header name must not be empty')
  .max(200, 'a header name must be at most 200 characters')
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name may contain only letters, digits and !#$%&\'*+.^_`|~-');

/** The value is never echoed in a message: it is often a token. */
const headerValue = z
  .string()
  .max(8000, 'a header value must be at most 8000 characters')
  .refine((value) => !/[\r\n\0]/.test(value), 'a header value must not contain line breaks');

/** Headers the transport sets itself (MCP spec, streamable HTTP): a configured one would break the session. */
const RESERVED_HEADERS = new Set(['content-type', 'accept', 'content-length', 'host', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name may contain only letters, digits and _ (not starting with a digit)')
  .max(200, 'an environment variable name must be at most 200 characters');

const absolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'), 'must be an absolute path');

export const McpStdioTransportSchema = z
  .object({
    type: z.literal('stdio'),
    /** The program to start: a name found on PATH ("npx", "uvx") or an absolute path. Never run through a shell. */
    command: z.string().trim().min(1, 'must name the program to start, such as "npx" or "/usr/local/bin/my-server"').max(4096, 'must be at most 4096 characters'),
    args: z.array(z.string().max(4096, 'an argument must be at most 4096 characters')).max(100, 'must have at most 100 arguments').default([]),
    /** Added to a minimal inherited environment (HOME, PATH, USER…: the MCP SDK's default). */
    env: z
      .record(envName, z.string().max(32_000, 'an environment value must be at most 32000 characters').refine((v) => !v.includes('\0'), 'an environment value must not contain a NUL character'))
      .default({}),
    /** Working folder of the server; null = Earshot's own. */
    cwd: absolutePath.nullable().default(null),
  })
  .strict();

export const McpHttpTransportSchema = z
  .object({
    type: z.literal('http'),
    url: serverUrl,
    /** Sent with every request (an API key, say). Kept as configured, never logged. */
    headers: z
      .record(headerName, headerValue)
      .default({})
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (RESERVED_HEADERS.has(name.toLowerCase())) {
            ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by the MCP transport itself; remove it` });
          }
        }
      }),
  })
  .strict();

export const McpTransportSchema = z.discriminatedUnion('type', [McpStdioTransportSchema, McpHttpTransportSchema], {
  error: 'must be {"type":"stdio","command":…} for a program on this computer or {"type":"http","url":…} for a remote server',
});

export const McpServerSettingsSchema = z
  .object({
    /** Short and stable: it prefixes the tool names the model sees ("notes__search"). */
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/, 'must be 1–24 letters, digits, _ or -, starting with a letter or digit (it prefixes the tool names)'),
    /** What the approval card and the status call it. */
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    enabled: z.boolean().default(true),
    transport: McpTransportSchema,
    /** For the server's tools the user did not set one by one. Read-only tools under "ask" run without asking. */
    policy: McpPolicySchema.default('ask'),
    /** Per tool, by the name the server gives it. */
    toolPolicies: z
      .record(z.string().min(1, 'a tool name must not be empty').max(128, 'a tool name must be at most 128 characters'), McpPolicySchema)
      .default({}),
    /** Longest a call (and connecting) may take before the model is told it timed out. */
    timeoutMs: z.number().int('must be a whole number of milliseconds').min(1000, 'must be at least 1000 ms').max(600_000, 'must be at most 600000 ms (10 minutes)').default(30_000),
    /** HTTP servers only: hand the server to the Realtime session as a native `mcp` tool (DESIGN §3, Remote MCP). */
    native: z.boolean().default(false),
  })
  .strict()
  .superRefine((server, ctx) => {
    if (!server.native) return;
    if (server.transport.type !== 'http') {
      ctx.addIssue({ code: 'custom', path: ['native'], message: 'only an http server can be native (the Realtime service cannot start a program on this computer)' });
      return;
    }
    const url = parseUrl(server.transport.url);
    if (url && (url.protocol !== 'https:' || isLoopback(url.hostname))) {
      ctx.addIssue({ code: 'custom', path: ['native'], message: "a native server is reached by OpenAI's servers, so its URL must be public https, not this computer" });
    }
  });

export const McpServersSchema = z
  .array(McpServerSettingsSchema)
  .max(20, 'must have at most 20 servers')
  .superRefine((servers, ctx) => {
    const seen = new Set<string>();
    servers.forEach((server, index) => {
      const key = server.id.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${server.id}" is used by another server; each needs its own id` });
      seen.add(key);
    });
  });

export type McpServerSettings = z.infer<typeof McpServerSettingsSchema>;
export type McpTransportSettings = z.infer<typeof McpTransportSchema>;
