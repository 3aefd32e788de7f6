/**
 * One engine interface (DESIGN §2). The session state machine talks only to this; the Realtime engine
 * is the default, and a cascaded or chat-audio engine can implement the same surface later.
 */
import type { Usage } from '../../../preload/contract.ts';
import type { VoiceConfig } from '../config.ts';
import type { RateLimit } from './realtime/server-events.ts';

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
  /** True when the model asked for tools: a follow-up response will come. */
  hadFunctionCalls: boolean;
  /** Item ids of assistant messages in this response. */
  messageItemIds: string[];
}

/** Per-response options: a text-only answer for a turn the user chose to read rather than hear. */
export interface ResponseOptions {
  textOnly?: boolean;
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
  readonly kind: 'realtime';
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
  requestResponse(options?: ResponseOptions): void;
  /**
   * Add a typed user message to the conversation (`conversation.item.create` of a user `message` with
   * `input_text`, under the item id given), then ask for a response.
   */
  sendUserText(itemId: string, text: string, options?: ResponseOptions): void;
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
