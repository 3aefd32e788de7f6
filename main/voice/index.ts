/** The voice core's public surface (no Electron). */
export { createVoiceSession, MIN_TURN_SAMPLES } from './session.ts';
export type { SendTextResult, VoiceSession, VoiceSessionPorts } from './session.ts';
export { userLineForModel } from './transcripts.ts';
export { VoiceConfigSchema, defaultVoiceConfig, VOICES } from './config.ts';
export type { VoiceConfig, VoiceConfigInput } from './config.ts';
export type { Credentials } from './engine/engine.ts';
export type { TurnRecord, ToolCallRecord, TurnOutcome, TurnInput } from './turn.ts';
export type { VoiceEngine, EngineListener, HistoryEntry } from './engine/engine.ts';
export { costOf, usageFromResponse, pricesFor } from './cost/usage.ts';
export { PRICES_READ_ON, REALTIME_PRICES } from './cost/price-table.ts';
export type { CapturePort, PlaybackPort, SessionEvents } from './ports.ts';
