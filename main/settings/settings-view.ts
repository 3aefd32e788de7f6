/**
 * What the renderer may see of the settings: everything except secrets. The API key is never a
 * setting; the view carries only its status. Any string that happens to contain a known secret (a
 * key pasted into the instructions, say) is redacted on the way out.
 */
import type { ApiKeyStatus } from './secrets-service.ts';
import type { Settings } from './settings-schema.ts';
import { redactValue } from './redact.ts';

export type SettingsViewData = Settings & { apiKey: ApiKeyStatus };

export function settingsView(settings: Settings, apiKey: ApiKeyStatus, secrets: readonly string[] = []): SettingsViewData {
  const copy = structuredClone(settings);
  return { ...(redactValue(copy, secrets) as Settings), apiKey };
}
