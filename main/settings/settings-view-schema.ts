/**
 * What the window may see of the settings, as one schema the contract carries (DESIGN §2 "the contract
 * carries types, not records"): the settings themselves (no secrets; the API key only as a status),
 * what the desktop knows about the hotkey, and the choices main owns — engines, models, voices — so
 * the renderer never re-declares a list or a default. Pure data and zod: the renderer bundles it.
 */
import { z } from 'zod';
import { REALTIME_MODELS, REASONING_EFFORTS } from '../voice/cost/models.ts';
import { SettingsSchema, VOICES } from './settings-schema.ts';

export const ENGINE_CHOICES = [
  { id: 'realtime', label: 'Realtime', description: 'Speech to speech in one connection: the most natural and the fastest replies.' },
  {
    id: 'cascaded',
    label: 'Cascaded',
    description: 'Transcribe, then a text model with tools, then speech: strongest tool use, lower cost, and each stage can run on another server.',
  },
  { id: 'chat-audio', label: 'Chat audio', description: 'One Chat Completions request per turn with audio in and out.' },
] as const;

/** Suggestions for the HTTP stages; any model name the endpoint accepts may be typed instead. */
export const STAGE_MODEL_SUGGESTIONS = {
  transcribe: ['gpt-transcribe', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe'],
  chat: ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o'],
  speech: ['gpt-4o-mini-tts'],
  chatAudio: ['gpt-audio', 'gpt-audio-mini'],
} as const;

export const SettingsChoicesSchema = z.object({
  engines: z.array(z.object({ id: z.enum(['realtime', 'cascaded', 'chat-audio']), label: z.string(), description: z.string() })),
  realtimeModels: z.array(z.object({ id: z.string(), reasoning: z.boolean(), older: z.boolean() })),
  reasoningEfforts: z.array(z.enum(REASONING_EFFORTS)),
  voices: z.array(z.enum(VOICES)),
  transcriptionModels: z.array(z.string()),
  chatModels: z.array(z.string()),
  speechModels: z.array(z.string()),
  chatAudioModels: z.array(z.string()),
});
export type SettingsChoices = z.infer<typeof SettingsChoicesSchema>;

export function settingsChoices(): SettingsChoices {
  return {
    engines: ENGINE_CHOICES.map((e) => ({ ...e })),
    realtimeModels: Object.entries(REALTIME_MODELS).map(([id, info]) => ({ id, reasoning: info.reasoning, older: info.older })),
    reasoningEfforts: [...REASONING_EFFORTS],
    voices: [...VOICES],
    transcriptionModels: [...STAGE_MODEL_SUGGESTIONS.transcribe],
    chatModels: [...STAGE_MODEL_SUGGESTIONS.chat],
    speechModels: [...STAGE_MODEL_SUGGESTIONS.speech],
    chatAudioModels: [...STAGE_MODEL_SUGGESTIONS.chatAudio],
  };
}

export const SettingsViewSchema = SettingsSchema.omit({ version: true }).extend({
  apiKey: z.enum(['set', 'not-set', 'from-environment']),
  /** Why hold-to-talk cannot work here, or null when it can. */
  holdUnavailableReason: z.string().nullable(),
  /** Where the hotkey's key-up comes from, and the keys the desktop's shortcut portal bound. */
  keyUpSource: z.enum(['uiohook', 'portal', 'none']).nullable(),
  portalTrigger: z.string().nullable(),
  /** The keys that ask about the screen (Shift + the hotkey), or null when none is bound. */
  screenShortcut: z.string().nullable(),
  keyStorageWarning: z.string().nullable(),
  choices: SettingsChoicesSchema,
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
