/**
 * Loads, validates, migrates and saves the settings over a KeyValueStorePort (electron-store in the
 * app, a Map in tests).
 *
 * Load never crashes and never loses anything silently: an unreadable file is copied next to itself
 * with a timestamp and defaults are used; a file with some invalid fields keeps the valid ones (the
 * old file is copied too); an older version is migrated step by step. Each case tells the user
 * through the notice callback what happened and which fields were reset.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Notice } from '../../preload/contract.ts';
import { changedPaths, classifySettingChange } from './settings-change.ts';
import { restoreMcpSecrets } from './mcp-secrets.ts';
import { mcpNameProblems } from './mcp-server-names.ts';
import { formatProblems, problemsFromZod, SettingsValidationError, type SettingsProblem } from './settings-messages.ts';
import { migrateSettings } from './settings-migrations.ts';
import { salvageSettings } from './settings-salvage.ts';
import { defaultSettings, SETTINGS_KEYS, SETTINGS_VERSION, SettingsSchema, type Settings } from './settings-schema.ts';

/** The whole-object store the settings live in. */
export interface KeyValueStorePort {
  /** The file behind the store (for backups and messages). */
  readonly path: string;
  /** The whole stored object as found; `undefined` or `{}` when nothing was stored. Throws when the file cannot be read or parsed. */
  read(): unknown;
  /** Replace the whole stored object. */
  write(value: Record<string, unknown>): void;
  /** Copy the file, byte for byte, to `destination` (a path next to it). */
  copyTo(destination: string): void;
  /** Whether `path` exists (a backup name is not reused). */
  exists(path: string): boolean;
}

export interface SettingsServiceOptions {
  store: KeyValueStorePort;
  notice?: (notice: Notice) => void;
  /** Wall clock for backup names. */
  clock?: { epochMs(): number };
}

export interface SettingsUpdateResult {
  settings: Settings;
  /** Dotted paths that changed ("vad.threshold"). */
  changed: string[];
  appliedLive: string[];
  nextSession: string[];
}

export type SettingsListener = (settings: Settings, changed: string[]) => void;

/** Groups whose fields a patch may set one by one; every other key is replaced whole. */
const MERGED_GROUPS = new Set(['endpoint', 'vad', 'transcription', 'devices', 'clipboard', 'truncation', 'cascaded', 'chatAudio']);

/** Records merge field by field at every depth (a stage's model changes, its server stays); arrays and values replace. */
function mergeDeep(base: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) out[key] = isRecord(value) && isRecord(out[key]) ? mergeDeep(out[key], value) : value;
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SettingsService {
  readonly #store: KeyValueStorePort;
  readonly #notice: (notice: Notice) => void;
  readonly #clock: { epochMs(): number };
  readonly #listeners = new Set<SettingsListener>();
  #settings: Settings = defaultSettings();
  #loaded = false;
  /** Set when a damaged file could not be backed up: it must not be overwritten. */
  #readOnly = false;

  constructor(options: SettingsServiceOptions) {
    this.#store = options.store;
    this.#notice = options.notice ?? (() => undefined);
    this.#clock = options.clock ?? { epochMs: () => Date.now() };
  }

  /** Reads the store and returns the settings in use. Never throws. */
  load(): Settings {
    this.#loaded = true;
    let raw: unknown;
    try {
      raw = this.#store.read();
    } catch (error) {
      return this.#startOver(`it is not readable settings data (${describeError(error)})`);
    }
    if (raw === undefined || raw === null || (isRecord(raw) && Object.keys(raw).length === 0)) {
      this.#settings = defaultSettings();
      this.#save(this.#settings, 'load');
      return this.#settings;
    }
    if (!isRecord(raw)) return this.#startOver(`it holds ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`} instead of settings`);

    const migrated = migrateSettings(raw);
    if (!migrated.ok) return this.#recover(raw, migrated.reason);

    const parsed = SettingsSchema.safeParse(migrated.data);
    if (!parsed.success) return this.#recover(migrated.data, null, migrated.fromVersion, migrated.notes);

    this.#settings = parsed.data;
    if (migrated.fromVersion !== SETTINGS_VERSION) {
      const backup = this.#backup();
      this.#save(this.#settings, 'load');
      this.#notice({
        subject: 'settings',
        level: 'info',
        message:
          `Settings were upgraded from version ${migrated.fromVersion} to ${SETTINGS_VERSION}; all your values were kept.` +
          (migrated.notes.length ? ` ${migrated.notes.join(' ')}` : '') +
          (backup ? ` The previous file was kept as ${backup}.` : ''),
      });
    } else if (JSON.stringify(parsed.data) !== JSON.stringify(raw)) {
      // Fields added since the file was written got their defaults: write them down.
      this.#save(this.#settings, 'load');
    }
    return this.#settings;
  }

  get(): Settings {
    if (!this.#loaded) this.load();
    return structuredClone(this.#settings);
  }

  /**
   * Applies a partial change. Groups (endpoint, vad, transcription, devices, clipboard, truncation,
   * cascaded, chatAudio) merge field by field; other keys are replaced. Throws SettingsValidationError listing every field and its problem,
   * or an Error when the file cannot be written (nothing changes then).
   */
  update(patch: unknown): SettingsUpdateResult {
    if (!this.#loaded) this.load();
    if (!isRecord(patch)) throw new SettingsValidationError([{ field: 'settings', problem: 'the change must be an object of settings' }]);
    const problems: SettingsProblem[] = [];
    const known = new Set<string>(SETTINGS_KEYS);
    const next: Record<string, unknown> = structuredClone(this.#settings);
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'version') problems.push({ field: 'version', problem: 'is managed by Earshot and cannot be changed' });
      else if (!known.has(key)) problems.push({ field: key, problem: 'unknown setting' });
      else if (value === undefined) continue;
      else if (MERGED_GROUPS.has(key) && isRecord(value)) next[key] = mergeDeep(next[key], value);
      // A hidden MCP header or token sent back unchanged keeps its stored value (mcp-secrets.ts).
      else if (key === 'mcpServers') next[key] = restoreMcpSecrets(value, this.#settings.mcpServers);
      else next[key] = value;
    }
    const parsed = SettingsSchema.safeParse(next);
    if (!parsed.success) problems.push(...problemsFromZod(parsed.error, next));
    // A new or renamed MCP server needs a name of its own (mcp-server-names.ts).
    else if (Object.hasOwn(patch, 'mcpServers')) problems.push(...mcpNameProblems(parsed.data.mcpServers, this.#settings.mcpServers));
    if (problems.length > 0 || !parsed.success) throw new SettingsValidationError(problems);

    const changed = changedPaths(this.#settings, parsed.data);
    if (changed.length > 0) {
      if (this.#readOnly) {
        if (this.#backup() === null) {
          throw new Error(`Settings cannot be saved: ${this.#store.path} is damaged and no copy of it could be made. Move it away and restart Earshot.`);
        }
        this.#readOnly = false;
      }
      try {
        this.#store.write(parsed.data);
      } catch (error) {
        throw new Error(`Settings could not be saved to ${this.#store.path}: ${describeError(error)}`, { cause: error });
      }
      this.#settings = parsed.data;
      for (const listener of this.#listeners) {
        try {
          listener(structuredClone(parsed.data), changed);
        } catch {
          // A listener's failure must not undo a saved change.
        }
      }
    }
    return { settings: structuredClone(this.#settings), changed, ...classifySettingChange(changed) };
  }

  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The file cannot be used at all: keep a copy, start from defaults, tell the user. */
  #startOver(reason: string): Settings {
    const backup = this.#backup();
    this.#settings = defaultSettings();
    if (backup) {
      this.#save(this.#settings, 'load');
      this.#notice({
        subject: 'settings',
        level: 'warning',
        message: `Your settings file ${this.#store.path} could not be used: ${reason}. Earshot started with default settings. The old file was kept as ${backup}.`,
        action: 'Open Settings to set your preferences again.',
      });
    } else {
      this.#notice({
        subject: 'settings',
        level: 'error',
        message: `Your settings file ${this.#store.path} could not be used: ${reason}, and a copy of it could not be made, so it was left untouched. Earshot is using default settings for now and will not save changes over it.`,
        action: `Move ${this.#store.path} away and restart Earshot.`,
      });
      this.#readOnly = true;
    }
    return this.#settings;
  }

  /** Some of the file is usable: keep every valid field, reset the rest, keep a copy, tell the user. */
  #recover(data: Record<string, unknown>, reason: string | null, fromVersion?: number, notes: string[] = []): Settings {
    const backup = this.#backup();
    const { settings, reset } = salvageSettings(data);
    this.#settings = settings;
    if (backup) this.#save(settings, 'load');
    else this.#readOnly = true;
    const upgraded = fromVersion !== undefined && fromVersion !== SETTINGS_VERSION ? ` (upgraded from version ${fromVersion})` : '';
    const what = reason ? `Your settings file could not be read as it is: ${reason}.` : `Some of your settings${upgraded} were invalid.`;
    const resetText = reset.length
      ? ` These were reset to their defaults: ${formatProblems(reset)}.`
      : ' Nothing had to be reset.';
    const keptText = backup
      ? ` Everything else was kept. The old file was kept as ${backup}.`
      : ` A copy of the old file could not be made, so it was left untouched and changes will not be saved over it.`;
    this.#notice({
      subject: 'settings',
      level: 'warning',
      message: `${what}${resetText}${keptText}${notes.length ? ` ${notes.join(' ')}` : ''}`,
      action: 'Check these settings in Settings.',
    });
    return this.#settings;
  }

  #save(settings: Settings, when: 'load'): void {
    if (this.#readOnly) return;
    try {
      this.#store.write(settings);
    } catch (error) {
      this.#notice({
        subject: 'settings',
        level: 'error',
        message: `Settings could not be saved to ${this.#store.path} (${describeError(error)}) during ${when}; they apply until Earshot quits.`,
        action: 'Check that the folder is writable and the disk is not full.',
      });
    }
  }

  /** Copies the file next to itself with a timestamp; returns the copy's path, or null when it failed. */
  #backup(): string | null {
    const path = this.#store.path;
    const extension = extname(path);
    const stem = basename(path, extension);
    const stamp = new Date(this.#clock.epochMs()).toISOString().replace(/[:.]/g, '-');
    let candidate = join(dirname(path), `${stem}.backup-${stamp}${extension}`);
    for (let n = 2; this.#store.exists(candidate) && n < 1000; n += 1) {
      candidate = join(dirname(path), `${stem}.backup-${stamp}-${n}${extension}`);
    }
    try {
      this.#store.copyTo(candidate);
      return candidate;
    } catch {
      return null;
    }
  }
}
