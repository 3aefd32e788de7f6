/**
 * The settings the user can change, as one zod schema with a default for every field.
 *
 * The file holds `version`; older versions are migrated stepwise (settings-migrations.ts). The API key
 * is NOT a setting: it lives encrypted in the secrets store (secrets-service.ts).
 */
import { z } from 'zod';
import { DEFAULT_REALTIME_MODEL, DEFAULT_REASONING_EFFORT, REASONING_EFFORTS } from '../voice/cost/models.ts';
import { McpServersSchema } from './mcp-servers-schema.ts';

/** Bump when the shape changes, and add a step to SETTINGS_MIGRATIONS. */
export const SETTINGS_VERSION = 2;

/** Output voices of the Realtime API (DESIGN §3). */
export const VOICES = ['marin', 'cedar', 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'] as const;

export const DEFAULT_INSTRUCTIONS =
  'You are Earshot, a voice assistant on the user\'s desktop. Answer briefly and conversationally: ' +
  'the user hears you rather than reads you. Use the tools for files and the clipboard when they help.';

/** A model or deployment name: letters, digits and . _ : - (no spaces, no slashes). */
const modelName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may contain only letters, digits and . _ : -');

const httpUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as https://example.com/v1');

const absolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'), 'must be an absolute path');

/** "Control+Alt+Space": modifiers and one key joined by "+", no spaces. */
const accelerator = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^([A-Za-z0-9]+\+)*[A-Za-z0-9`\-=[\];',./\\]+$/, 'must look like Control+Alt+Space (keys joined by +)');

export const EndpointSchema = z
  .object({
    kind: z.enum(['openai', 'azure', 'compatible']).default('openai'),
    /** For 'compatible' (required) and 'openai' (optional override). */
    baseURL: httpUrl.nullable().default(null),
    azureResource: z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9-]*$/, 'may contain only letters, digits and -')
      .nullable()
      .default(null),
    azureDeployment: modelName.nullable().default(null),
    azureApiVersion: z.string().trim().max(40).nullable().default(null),
    /** PEM file with an extra CA certificate to trust (self-hosted or corporate TLS). */
    extraCaCertPath: absolutePath.nullable().default(null),
  })
  .strict()
  .superRefine((endpoint, ctx) => {
    if (endpoint.kind === 'compatible' && endpoint.baseURL === null) {
      ctx.addIssue({ code: 'custom', path: ['baseURL'], message: "is required when the endpoint kind is 'compatible'" });
    }
    if (endpoint.kind === 'azure') {
      if (!endpoint.azureResource) {
        ctx.addIssue({ code: 'custom', path: ['azureResource'], message: "is required when the endpoint kind is 'azure'" });
      }
      if (!endpoint.azureDeployment) {
        ctx.addIssue({ code: 'custom', path: ['azureDeployment'], message: "is required when the endpoint kind is 'azure'" });
      }
    }
  });

/**
 * One stage of the cascaded engine (transcribe, chat, speech): where it runs and with which key.
 * baseURL null = the main endpoint above; a URL = any OpenAI-compatible server (a local one keeps the
 * audio or the text on the machine). keySource 'none' sends no key (a local server that needs none).
 */
export const StageSchema = z
  .object({
    baseURL: httpUrl.nullable().default(null),
    model: modelName,
    keySource: z.enum(['openai', 'none']).default('openai'),
  })
  .strict();

export const CascadedSchema = z
  .object({
    transcribe: StageSchema.default({ baseURL: null, model: 'gpt-transcribe', keySource: 'openai' }),
    chat: StageSchema.default({ baseURL: null, model: 'gpt-4.1-mini', keySource: 'openai' }),
    speech: StageSchema.default({ baseURL: null, model: 'gpt-4o-mini-tts', keySource: 'openai' }),
    /** How the voice should sound (gpt-4o-mini-tts `instructions`), e.g. "warm and brisk". */
    speechInstructions: z.string().max(4000, 'must be at most 4000 characters').default(''),
    /** Speak each sentence as soon as it is written (lower latency); off waits for the whole answer. */
    pipelineSentences: z.boolean().default(true),
  })
  .strict();

export const ChatAudioSchema = z
  .object({
    model: modelName.default('gpt-audio'),
    /** null = the main endpoint. */
    baseURL: httpUrl.nullable().default(null),
  })
  .strict();

export const VadSchema = z
  .object({
    type: z.enum(['server_vad', 'semantic_vad']).default('semantic_vad'),
    /** server_vad: activation threshold 0..1. */
    threshold: z.number().min(0).max(1).default(0.5),
    /** server_vad: audio kept before speech starts. */
    prefixPaddingMs: z.number().int().min(0).max(5000).default(300),
    /** server_vad: silence that ends a turn. */
    silenceDurationMs: z.number().int().min(100).max(10000).default(500),
    /** semantic_vad: how eagerly the model answers. */
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).default('auto'),
    /** Whether the user speaking interrupts the assistant (hands-free). */
    interruptResponse: z.boolean().default(true),
  })
  .strict();

const languageCode = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}$/, 'must be a two-letter language code such as "en"');

export const TranscriptionSchema = z
  .object({
    /**
     * gpt-transcribe for new settings (DESIGN §3); a file that names another model keeps it. When
     * the service refuses the model, the session falls back to gpt-4o-mini-transcribe and says so.
     */
    model: modelName.default('gpt-transcribe'),
    /** ISO-639-1 code ("en", "de"), or null to let the model detect it. */
    language: languageCode.nullable().default(null),
    /** Words or phrases that guide transcription (gpt-transcribe / gpt-live-transcribe only). */
    keywords: z
      .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
      .max(100, 'must hold at most 100 keywords')
      .default([]),
    /** The languages the user may speak, ISO-639-1 (gpt-transcribe / gpt-live-transcribe only). */
    languages: z.array(languageCode).max(20, 'must hold at most 20 languages').default([]),
  })
  .strict();

/**
 * What a long conversation re-sends each turn (session.update `truncation`, RealtimeTruncation in
 * openai/resources/realtime/realtime.d.ts): the service's own `auto`, `disabled` (an error once the
 * context is full), or `retention_ratio`: once the conversation exceeds the limit, keep this fraction
 * (0–1) of it, under the model's limit or `postInstructionsTokens` when set.
 */
export const TruncationSchema = z
  .object({
    mode: z.enum(['auto', 'disabled', 'retention_ratio']).default('auto'),
    retentionRatio: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.8),
    postInstructionsTokens: z.number().int().min(1, 'must be at least 1 token').max(1_000_000, 'must be at most 1000000 tokens').nullable().default(null),
  })
  .strict();

export const DevicesSchema = z
  .object({
    /** Devices are kept by label and fall back to the default when missing (DESIGN §4). Null = system default. */
    inputLabel: z.string().max(500).nullable().default(null),
    outputLabel: z.string().max(500).nullable().default(null),
  })
  .strict();

export const ClipboardSchema = z
  .object({
    readEnabled: z.boolean().default(false),
    write: z.enum(['ask', 'allow']).default('ask'),
  })
  .strict();

/**
 * Looking at the screen (main/tools/screen/): the detail images are sent at. low: one 512 px
 * rendition, 85 tokens; auto/high: up to 768 px on the short side, 85 + 170 per 512 px tile
 * (image-sizing.ts cites OpenAI's rules).
 */
export const ScreenSchema = z
  .object({
    detail: z.enum(['auto', 'low', 'high']).default('auto'),
  })
  .strict();

export const ToolPolicySchema = z.enum(['allow', 'ask', 'deny']);
export type ToolPolicy = z.infer<typeof ToolPolicySchema>;

const toolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a tool name (letters, digits, _ and -)');

export const SettingsSchema = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    apiKeySource: z.enum(['settings', 'environment']).default('settings'),
    /** New files start on gpt-realtime-2.1; a file that names a model keeps it (cost/models.ts). */
    model: modelName.default(DEFAULT_REALTIME_MODEL),
    /** reasoning.effort for the models that reason; ignored for the others. */
    reasoningEffort: z.enum(REASONING_EFFORTS).default(DEFAULT_REASONING_EFFORT),
    voice: z.enum(VOICES).default('marin'),
    instructions: z.string().max(20000, 'must be at most 20000 characters').default(DEFAULT_INSTRUCTIONS),
    endpoint: EndpointSchema.default(() => EndpointSchema.parse({})),
    /**
     * How a conversation is held (DESIGN §2): realtime (speech to speech, the fastest), cascaded
     * (transcribe → text model with tools → speech, each stage on its own endpoint), chat-audio
     * (Chat Completions with audio in and out, one request per turn).
     */
    engine: z.enum(['realtime', 'cascaded', 'chat-audio']).default('realtime'),
    cascaded: CascadedSchema.default(() => CascadedSchema.parse({})),
    chatAudio: ChatAudioSchema.default(() => ChatAudioSchema.parse({})),
    turnMode: z.enum(['hold', 'toggle', 'hands-free']).default('hold'),
    hotkey: accelerator.default('Control+Alt+Space'),
    vad: VadSchema.default(() => VadSchema.parse({})),
    transcription: TranscriptionSchema.default(() => TranscriptionSchema.parse({})),
    truncation: TruncationSchema.default(() => TruncationSchema.parse({})),
    noiseReduction: z.enum(['near_field', 'far_field', 'off']).default('near_field'),
    devices: DevicesSchema.default(() => DevicesSchema.parse({})),
    /** Seconds the microphone stays open after a turn so the next first syllable is not lost. 0 = release at once. */
    micWarmSeconds: z.number().min(0).max(600).default(10),
    /**
     * Hands-free on speakers: what keeps the assistant from hearing itself (DESIGN §4,
     * renderer/audio/ECHO.md). duck: lower the voice while the user speaks; browser-aec: trust
     * Chromium's echo canceller; headset: nothing to do.
     */
    echoStrategy: z.enum(['duck', 'browser-aec', 'headset']).default('duck'),
    allowedFolders: z.array(absolutePath).max(100).default([]),
    /** Per tool name; a tool not listed uses the tool's own default. */
    toolPolicies: z.record(toolName, ToolPolicySchema).default({}),
    clipboard: ClipboardSchema.default(() => ClipboardSchema.parse({})),
    /** A field with a default: files without it read as detail auto, so no migration. */
    screen: ScreenSchema.default(() => ScreenSchema.parse({})),
    /** MCP servers whose tools the assistant may use (mcp-servers-schema.ts); none by default, so no migration. */
    mcpServers: McpServersSchema.default([]),
    startAtLogin: z.boolean().default(false),
    /**
     * Check for, download and offer updates of the installed app (main/app/updates/). Off: no
     * request at all. A field with a default needs no migration step: files without it read as on.
     */
    autoUpdate: z.boolean().default(true),
    /** Null = no budget. */
    dailyBudgetUsd: z.number().positive('must be more than 0 (or null for no budget)').max(100000).nullable().default(null),
    /** Conversations older than this are deleted; null keeps them forever. */
    historyRetentionDays: z.number().int().min(1).max(36500).nullable().default(90),
    /** Per response; 'inf' = the model's maximum. */
    maxOutputTokens: z.union([z.number().int().min(1).max(4096), z.literal('inf')]).default('inf'),
    /** audio.output.speed of the Realtime API. */
    speechSpeed: z.number().min(0.25).max(1.5).default(1),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsKey = Exclude<keyof Settings, 'version'>;
export type Voice = Settings['voice'];
export type EndpointSettings = Settings['endpoint'];

/** The settings a first launch starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({ version: SETTINGS_VERSION });
}

/** Top-level keys in a stable order (the schema's). */
export const SETTINGS_KEYS = Object.keys(SettingsSchema.shape).filter((key) => key !== 'version') as SettingsKey[];
