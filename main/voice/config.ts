/** The settings the voice core runs on, validated with zod; main/settings maps the user's settings onto it. */
import { z } from 'zod';
import { TurnModeSchema } from '../../preload/contract.ts';

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

export const TranscriptionConfigSchema = z.object({
  model: z.string().min(1).default('gpt-4o-mini-transcribe'),
  language: z.string().min(2).max(12).optional(),
  prompt: z.string().max(2000).optional(),
});

export const VoiceConfigSchema = z.object({
  engine: z.literal('realtime').default('realtime'),
  model: z.string().min(1).default('gpt-realtime'),
  voice: z.enum(VOICES).default('marin'),
  speed: z.number().min(0.25).max(1.5).default(1),
  instructions: z
    .string()
    .max(20000)
    .default('You are Earshot, a concise, friendly voice assistant. Answer briefly; the user hears you.'),
  turnMode: TurnModeSchema.default('hold'),
  handsFree: HandsFreeDetectionSchema.default({ type: 'semantic_vad', eagerness: 'auto' }),
  /** null switches input transcription off. */
  transcription: TranscriptionConfigSchema.nullable().default({ model: 'gpt-4o-mini-transcribe' }),
  noiseReduction: z.enum(['near_field', 'far_field']).nullable().default('near_field'),
  toolChoice: z.enum(['auto', 'none', 'required']).default('auto'),
  maxOutputTokens: z.union([z.number().int().min(1).max(4096), z.literal('inf')]).default('inf'),
  truncation: z.enum(['auto', 'disabled']).default('auto'),
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
