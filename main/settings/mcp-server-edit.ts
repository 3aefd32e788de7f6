/**
 * Settings' "Edit" of one MCP server (the `editMcpServer` request, mcp-server-edit-schema.ts): the
 * name, the command or URL, the arguments, the variables or headers and "native" change; everything
 * else of the server stays as stored — its id (the prefix of its tool names, which its "always allow"
 * approvals follow), on/off, policies of the server and of each tool, time limit, working folder.
 *
 * Header values and credential-like environment values never reach the window (mcp-secrets.ts), so
 * a row left empty keeps the stored value (`keepFrom`, the row's name when the form opened: a row
 * may be renamed and keep its value), a typed value replaces it, and a row the user removed is not
 * sent and so is cleared. The result goes through SettingsService.update like any change: the same
 * schema, the unique-name rule, one save, and the listeners that reconnect a running server whose
 * command, URL, headers or variables changed (main/tools/mcp/mcp-manager.ts).
 */
import { REDACTED } from '../base/redact.ts';
import type { McpPairEdit, McpServerEdit } from './mcp-server-edit-schema.ts';
import type { McpServerSettings } from './mcp-servers-schema.ts';
import { SettingsValidationError, type SettingsProblem } from './settings-messages.ts';
import type { SettingsService, SettingsUpdateResult } from './settings-service.ts';

/** The name = value rows as the setting keeps them, each problem named by `field` + the row's name. */
function mergePairs(rows: readonly McpPairEdit[], stored: Readonly<Record<string, string>>, field: string, problems: SettingsProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    const value = 'keepFrom' in row ? (Object.hasOwn(stored, row.keepFrom) ? stored[row.keepFrom] : undefined) : row.value;
    // A blank line the person left in the form (no name, nothing typed).
    if (name === '' && !('keepFrom' in row) && value === '') continue;
    if (value === undefined) {
      problems.push({ field: `${field}.${name || '(no name)'}`, problem: 'its stored value is gone (the server was changed meanwhile); type the value again' });
      continue;
    }
    if ('value' in row && row.value === REDACTED) {
      // The marker the window is shown instead of a value: never store it as one.
      problems.push({ field: `${field}.${name || '(no name)'}`, problem: `"${REDACTED}" stands for a hidden value; leave the field empty to keep the stored one, or type the new value` });
      continue;
    }
    if (Object.hasOwn(out, name)) {
      problems.push({ field: `${field}.${name || '(no name)'}`, problem: 'is listed twice; keep one' });
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * Applies the edit to the stored server `edit.id` and saves. Throws SettingsValidationError with
 * every problem as `mcpServers.<index>.<field>: …` (the form puts each beside its field), or the
 * store's error; nothing changes then.
 */
export function editMcpServer(settings: SettingsService, edit: McpServerEdit): SettingsUpdateResult {
  const servers = settings.get().mcpServers;
  const index = servers.findIndex((s) => s.id === edit.id);
  const before = servers[index];
  if (!before) {
    throw new SettingsValidationError([{ field: 'mcpServers', problem: `there is no server with the id "${edit.id}" any more (it was removed); add it again` }]);
  }
  const problems: SettingsProblem[] = [];
  const at = `mcpServers.${index}.transport`;
  const t = edit.transport;
  let transport: McpServerSettings['transport'];
  if (t.type === 'stdio') {
    const storedEnv = before.transport.type === 'stdio' ? before.transport.env : {};
    const env = mergePairs(t.env, storedEnv, `${at}.env`, problems);
    // The working folder is not in the form: it stays as configured.
    const cwd = before.transport.type === 'stdio' ? before.transport.cwd : null;
    transport = { type: 'stdio', command: t.command, args: [...t.args], env, cwd };
  } else {
    const storedHeaders = before.transport.type === 'http' ? before.transport.headers : {};
    transport = { type: 'http', url: t.url, headers: mergePairs(t.headers, storedHeaders, `${at}.headers`, problems) };
  }
  if (problems.length > 0) throw new SettingsValidationError(problems);
  const next: McpServerSettings = { ...before, name: edit.name, native: edit.native, transport };
  return settings.update({ mcpServers: servers.map((s, i) => (i === index ? next : s)) });
}
