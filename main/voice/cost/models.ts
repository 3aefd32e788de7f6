/**
 * What each Realtime model can do, as read on 2026-11-25 (DESIGN §3; prices in price-table.ts, the
 * same date). DATA ONLY. `reasoning.effort` is sent only for a model listed here with reasoning:
 * the SDK documents the field "for reasoning-capable Realtime models such as gpt-realtime-2"
 * (RealtimeReasoning in openai/resources/realtime/realtime.d.ts), and DESIGN §3 names the reasoning
 * of gpt-realtime-2.1 (efforts minimal…xhigh, default low). For gpt-realtime-2.1-mini DESIGN says
 * nothing about reasoning, so none is claimed or sent; gpt-realtime-1.5 has none.
 */
export const MODELS_READ_ON = '2026-11-25';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = 'low';

export interface RealtimeModelInfo {
  reasoning: boolean;
  /** Context window in tokens, where DESIGN §3 states it. */
  contextTokens: number | null;
  /** An older name the service still accepts (offered after the current ones). */
  older: boolean;
}

export const REALTIME_MODELS: Readonly<Record<string, RealtimeModelInfo>> = {
  'gpt-realtime-2.1': { reasoning: true, contextTokens: 128_000, older: false },
  'gpt-realtime-2': { reasoning: true, contextTokens: null, older: false },
  'gpt-realtime-2.1-mini': { reasoning: false, contextTokens: null, older: false },
  'gpt-realtime-1.5': { reasoning: false, contextTokens: 32_000, older: false },
  'gpt-realtime': { reasoning: false, contextTokens: null, older: true },
  'gpt-realtime-mini': { reasoning: false, contextTokens: null, older: true },
};

/** The model a new settings file starts with. */
export const DEFAULT_REALTIME_MODEL = 'gpt-realtime-2.1';

/** Model names in the order a chooser offers them: current first, older names after. */
export const REALTIME_MODEL_NAMES: readonly string[] = Object.keys(REALTIME_MODELS);

/** A dated snapshot (gpt-realtime-2025-08-28) is the family it belongs to. */
export function modelFamily(model: string): string {
  return model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/** Whether session.update may carry `reasoning` for this model (unknown models: no). */
export function modelReasons(model: string): boolean {
  return (REALTIME_MODELS[model] ?? REALTIME_MODELS[modelFamily(model)])?.reasoning === true;
}

/**
 * Transcription models that take `keywords` and `languages` ("Supported by gpt-transcribe and
 * gpt-live-transcribe": AudioTranscription in openai/resources/realtime/realtime.d.ts). Other
 * models are sent neither, so a fallback model is not refused for them.
 */
export function transcriptionTakesKeywords(model: string): boolean {
  const family = modelFamily(model);
  return family === 'gpt-transcribe' || family === 'gpt-live-transcribe';
}
