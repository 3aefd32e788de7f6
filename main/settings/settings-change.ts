/**
 * Which changed settings reach a running Realtime session at once and which wait for the next one
 * (DESIGN §3): `session.update` can change instructions, turn detection, transcription, noise
 * reduction, tools, speed and max_output_tokens mid-session; the voice cannot change once the session
 * produced audio, and the model, endpoint and key are fixed when the session connects. Another engine
 * takes over as soon as nothing is running (the conversation continues on it), so it counts as live.
 * App-level settings (hotkey, devices, budget…) take effect at once and count as applied live.
 */
import type { SettingsKey } from './settings-schema.ts';

/** Top-level settings a new session picks up; everything else applies to the running one. */
export const NEXT_SESSION_KEYS: ReadonlySet<SettingsKey> = new Set<SettingsKey>(['model', 'voice', 'endpoint', 'apiKeySource']);

export interface SettingChangeClass {
  appliedLive: string[];
  nextSession: string[];
}

/** `keys` are dotted paths ("vad.threshold") or top-level names; the top-level name decides. */
export function classifySettingChange(keys: readonly string[]): SettingChangeClass {
  const appliedLive: string[] = [];
  const nextSession: string[] = [];
  for (const key of keys) {
    const top = key.split('.')[0] as SettingsKey;
    (NEXT_SESSION_KEYS.has(top) ? nextSession : appliedLive).push(key);
  }
  return { appliedLive, nextSession };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Dotted paths of the leaves that differ (arrays compare as a whole). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}
