/** Builds the GA `session.update` payload from VoiceConfig (DESIGN §3). */
import type { TruncationConfig, VoiceConfig } from '../../config.ts';
import { modelReasons, transcriptionTakesKeywords } from '../../cost/models.ts';
import type { ReasoningEffort } from '../../cost/models.ts';
import type { FunctionToolDefinition, NativeMcpTool } from '../../../tools/tool-host.ts';

/** A session tool: one of ours, or a remote MCP server the service calls itself (DESIGN §3 "Remote MCP"). */
export type SessionToolWire = FunctionToolDefinition | NativeMcpTool;

export interface TurnDetectionWire {
  type: 'server_vad' | 'semantic_vad';
  threshold?: number;
  prefix_padding_ms?: number;
  silence_duration_ms?: number;
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  create_response: boolean;
  interrupt_response: boolean;
}

/** The session object as we send it. transcription / noise_reduction may be null (the service allows it). */
export interface SessionWire {
  type: 'realtime';
  model: string;
  output_modalities: ['audio'];
  instructions: string;
  audio: {
    input: {
      format: { type: 'audio/pcm'; rate: 24000 };
      turn_detection: TurnDetectionWire | null;
      transcription: TranscriptionWire | null;
      noise_reduction: { type: 'near_field' | 'far_field' } | null;
    };
    output: { format: { type: 'audio/pcm'; rate: 24000 }; voice?: string; speed: number };
  };
  tools: SessionToolWire[];
  tool_choice: 'auto' | 'none' | 'required';
  max_output_tokens: number | 'inf';
  truncation: TruncationWire;
  /** Only for models that reason (RealtimeReasoning in openai/resources/realtime/realtime.d.ts). */
  reasoning?: { effort: ReasoningEffort };
}

/** AudioTranscription in openai/resources/realtime/realtime.d.ts (keywords/languages: gpt-transcribe). */
export interface TranscriptionWire {
  model: string;
  language?: string;
  prompt?: string;
  keywords?: string[];
  languages?: string[];
}

/** RealtimeTruncation in openai/resources/realtime/realtime.d.ts. */
export type TruncationWire =
  | 'auto'
  | 'disabled'
  | { type: 'retention_ratio'; retention_ratio: number; token_limits?: { post_instructions: number } };

export function truncationWire(t: TruncationConfig): TruncationWire {
  if (typeof t === 'string') return t;
  return {
    type: 'retention_ratio',
    retention_ratio: t.retentionRatio,
    ...(t.postInstructionsTokens !== undefined ? { token_limits: { post_instructions: t.postInstructionsTokens } } : {}),
  };
}

export function turnDetectionFor(config: VoiceConfig, handsFreeOpen: boolean): TurnDetectionWire | null {
  // Push-to-talk sends null explicitly, or the server would commit and answer on its own.
  if (!handsFreeOpen) return null;
  const hf = config.handsFree;
  if (hf.type === 'server_vad') {
    return {
      type: 'server_vad',
      threshold: hf.threshold,
      prefix_padding_ms: hf.prefixPaddingMs,
      silence_duration_ms: hf.silenceDurationMs,
      create_response: true,
      interrupt_response: true,
    };
  }
  return { type: 'semantic_vad', eagerness: hf.eagerness, create_response: true, interrupt_response: true };
}

export function buildSession(
  config: VoiceConfig,
  tools: SessionToolWire[],
  opts: { handsFreeOpen: boolean; includeVoice: boolean; transcriptionModel?: string },
): SessionWire {
  const t = config.transcription;
  // A transcription model the service refused is replaced by the fallback the engine chose.
  const transcriptionModel = opts.transcriptionModel ?? t?.model;
  const output: SessionWire['audio']['output'] = { format: { type: 'audio/pcm', rate: 24000 }, speed: config.speed };
  // The voice cannot change once the session produced audio: leave it out of later updates.
  if (opts.includeVoice) output.voice = config.voice;
  return {
    type: 'realtime',
    model: config.model,
    output_modalities: ['audio'],
    instructions: config.instructions,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        turn_detection: turnDetectionFor(config, opts.handsFreeOpen),
        transcription:
          t && transcriptionModel
            ? {
                model: transcriptionModel,
                ...(t.language ? { language: t.language } : {}),
                ...(t.prompt ? { prompt: t.prompt } : {}),
                ...(t.keywords?.length && transcriptionTakesKeywords(transcriptionModel) ? { keywords: t.keywords } : {}),
                ...(t.languages?.length && transcriptionTakesKeywords(transcriptionModel) ? { languages: t.languages } : {}),
              }
            : null,
        noise_reduction: config.noiseReduction ? { type: config.noiseReduction } : null,
      },
      output,
    },
    tools,
    tool_choice: config.toolChoice,
    max_output_tokens: config.maxOutputTokens,
    truncation: truncationWire(config.truncation),
    ...(modelReasons(config.model) ? { reasoning: { effort: config.reasoningEffort } } : {}),
  };
}
