/**
 * Stepwise migrations of the settings file: step N turns a version-N object into a version-(N+1)
 * object. Steps work on plain unknown data (a file can hold anything) and leave values they do not
 * understand in place for validation to judge, so nothing is dropped silently here.
 *
 * Version 1 (the first release) was flat: `baseURL`, `pushToTalk: 'hold'|'toggle'|'vad'`,
 * `vadThreshold`, `vadSilenceMs`, `transcriptionModel`, `inputDevice`, `outputDevice`,
 * `clipboardRead`, `retentionDays`, plus the fields that kept their names.
 */
import { SETTINGS_VERSION } from './settings-schema.ts';

export type SettingsData = Record<string, unknown>;
/** One step. `notes` collects sentences the user should read (a value that had to change). */
export type MigrationStep = (data: SettingsData, notes: string[]) => SettingsData;

const isRecord = (value: unknown): value is SettingsData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function take(data: SettingsData, key: string): unknown {
  const value = data[key];
  Reflect.deleteProperty(data, key);
  return value;
}

function migrateV1ToV2(input: SettingsData, notes: string[]): SettingsData {
  const data: SettingsData = { ...input };

  const baseURL = take(data, 'baseURL');
  if (!isRecord(data.endpoint)) {
    const hasBase = typeof baseURL === 'string' && baseURL.trim() !== '';
    data.endpoint = hasBase ? { kind: 'compatible', baseURL } : { kind: 'openai' };
  }

  const vad: SettingsData = isRecord(data.vad) ? { ...data.vad } : {};
  const threshold = take(data, 'vadThreshold');
  const silence = take(data, 'vadSilenceMs');
  if (threshold !== undefined) vad.threshold = threshold;
  if (silence !== undefined) vad.silenceDurationMs = silence;

  const pushToTalk = take(data, 'pushToTalk');
  if (pushToTalk === 'vad') {
    data.turnMode = 'hands-free';
    vad.type = 'server_vad';
  } else if (pushToTalk !== undefined && data.turnMode === undefined) {
    data.turnMode = pushToTalk;
  }
  if (Object.keys(vad).length > 0) data.vad = vad;

  const transcriptionModel = take(data, 'transcriptionModel');
  if (transcriptionModel !== undefined && !isRecord(data.transcription)) {
    data.transcription = { model: transcriptionModel };
  }

  const inputDevice = take(data, 'inputDevice');
  const outputDevice = take(data, 'outputDevice');
  if ((inputDevice !== undefined || outputDevice !== undefined) && !isRecord(data.devices)) {
    data.devices = { inputLabel: inputDevice ?? null, outputLabel: outputDevice ?? null };
  }

  const clipboardRead = take(data, 'clipboardRead');
  if (clipboardRead !== undefined && !isRecord(data.clipboard)) data.clipboard = { readEnabled: clipboardRead };

  const retention = take(data, 'retentionDays');
  if (retention !== undefined && data.historyRetentionDays === undefined) data.historyRetentionDays = retention;

  // The beta Realtime interface and its preview models were switched off (DESIGN §3).
  if (typeof data.model === 'string' && /^gpt-4o(-mini)?-realtime-preview/.test(data.model)) {
    const replacement = data.model.startsWith('gpt-4o-mini') ? 'gpt-realtime-mini' : 'gpt-realtime';
    notes.push(`The model "${data.model}" no longer exists; Earshot now uses "${replacement}".`);
    data.model = replacement;
  }

  data.version = 2;
  return data;
}

/** Key N migrates version N to N+1. */
export const SETTINGS_MIGRATIONS: Readonly<Record<number, MigrationStep>> = {
  1: migrateV1ToV2,
};

export type MigrationResult =
  | { ok: true; data: SettingsData; fromVersion: number; notes: string[] }
  | { ok: false; reason: string; fromVersion: number | null };

/**
 * Reads `version` (a file without one is taken as version 1, the only release without the field
 * being required) and runs the steps up to SETTINGS_VERSION.
 */
export function migrateSettings(raw: SettingsData, migrations: Readonly<Record<number, MigrationStep>> = SETTINGS_MIGRATIONS): MigrationResult {
  const declared = raw.version === undefined ? 1 : raw.version;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) {
    return { ok: false, reason: `its "version" field (${JSON.stringify(declared)}) is not a version number`, fromVersion: null };
  }
  if (declared > SETTINGS_VERSION) {
    return {
      ok: false,
      reason: `it was written by a newer Earshot (settings version ${declared}; this one reads up to ${SETTINGS_VERSION})`,
      fromVersion: declared,
    };
  }
  const notes: string[] = [];
  let data: SettingsData = { ...raw, version: declared };
  for (let version = declared; version < SETTINGS_VERSION; version += 1) {
    const step = migrations[version];
    if (!step) return { ok: false, reason: `no migration from settings version ${version}`, fromVersion: declared };
    try {
      data = step(data, notes);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: `upgrading it from version ${version} failed (${detail})`, fromVersion: declared };
    }
  }
  return { ok: true, data, fromVersion: declared, notes };
}
