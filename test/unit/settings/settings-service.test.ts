import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract.ts';
import { classifySettingChange } from '../../../main/settings/settings-change.ts';
import { SettingsValidationError } from '../../../main/settings/settings-messages.ts';
import { defaultSettings, SETTINGS_VERSION, VOICES } from '../../../main/settings/settings-schema.ts';
import { SettingsService } from '../../../main/settings/settings-service.ts';
import { MemorySettingsStore } from '../../support/memory-settings-store.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

function service(store: MemorySettingsStore) {
  const notices: Notice[] = [];
  const settings = new SettingsService({ store, notice: (n) => notices.push(n), clock: { epochMs: () => NOW } });
  return { settings, notices };
}

function catchValidation(fn: () => unknown): SettingsValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SettingsValidationError) return error;
    throw error;
  }
  throw new Error('expected a SettingsValidationError');
}

describe('settings defaults', () => {
  it('a first launch gets the documented defaults and writes them with the current version', () => {
    const store = new MemorySettingsStore();
    const { settings, notices } = service(store);
    const loaded = settings.load();
    expect(loaded.model).toBe('gpt-realtime-2.1');
    expect(loaded.voice).toBe('marin');
    expect(loaded.hotkey).toBe('Control+Alt+Space');
    expect(loaded.transcription.model).toBe('gpt-transcribe');
    expect(loaded.clipboard).toEqual({ readEnabled: false, write: 'ask' });
    expect(loaded.dailyBudgetUsd).toBeNull();
    expect(loaded.endpoint.kind).toBe('openai');
    expect(loaded.engine).toBe('realtime');
    expect(notices).toEqual([]);
    expect(JSON.parse(store.files.get(store.path) ?? '{}')).toMatchObject({ version: SETTINGS_VERSION, voice: 'marin' });
  });

  it('lists every voice of DESIGN §3', () => {
    expect([...VOICES].sort()).toEqual(['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse']);
  });
});

describe('settings update', () => {
  it('merges a group field by field, saves, tells listeners and classifies live vs next session', () => {
    const store = new MemorySettingsStore();
    const { settings } = service(store);
    settings.load();
    const heard: string[][] = [];
    settings.onChange((_s, changed) => heard.push(changed));
    const result = settings.update({ vad: { threshold: 0.7 }, voice: 'cedar', instructions: 'Be terse.', model: 'gpt-realtime-mini' });
    expect(result.settings.vad.threshold).toBe(0.7);
    expect(result.settings.vad.silenceDurationMs).toBe(500);
    expect(result.changed.sort()).toEqual(['instructions', 'model', 'vad.threshold', 'voice']);
    expect(result.appliedLive.sort()).toEqual(['instructions', 'vad.threshold']);
    expect(result.nextSession.sort()).toEqual(['model', 'voice']);
    expect(heard).toEqual([result.changed]);
    expect(JSON.parse(store.files.get(store.path) ?? '{}').vad.threshold).toBe(0.7);
  });

  it('does not write or notify when nothing changed', () => {
    const store = new MemorySettingsStore();
    const { settings } = service(store);
    settings.load();
    const writes = store.writes;
    let calls = 0;
    settings.onChange(() => (calls += 1));
    expect(settings.update({ voice: 'marin' }).changed).toEqual([]);
    expect(store.writes).toBe(writes);
    expect(calls).toBe(0);
  });

  it('rejects invalid values with every field and its problem, and changes nothing', () => {
    const store = new MemorySettingsStore();
    const { settings } = service(store);
    settings.load();
    const before = store.files.get(store.path);
    const error = catchValidation(() =>
      settings.update({ vad: { threshold: 3 }, voice: 'robot', hotkey: 'Ctrl Alt', speechSpeed: 'fast', colour: 'blue', version: 9 }),
    );
    const fields = error.problems.map((p) => p.field).sort();
    expect(fields).toEqual(['colour', 'hotkey', 'speechSpeed', 'vad.threshold', 'version', 'voice']);
    expect(error.message).toContain('vad.threshold: must be at most 1 (got 3)');
    expect(error.message).toContain('voice: must be one of "marin", "cedar"');
    expect(error.message).toContain('(got "robot")');
    expect(error.message).toContain('hotkey: must look like Control+Alt+Space');
    expect(error.message).toContain('speechSpeed: must be a number (got "fast")');
    expect(error.message).toContain('colour: unknown setting');
    expect(error.message).toContain('version: is managed by Earshot');
    expect(store.files.get(store.path)).toBe(before);
    expect(settings.get().voice).toBe('marin');
  });

  it('explains rules across fields of the endpoint', () => {
    const { settings } = service(new MemorySettingsStore());
    settings.load();
    const compatible = catchValidation(() => settings.update({ endpoint: { kind: 'compatible' } }));
    expect(compatible.message).toContain("endpoint.baseURL: is required when the endpoint kind is 'compatible'");
    const azure = catchValidation(() => settings.update({ endpoint: { kind: 'azure', azureResource: 'my-res' } }));
    expect(azure.message).toContain("endpoint.azureDeployment: is required when the endpoint kind is 'azure'");
    const badUrl = catchValidation(() => settings.update({ endpoint: { kind: 'compatible', baseURL: 'ftp://x' } }));
    expect(badUrl.message).toContain('endpoint.baseURL: must be an http(s) URL');
    const ok = settings.update({ endpoint: { kind: 'compatible', baseURL: 'https://127.0.0.1:8443/v1', extraCaCertPath: '/etc/ssl/test-ca.pem' } });
    expect(ok.nextSession.sort()).toEqual(['endpoint.baseURL', 'endpoint.extraCaCertPath', 'endpoint.kind']);
  });

  it('tells the user when saving fails and keeps the old value', () => {
    const store = new MemorySettingsStore();
    const { settings } = service(store);
    settings.load();
    store.failWrite = true;
    expect(() => settings.update({ voice: 'ash' })).toThrow(/could not be saved to \/virtual\/settings.json: EROFS/);
    expect(settings.get().voice).toBe('marin');
  });
});

describe('classifySettingChange', () => {
  it('sends model, voice, endpoint and key source to the next session; another engine and the rest apply live', () => {
    expect(
      classifySettingChange(['instructions', 'vad.type', 'turnMode', 'transcription.model', 'noiseReduction', 'toolPolicies', 'speechSpeed', 'maxOutputTokens', 'voice', 'model', 'endpoint.baseURL', 'engine', 'apiKeySource', 'hotkey']),
    ).toEqual({
      appliedLive: ['instructions', 'vad.type', 'turnMode', 'transcription.model', 'noiseReduction', 'toolPolicies', 'speechSpeed', 'maxOutputTokens', 'engine', 'hotkey'],
      nextSession: ['voice', 'model', 'endpoint.baseURL', 'apiKeySource'],
    });
  });
});

describe('settings recovery (in memory)', () => {
  it('migrates a version 1 file and keeps every value', () => {
    const v1 = {
      version: 1,
      apiKeySource: 'environment',
      model: 'gpt-4o-realtime-preview-2024-12-17',
      voice: 'cedar',
      instructions: 'Speak German.',
      baseURL: 'https://proxy.example.com/v1',
      pushToTalk: 'vad',
      hotkey: 'Alt+F9',
      vadThreshold: 0.65,
      vadSilenceMs: 800,
      transcriptionModel: 'gpt-4o-transcribe',
      inputDevice: 'USB Mic',
      outputDevice: 'Headphones',
      clipboardRead: true,
      allowedFolders: ['/home/ann/notes'],
      dailyBudgetUsd: 2.5,
      retentionDays: 30,
    };
    const store = new MemorySettingsStore(undefined, JSON.stringify(v1));
    const { settings, notices } = service(store);
    const s = settings.load();
    expect(s).toMatchObject({
      version: 2,
      apiKeySource: 'environment',
      model: 'gpt-realtime',
      voice: 'cedar',
      instructions: 'Speak German.',
      endpoint: { kind: 'compatible', baseURL: 'https://proxy.example.com/v1' },
      turnMode: 'hands-free',
      hotkey: 'Alt+F9',
      vad: { type: 'server_vad', threshold: 0.65, silenceDurationMs: 800 },
      transcription: { model: 'gpt-4o-transcribe' },
      devices: { inputLabel: 'USB Mic', outputLabel: 'Headphones' },
      clipboard: { readEnabled: true, write: 'ask' },
      allowedFolders: ['/home/ann/notes'],
      dailyBudgetUsd: 2.5,
      historyRetentionDays: 30,
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe('info');
    expect(notices[0]?.message).toContain('upgraded from version 1 to 2');
    expect(notices[0]?.message).toContain('"gpt-4o-realtime-preview-2024-12-17" no longer exists');
    const [backup] = store.backups();
    expect(store.files.get(backup ?? '')).toBe(JSON.stringify(v1));
    expect(JSON.parse(store.files.get(store.path) ?? '{}').version).toBe(2);
  });

  it('keeps the valid fields of a file with invalid ones, and names what was reset', () => {
    const original = JSON.stringify({
      version: 2,
      voice: 'robot',
      model: 'gpt-realtime-mini',
      vad: { threshold: 7, silenceDurationMs: 900 },
      allowedFolders: ['/ok', 'relative/path'],
      toolPolicies: { write_file: 'allow', read_file: 'sometimes' },
      stray: true,
    });
    const store = new MemorySettingsStore(undefined, original);
    const { settings, notices } = service(store);
    const s = settings.load();
    expect(s.voice).toBe('marin');
    expect(s.model).toBe('gpt-realtime-mini');
    expect(s.vad.threshold).toBe(0.5);
    expect(s.vad.silenceDurationMs).toBe(900);
    expect(s.allowedFolders).toEqual(['/ok']);
    expect(s.toolPolicies).toEqual({ write_file: 'allow' });
    expect(notices).toHaveLength(1);
    const message = notices[0]?.message ?? '';
    for (const field of ['voice', 'vad.threshold', 'allowedFolders.1', 'toolPolicies.read_file', 'stray']) expect(message).toContain(field);
    expect(message).toContain('Everything else was kept');
    const [backup] = store.backups();
    expect(backup).toBe('/virtual/settings.backup-2025-06-01T12-00-00-000Z.json');
    expect(store.files.get(backup ?? '')).toBe(original);
    expect(message).toContain(backup);
  });

  it('does not overwrite a damaged file it could not copy', () => {
    const store = new MemorySettingsStore(undefined, '{"version": 2, "voice": ');
    store.failCopy = true;
    const { settings, notices } = service(store);
    expect(settings.load()).toEqual(defaultSettings());
    expect(store.files.get(store.path)).toBe('{"version": 2, "voice": ');
    expect(notices[0]?.level).toBe('error');
    expect(notices[0]?.message).toContain('left untouched');
    expect(() => settings.update({ voice: 'ash' })).toThrow(/no copy of it could be made/);
    store.failCopy = false;
    settings.update({ voice: 'ash' });
    expect(store.backups()).toHaveLength(1);
    expect(JSON.parse(store.files.get(store.path) ?? '{}').voice).toBe('ash');
  });

  it('does not downgrade a file written by a newer version silently', () => {
    const original = JSON.stringify({ version: 99, voice: 'sage', futureThing: 1 });
    const store = new MemorySettingsStore(undefined, original);
    const { settings, notices } = service(store);
    expect(settings.load().voice).toBe('sage');
    expect(notices[0]?.message).toContain('written by a newer Earshot');
    expect(notices[0]?.message).toContain('futureThing');
    expect(store.files.get(store.backups()[0] ?? '')).toBe(original);
  });
});
