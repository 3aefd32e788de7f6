/** Builds the GA `session.update` payload from VoiceConfig (DESIGN §3). */
import type { VoiceConfig } from '../../config.ts';
import type { FunctionToolDefinition } from '../../../tools/tool-host.ts';

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
      transcription: { model: string; language?: string; prompt?: string } | null;
      noise_reduction: { type: 'near_field' | 'far_field' } | null;
    };
    output: { format: { type: 'audio/pcm'; rate: 24000 }; voice?: string; speed: number };
  };
  tools: FunctionToolDefinition[];
  tool_choice: 'auto' | 'none' | 'required';
  max_output_tokens: number | 'inf';
  truncation: 'auto' | 'disabled';
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
  tools: FunctionToolDefinition[],
  opts: { handsFreeOpen: boolean; includeVoice: boolean },
): SessionWire {
  const t = config.transcription;
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
        transcription: t
          ? {
              model: t.model,
              ...(t.language ? { language: t.language } : {}),
              ...(t.prompt ? { prompt: t.prompt } : {}),
            }
          : null,
        noise_reduction: config.noiseReduction ? { type: config.noiseReduction } : null,
      },
      output,
    },
    tools,
    tool_choice: config.toolChoice,
    max_output_tokens: config.maxOutputTokens,
    truncation: config.truncation,
  };
}
