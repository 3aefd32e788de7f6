/**
 * Settings for the current Realtime models (issue 10): new files start on gpt-realtime-2.1 with
 * gpt-transcribe, files written before keep the models they name (no schema version change: every
 * new field has a default), reasoning effort / keywords / languages / retention are validated, and
 * the settings reach the wire as a session.update the SDK-derived schema accepts.
 */
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract.ts';
import { voiceConfigFromSettings } from '../../../main/core/voice-config.ts';
import { SettingsValidationError } from '../../../main/settings/settings-messages.ts';
import { defaultSettings, SETTINGS_VERSION } from '../../../main/settings/settings-schema.ts';
import { SettingsService } from '../../../main/settings/settings-service.ts';
import { buildSession } from '../../../main/voice/engine/realtime/session-config.ts';
import { validateClientEvent } from '../../support/fake-realtime/index.ts';
import { MemorySettingsStore } from '../../support/memory-settings-store.ts';

function service(store: MemorySettingsStore) {
  const notices: Notice[] = [];
  const settings = new SettingsService({ store, notice: (n) => notices.push(n), clock: { epochMs: () => Date.UTC(2026, 10, 25) } });
  return { settings, notices };
}

function problems(fn: () => unknown): { field: string; problem: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof SettingsValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a SettingsValidationError');
}

/** A complete version-2 file as the previous release wrote it: no reasoningEffort, truncation, keywords or languages. */
function previousReleaseFile(): Record<string, unknown> {
  const file: Record<string, unknown> = { ...defaultSettings(), model: 'gpt-realtime', transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' } };
  delete file['reasoningEffort'];
  delete file['truncation'];
  return file;
}

/** The session.update the Realtime engine would send for these settings. */
function wireFor(settings: ReturnType<typeof defaultSettings>): Record<string, unknown> {
  const session = buildSession(voiceConfigFromSettings(settings, true), [], { handsFreeOpen: false, includeVoice: true });
  const event = { type: 'session.update', event_id: 'evt_1', session };
  expect(validateClientEvent(event)).toEqual([]);
  return session as unknown as Record<string, unknown>;
}

describe('current Realtime models in the settings', () => {
  it('a new settings file starts on gpt-realtime-2.1, reasoning effort low, gpt-transcribe, truncation auto', () => {
    const store = new MemorySettingsStore();
    const { settings, notices } = service(store);
    const s = settings.load();
    expect(s.model).toBe('gpt-realtime-2.1');
    expect(s.reasoningEffort).toBe('low');
    expect(s.transcription).toEqual({ model: 'gpt-transcribe', language: null, keywords: [], languages: [] });
    expect(s.truncation).toEqual({ mode: 'auto', retentionRatio: 0.8, postInstructionsTokens: null });
    expect(notices).toEqual([]);
    const wire = wireFor(s);
    expect(wire).toMatchObject({ model: 'gpt-realtime-2.1', reasoning: { effort: 'low' }, truncation: 'auto' });
    expect(wire['audio']).toMatchObject({ input: { transcription: { model: 'gpt-transcribe' } } });
  });

  it('a file written by the previous release keeps its model and transcription model, with no upgrade notice', () => {
    const before = previousReleaseFile();
    const store = new MemorySettingsStore(undefined, JSON.stringify(before));
    const { settings, notices } = service(store);
    const s = settings.load();
    expect(s.version).toBe(SETTINGS_VERSION);
    expect(s.model).toBe('gpt-realtime');
    expect(s.transcription).toEqual({ model: 'gpt-4o-mini-transcribe', language: 'en', keywords: [], languages: [] });
    expect(notices).toEqual([]);
    expect(store.backups()).toEqual([]);
    // The fields added since are written down with their defaults; the model stays what it was.
    const saved = JSON.parse(store.files.get(store.path) ?? '{}') as Record<string, unknown>;
    expect(saved).toMatchObject({ model: 'gpt-realtime', reasoningEffort: 'low', truncation: { mode: 'auto' } });
    // gpt-realtime does not reason: its session.update carries no reasoning.
    expect(wireFor(s)).not.toHaveProperty('reasoning');
  });

  it('validates reasoning effort, keywords, languages and the retention ratio, naming each field', () => {
    const { settings } = service(new MemorySettingsStore());
    settings.load();
    expect(problems(() => settings.update({ reasoningEffort: 'extreme' })).map((p) => p.field)).toEqual(['reasoningEffort']);
    expect(problems(() => settings.update({ truncation: { mode: 'retention_ratio', retentionRatio: 1.5 } }))).toEqual([
      { field: 'truncation.retentionRatio', problem: expect.stringContaining('between 0 and 1') },
    ]);
    expect(problems(() => settings.update({ truncation: { retentionRatio: -0.1 } })).map((p) => p.field)).toEqual(['truncation.retentionRatio']);
    expect(problems(() => settings.update({ truncation: { postInstructionsTokens: 0 } })).map((p) => p.field)).toEqual(['truncation.postInstructionsTokens']);
    expect(problems(() => settings.update({ truncation: { mode: 'sometimes' } })).map((p) => p.field)).toEqual(['truncation.mode']);
    expect(problems(() => settings.update({ transcription: { keywords: ['ok', ''] } })).map((p) => p.field)).toEqual(['transcription.keywords.1']);
    expect(problems(() => settings.update({ transcription: { languages: ['english'] } })).map((p) => p.field)).toEqual(['transcription.languages.0']);
    // Nothing was saved by the refused changes.
    expect(settings.get().truncation.mode).toBe('auto');
  });

  it('retention, effort, keywords and languages reach the session.update; the group merges field by field', () => {
    const { settings } = service(new MemorySettingsStore());
    settings.load();
    const result = settings.update({
      reasoningEffort: 'high',
      truncation: { mode: 'retention_ratio' },
      transcription: { keywords: ['Earshot', 'xdotool'], languages: ['en', 'fr'] },
    });
    expect(result.settings.truncation).toEqual({ mode: 'retention_ratio', retentionRatio: 0.8, postInstructionsTokens: null });
    expect(result.appliedLive.sort()).toEqual(['reasoningEffort', 'transcription.keywords', 'transcription.languages', 'truncation.mode']);
    let wire = wireFor(result.settings);
    expect(wire['truncation']).toEqual({ type: 'retention_ratio', retention_ratio: 0.8 });
    expect(wire['reasoning']).toEqual({ effort: 'high' });
    expect(wire['audio']).toMatchObject({ input: { transcription: { model: 'gpt-transcribe', keywords: ['Earshot', 'xdotool'], languages: ['en', 'fr'] } } });

    const limited = settings.update({ truncation: { retentionRatio: 0.6, postInstructionsTokens: 12000 } });
    wire = wireFor(limited.settings);
    expect(wire['truncation']).toEqual({ type: 'retention_ratio', retention_ratio: 0.6, token_limits: { post_instructions: 12000 } });
    // 'disabled' stays possible.
    wire = wireFor(settings.update({ truncation: { mode: 'disabled' } }).settings);
    expect(wire['truncation']).toBe('disabled');
  });

  it('a damaged retention field is reset alone; the rest of the file is kept', () => {
    const file = { ...defaultSettings(), model: 'gpt-realtime-2.1-mini', truncation: { mode: 'retention_ratio', retentionRatio: 3, postInstructionsTokens: 9000 } };
    const store = new MemorySettingsStore(undefined, JSON.stringify(file));
    const { settings, notices } = service(store);
    const s = settings.load();
    expect(s.model).toBe('gpt-realtime-2.1-mini');
    expect(s.truncation).toEqual({ mode: 'retention_ratio', retentionRatio: 0.8, postInstructionsTokens: 9000 });
    expect(notices.map((n) => n.message).join(' ')).toContain('truncation.retentionRatio');
  });
});
