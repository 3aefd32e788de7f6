/**
 * One engine interface (DESIGN §2). The session state machine talks only to this; each engine —
 * Realtime (speech to speech over a WebSocket), cascaded (transcribe → chat with tools → speech) and
 * chat-audio (Chat Completions with audio in and out) — owns only its protocol and reports what
 * happens through the same listener. This file imports nothing from any one engine.
 *
 * Item ids are the engine's: the Realtime engine uses the service's; the HTTP engines make their own.
 * What the session does with them is the same: audio and transcripts per item, truncate an assistant
 * item to what the user heard, delete one nobody heard.
 */
import type { Usage } from '../../../preload/contract.ts';
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../../base/logger.ts';
import type { FunctionToolDefinition, NativeApprovalRequest, NativeMcpTool } from '../../tools/tool-host.ts';
import type { EngineKind, VoiceConfig } from '../config.ts';
import type { Cost } from '../cost/usage.ts';

export type { EngineKind } from '../config.ts';

/** Where and as whom an engine connects: the user's OpenAI (or Azure / compatible) endpoint and key. */
export interface Credentials {
  apiKey: string;
  baseURL?: string;
  /** Extra CA certificate (PEM) to trust, for custom endpoints. */
  ca?: string;
  /** Azure OpenAI: the key goes in `api-key` and the model is a deployment of the resource. */
  azure?: { endpoint: string; deployment: string; apiVersion?: string };
}

/** A rate limit the service reported (Realtime `rate_limits.updated`; HTTP `x-ratelimit-*` headers). */
export interface RateLimit {
  name?: string;
  limit?: number;
  remaining?: number;
  reset_seconds?: number;
}

/** What every engine is built from. */
export interface EngineDeps {
  config: () => VoiceConfig;
  tools: () => FunctionToolDefinition[];
  /** Remote MCP servers for engines whose service calls them itself (Realtime `mcp` tools); others ignore them. */
  nativeTools?: () => NativeMcpTool[];
  handsFreeOpen: () => boolean;
  credentials: () => Promise<Credentials>;
  clock: Clock;
  logger: Logger;
  listener: EngineListener;
}

export type EngineFactory = (kind: EngineKind, deps: EngineDeps) => VoiceEngine;

/** An image the user shows the assistant (a screen capture or a file), as a data URL. */
export interface UserImage {
  /** data:image/png;base64,… or data:image/jpeg;base64,… */
  dataUrl: string;
  detail: 'auto' | 'low' | 'high';
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
}

export type ConnectionPhase = 'closed' | 'connecting' | 'open' | 'reconnecting' | 'failed';

export interface EngineError {
  code: string | null;
  message: string;
  /** The client event type that caused it, when the server named one of our event ids. */
  causeType: string | null;
  benign: boolean;
  fatal: boolean;
}

export interface FunctionCall {
  callId: string;
  name: string;
  argumentsJson: string;
  itemId: string;
  responseId: string;
}

export interface ResponseSummary {
  responseId: string;
  status: string;
  usage: Usage;
  /** What this response cost, priced by the engine that knows its models (unknown, never zero, when unpriced). */
  cost: Cost;
  /** The model(s) that produced it, as shown to the user ("gpt-realtime-2.1", "gpt-transcribe → gpt-4.1-mini → gpt-4o-mini-tts"). */
  model: string;
  /** True when the model asked for tools: a follow-up response will come. */
  hadFunctionCalls: boolean;
  /** Item ids of assistant messages in this response. */
  messageItemIds: string[];
}

/** Per-response options: a text-only answer for a turn the user chose to read rather than hear. */
export interface ResponseOptions {
  textOnly?: boolean;
  /**
   * false: only add the item, ask for no response (a tool's picture goes in after its output, and
   * the one follow-up response comes after both). Default true.
   */
  respond?: boolean;
}

export interface EngineListener {
  connection(phase: ConnectionPhase, detail: { attempt?: number; reason?: string; renewed?: boolean }): void;
  inputCommitted(itemId: string): void;
  speechStarted(): void;
  speechStopped(): void;
  responseStarted(responseId: string): void;
  audio(itemId: string, responseId: string, pcm: Int16Array): void;
  audioDone(itemId: string): void;
  transcriptDelta(role: 'user' | 'assistant', itemId: string, delta: string): void;
  transcriptDone(role: 'user' | 'assistant', itemId: string, text: string): void;
  /** Text output of a text-only response (response.output_text.delta / .done). */
  outputText(itemId: string, responseId: string, text: string, done: boolean): void;
  functionCall(call: FunctionCall): void;
  /** The service asks before it runs a native MCP tool (an mcp_approval_request item of this response). */
  mcpApprovalRequest?(request: NativeApprovalRequest & { responseId: string }): void;
  responseDone(summary: ResponseSummary): void;
  rateLimits(limits: RateLimit[]): void;
  error(error: EngineError): void;
  /** input_audio_buffer.commit was written to the socket (clock.now()). */
  commitWritten?(at: number): void;
  /** A typed user item (conversation.item.create with our item id) was written to the socket (clock.now()). */
  userTextWritten?(itemId: string, at: number): void;
  /** The connection dropped while a response was being produced (the turn is lost). */
  responseLost(responseId: string | null): void;
}

export interface VoiceEngine {
  readonly kind: EngineKind;
  /** The model(s) this engine answers with now, as the user sees them ("gpt-transcribe → gpt-4.1-mini → gpt-4o-mini-tts"). */
  describeModel(): string;
  /** Connect if not connected (connect on first use); events sent meanwhile are queued in order. */
  ensureConnected(): void;
  isOpen(): boolean;
  /** Milliseconds since the current session opened, or null when closed. */
  sessionAgeMs(): number | null;
  appendAudio(pcm: Int16Array): void;
  /** Commit the input buffer and ask for a response (sequenced behind the previous response.done). */
  commitAndRespond(): void;
  clearInput(): void;
  /** Cancel the active response; false when none was active (nothing sent). */
  cancelResponse(): boolean;
  responseActive(): boolean;
  truncate(itemId: string, audioEndMs: number): void;
  deleteItem(itemId: string): void;
  submitToolOutput(callId: string, output: string): void;
  /** The answer to a native MCP approval request (an mcp_approval_response item); ask for the response separately. */
  answerMcpApproval?(approvalRequestId: string, approve: boolean, reason?: string): void;
  requestResponse(options?: ResponseOptions): void;
  /**
   * Add a typed user message to the conversation (`conversation.item.create` of a user `message` with
   * `input_text`, under the item id given), then ask for a response.
   */
  sendUserText(itemId: string, text: string, options?: ResponseOptions): void;
  /** Add a user message with an image (and optional text) under the item id given, then ask for a response. */
  sendUserImage(itemId: string, image: UserImage, text: string | null, options?: ResponseOptions): void;
  /** Send the live session settings again (instructions, tools, turn detection…). */
  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void;
  /** Close and open a new session now, replaying instructions, tools and `history` as text items. */
  renew(history: HistoryEntry[]): void;
  /** Replace the text history that a reconnect or renewal replays. */
  setHistory(history: HistoryEntry[]): void;
  close(): Promise<void>;
  /** Close the socket because nobody used it for a while; the next use reconnects and replays history. */
  closeIdle(): void;
  /** Forget the conversation (history, items) for a new one. */
  reset(): void;
  /** Whether the current session already produced audio (its voice is then fixed). */
  audioProduced(): boolean;
  /** Milliseconds of audio received for an item so far. */
  receivedMs(itemId: string): number;
}
