/**
 * Each MCP server's name is what its approval cards, statuses and notices call it, so two servers
 * called "Notes" could not be told apart there. The rule is checked on a change (SettingsService.update),
 * not in the schema: a settings file written before it, holding two servers of one name, must still
 * load whole (the schema's salvage would reset the whole list), so only a server that is new or was
 * renamed is held to it.
 */
import type { McpServerSettings } from './mcp-servers-schema.ts';
import type { SettingsProblem } from './settings-messages.ts';

const key = (name: string): string => name.trim().normalize('NFC').toLocaleLowerCase();

/** Problems (as `mcpServers.<index>.name`) of the servers in `next` that are new or renamed and share a name with another. */
export function mcpNameProblems(next: readonly McpServerSettings[], before: readonly McpServerSettings[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  next.forEach((server, index) => {
    const previous = before.find((s) => s.id === server.id);
    if (previous && key(previous.name) === key(server.name)) return;
    if (next.some((other, j) => j !== index && key(other.name) === key(server.name))) {
      problems.push({ field: `mcpServers.${index}.name`, problem: `another server is already called "${server.name}"; choose a name that tells them apart` });
    }
  });
  return problems;
}
