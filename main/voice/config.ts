/** The settings the voice core runs on, validated with zod; main/settings maps the user's settings onto it. */
import { z } from 'zod';
import { TurnModeSchema } from '../../preload/contract.ts';
import { DEFAULT_REALTIME_MODEL, DEFAULT_REASONING_EFFORT, REASONING_EFFORTS } from './cost/models.ts';

export const VOICES = ['marin', 'cedar', 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'] as const;

export const HandsFreeDetectionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('server_vad'),
    threshold: z.number().min(0).max(1).default(0.5),
    prefixPaddingMs: z.number().int().min(0).max(5000).default(300),
    silenceDurationMs: z.number().int().min(100).max(10000).default(500),
  }),
  z.object({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).default('auto'),
  }),
]);
export type HandsFreeDetection = z.infer<typeof HandsFreeDetectionSchema>;

/** What a refused transcription model falls back to (DESIGN §3 lists it; the SDK still accepts it). */
export const FALLBACK_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

export const TranscriptionConfigSchema = z.object({
  /** gpt-transcribe: committed Realtime turns, with keywords[] and languages[] (DESIGN §3). */
  model: z.string().min(1).default('gpt-transcribe'),
  language: z.string().min(2).max(12).optional(),
  prompt: z.string().max(2000).optional(),
  /** Words or phrases that guide transcription (AudioTranscription.keywords in the SDK). */
  keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
  /** ISO-639-1 codes of the languages the user may speak (AudioTranscription.languages in the SDK). */
  languages: z.array(z.string().min(2).max(12)).max(20).optional(),
  /** Used instead when the service refuses `model` in session.update; null: no fallback. */
  fallbackModel: z.string().min(1).nullable().default(FALLBACK_TRANSCRIPTION_MODEL),
});

/**
 * `truncation` of session.update (RealtimeTruncation in openai/resources/realtime/realtime.d.ts):
 * 'auto', 'disabled', or retention_ratio — when the conversation exceeds the limit, keep this
 * fraction (0..1) of the post-instruction tokens, optionally under a custom post-instructions limit.
 * This bounds what a long conversation re-sends (and pays for) each turn.
 */
export const TruncationConfigSchema = z.union([
  z.enum(['auto', 'disabled']),
  z.object({
    type: z.literal('retention_ratio'),
    retentionRatio: z.number().min(0).max(1),
    postInstructionsTokens: z.number().int().min(1).max(1_000_000).optional(),
  }),
]);
export type TruncationConfig = z.infer<typeof TruncationConfigSchema>;

/** The three ways to hold a spoken conversation (DESIGN §2, issue 10). */
export const ENGINE_KINDS = ['realtime', 'cascaded', 'chat-audio'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/**
 * One HTTP stage of the cascaded engine: where it runs and as whom. baseURL null = the user's main
 * endpoint (OpenAI by default); a URL = any OpenAI-compatible server (a local one, for privacy).
 * keySource 'openai' sends the user's API key; 'none' sends none (a local server that needs no key).
 */
export const StageConfigSchema = z.object({
  baseURL: z.string().url().nullable().default(null),
  model: z.string().min(1),
  keySource: z.enum(['openai', 'none']).default('openai'),
});
export type StageConfig = z.infer<typeof StageConfigSchema>;

export const CascadedConfigSchema = z.object({
  /** audio/transcriptions; language, prompt, keywords and languages come from `transcription`. */
  transcribe: StageConfigSchema.default({ baseURL: null, model: 'gpt-transcribe', keySource: 'openai' }),
  /** chat/completions, streamed, with the same tools. */
  chat: StageConfigSchema.default({ baseURL: null, model: 'gpt-4.1-mini', keySource: 'openai' }),
  /** audio/speech, 24 kHz PCM streamed; the voice is `voice`. */
  speech: StageConfigSchema.default({ baseURL: null, model: 'gpt-4o-mini-tts', keySource: 'openai' }),
  /** Tone instructions for gpt-4o-mini-tts ("warm, brisk"). */
  speechInstructions: z.string().max(4000).default(''),
  /** Speak each sentence as soon as the text model has written it (false: wait for the whole answer). */
  pipelineSentences: z.boolean().default(true),
});
export type CascadedConfig = z.infer<typeof CascadedConfigSchema>;

export const ChatAudioConfigSchema = z.object({
  /** An audio model of the gpt-audio family (Chat Completions with modalities text + audio). */
  model: z.string().min(1).default('gpt-audio'),
  /** null = the user's main endpoint. */
  baseURL: z.string().url().nullable().default(null),
});
export type ChatAudioConfig = z.infer<typeof ChatAudioConfigSchema>;

export const VoiceConfigSchema = z.object({
  engine: z.enum(ENGINE_KINDS).default('realtime'),
  cascaded: CascadedConfigSchema.default(() => CascadedConfigSchema.parse({})),
  chatAudio: ChatAudioConfigSchema.default(() => ChatAudioConfigSchema.parse({})),
  model: z.string().min(1).default(DEFAULT_REALTIME_MODEL),
  /** reasoning.effort, sent only for models that reason (cost/models.ts). */
  reasoningEffort: z.enum(REASONING_EFFORTS).default(DEFAULT_REASONING_EFFORT),
  voice: z.enum(VOICES).default('marin'),
  speed: z.number().min(0.25).max(1.5).default(1),
  instructions: z
    .string()
    .max(20000)
    .default('You are Earshot, a concise, friendly voice assistant. Answer briefly; the user hears you.'),
  turnMode: TurnModeSchema.default('hold'),
  handsFree: HandsFreeDetectionSchema.default({ type: 'semantic_vad', eagerness: 'auto' }),
  /** null switches input transcription off. */
  transcription: TranscriptionConfigSchema.nullable().default(() => TranscriptionConfigSchema.parse({})),
  noiseReduction: z.enum(['near_field', 'far_field']).nullable().default('near_field'),
  toolChoice: z.enum(['auto', 'none', 'required']).default('auto'),
  maxOutputTokens: z.union([z.number().int().min(1).max(4096), z.literal('inf')]).default('inf'),
  truncation: TruncationConfigSchema.default('auto'),
  /** Keep the socket open this long after the last turn, then close it. */
  keepWarmMs: z.number().int().min(0).default(120_000),
  /** Keep the microphone open this long after a turn (first syllable of the next turn is not lost). */
  micWarmMs: z.number().int().min(0).default(10_000),
  /** Renew the session between turns once it is this old (the service ends sessions at 60 minutes). */
  renewAfterMs: z.number().int().min(1000).default(55 * 60_000),
  pingIntervalMs: z.number().int().min(100).default(15_000),
  pongTimeoutMs: z.number().int().min(100).default(10_000),
  reconnectInitialDelayMs: z.number().int().min(10).default(250),
  reconnectMaxDelayMs: z.number().int().min(10).default(8000),
  reconnectMaxAttempts: z.number().int().min(0).default(6),
  /** How many past turns (as text) are replayed into a renewed or reconnected session. */
  replayTurns: z.number().int().min(0).max(200).default(20),
  /** How long to wait for the capture side's final frames after key-up. */
  flushTimeoutMs: z.number().int().min(0).default(300),
});
export type VoiceConfig = z.infer<typeof VoiceConfigSchema>;
export type VoiceConfigInput = z.input<typeof VoiceConfigSchema>;

export const defaultVoiceConfig: VoiceConfig = VoiceConfigSchema.parse({});

/** Settings the server takes in a live session.update (the voice only until the session produced audio). */
export const LIVE_SESSION_KEYS = [
  'instructions',
  'speed',
  'transcription',
  'noiseReduction',
  'toolChoice',
  'maxOutputTokens',
  'truncation',
  'reasoningEffort',
  'handsFree',
  'turnMode',
] as const;
/** Settings that only the core reads: they apply at once. */
export const LOCAL_KEYS = [
  'keepWarmMs',
  'micWarmMs',
  'renewAfterMs',
  'pingIntervalMs',
  'pongTimeoutMs',
  'reconnectInitialDelayMs',
  'reconnectMaxDelayMs',
  'reconnectMaxAttempts',
  'replayTurns',
  'flushTimeoutMs',
] as const;
