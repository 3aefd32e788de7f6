/**
 * MCP header values, and environment values named like credentials, are tokens more often than not.
 * The window's view of the settings shows them as "[redacted]" (the marker base/redact.ts uses), and
 * a change that sends that marker back (the settings form saving a server whose token it never saw)
 * keeps the value as configured. A new value replaces it; a removed entry is removed.
 */
import { REDACTED } from '../base/redact.ts';
import type { McpServerSettings } from './mcp-servers-schema.ts';

/** Environment names that say they hold a credential. */
export const SECRET_ENV_NAME = /(TOKEN|KEY|SECRET|PASS|AUTH|CRED|COOKIE|SESSION|PRIVATE)/i;

function mapValues(record: Readonly<Record<string, string>>, keep: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, keep(name) || value === '' ? value : REDACTED]));
}

/** The servers as the window may see them. */
export function hideMcpSecrets(servers: readonly McpServerSettings[]): McpServerSettings[] {
  return servers.map((server) => {
    const t = server.transport;
    const transport =
      t.type === 'http'
        ? { ...t, headers: mapValues(t.headers, () => false) }
        : { ...t, env: mapValues(t.env, (name) => !SECRET_ENV_NAME.test(name)) };
    return { ...server, transport };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `incoming` (the mcpServers of a settings change, not validated yet) with every "[redacted]" header
 * or environment value replaced by the stored value of the same server id and name. Anything that is
 * not the expected shape is returned as it is, for the schema to explain.
 */
export function restoreMcpSecrets(incoming: unknown, stored: readonly McpServerSettings[]): unknown {
  if (!Array.isArray(incoming)) return incoming;
  return incoming.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry.transport)) return entry;
    const before = stored.find((s) => s.id === entry.id);
    if (!before) return entry;
    const field = entry.transport.type === 'http' ? 'headers' : 'env';
    const values = entry.transport[field];
    const previous: Readonly<Record<string, string>> =
      before.transport.type === 'http' ? (field === 'headers' ? before.transport.headers : {}) : field === 'env' ? before.transport.env : {};
    if (!isRecord(values)) return entry;
    const restored = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, value === REDACTED && Object.hasOwn(previous, name) ? previous[name] : value]),
    );
    return { ...entry, transport: { ...entry.transport, [field]: restored } };
  });
}
