/**
 * What the renderer may see of the settings: everything except secrets. The API key is never a
 * setting; the view carries only its status. Any string that happens to contain a known secret (a
 * key pasted into the instructions, say) is redacted on the way out.
 */
import type { ApiKeyStatus } from './secrets-service.ts';
import type { Settings } from './settings-schema.ts';
import { redactValue } from '../base/redact.ts';
import { hideMcpSecrets } from './mcp-secrets.ts';

/** The file's `version` is Earshot's bookkeeping, not a setting: the view (settings-view-schema.ts) has none. */
export type SettingsViewData = Omit<Settings, 'version'> & { apiKey: ApiKeyStatus };

export function settingsView(settings: Settings, apiKey: ApiKeyStatus, secrets: readonly string[] = []): SettingsViewData {
  const { version: _version, ...rest } = structuredClone(settings);
  // MCP headers and credential-like environment values leave as "[redacted]" (mcp-secrets.ts).
  const copy = { ...rest, mcpServers: hideMcpSecrets(settings.mcpServers) };
  return { ...(redactValue(copy, secrets) as Omit<Settings, 'version'>), apiKey };
}
