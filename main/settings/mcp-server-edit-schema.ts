/**
 * The `editMcpServer` request (preload/contract.ts): Settings' edit form for one MCP server the user
 * already added. The window never sees a header value or a credential-like environment value
 * (mcp-secrets.ts), so each name = value row says either "keep the stored value of the row that was
 * called `keepFrom`" (the field was left empty; the row may have been renamed) or "use this `value`"
 * (a new one was typed). A row the user removed is simply not sent: its value is cleared.
 *
 * Only the shape is checked here, with bounds well above the setting's own: the rules a person can
 * act on (https, a program to start, a unique name…) are the `mcpServers` setting's
 * (mcp-servers-schema.ts, mcp-server-names.ts), so their messages land beside the field in the form.
 * Pure data and zod: the contract bundles it into preload and renderer.
 */
import { z } from 'zod';

const MAX = { name: 1000, value: 64_000, url: 10_000, rows: 500, args: 1000 } as const;

export const McpPairEditSchema = z.union([
  /** The stored value of the row that was called `keepFrom` when the form opened. */
  z.object({ name: z.string().max(MAX.name), keepFrom: z.string().max(MAX.name) }).strict(),
  /** A value typed now (replaces the stored one, or is new). */
  z.object({ name: z.string().max(MAX.name), value: z.string().max(MAX.value) }).strict(),
]);
export type McpPairEdit = z.infer<typeof McpPairEditSchema>;

export const McpServerEditSchema = z
  .object({
    /** Which server: its id never changes (it prefixes the tool names, and approvals follow it). */
    id: z.string().min(1).max(100),
    name: z.string().max(MAX.name),
    native: z.boolean(),
    transport: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('stdio'),
          command: z.string().max(MAX.value),
          args: z.array(z.string().max(MAX.value)).max(MAX.args),
          env: z.array(McpPairEditSchema).max(MAX.rows),
        })
        .strict(),
      z
        .object({
          type: z.literal('http'),
          url: z.string().max(MAX.url),
          headers: z.array(McpPairEditSchema).max(MAX.rows),
        })
        .strict(),
    ]),
  })
  .strict();
export type McpServerEdit = z.infer<typeof McpServerEditSchema>;
