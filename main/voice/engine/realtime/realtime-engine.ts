/**
 * The Realtime engine: one `OpenAIRealtimeWS` socket at a time, the GA session config, event ids on every
 * client event, response.create sequenced behind response.done, keepalive pings, reconnect with backoff,
 * renewal with replayed text history, and zod-validated server events.
 */
import { randomUUID } from 'node:crypto';
import { AzureOpenAI, OpenAI } from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { VoiceConfig } from '../../config.ts';
import type { Credentials, EngineDeps, HistoryEntry, ResponseOptions, UserImage, VoiceEngine } from '../engine.ts';
import { base64ToPcm, pcmToBase64, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { costOf, usageFromResponse } from '../../cost/usage.ts';
import { redact, registerSecret } from '../../../base/redact.ts';
import { buildSession } from './session-config.ts';
import type { SessionWire } from './session-config.ts';
import { parseServerEvent } from './server-events.ts';
import type { ServerEvent } from './server-events.ts';
import { isBenignCode, SESSION_EXPIRED_CODE } from './error-codes.ts';
import { FATAL_ACTIONS, isFatalCode } from '../fatal-errors.ts';

export type RealtimeEngineDeps = EngineDeps;

/** What we send: the SDK's client events, with our session object (nullable fields the service allows). */
type OutgoingEvent =
  | Exclude<RealtimeClientEvent, { type: 'session.update' }>
  | { type: 'session.update'; session: SessionWire; event_id?: string };

interface Socket {
  rt: OpenAIRealtimeWS;
  /** live: ours; closing: we closed it on purpose; renewing: we closed it to open a fresh session. */
  intent: 'live' | 'closing' | 'renewing';
  openedAt: number | null;
  audioProduced: boolean;
  awaitingPongSince: number | null;
  expired: boolean;
  /** The last transport failure the SDK reported on this socket (DNS, TLS, an HTTP refusal), redacted. */
  lastError: string | null;
}

const SENT_MEMORY = 1000;
/** How many received event ids are remembered to drop a duplicated event. */
const RECEIVED_MEMORY = 2000;
const AZURE_DEFAULT_API_VERSION = '2025-08-28';

export class RealtimeEngine implements VoiceEngine {
  readonly kind = 'realtime' as const;
  #deps: RealtimeEngineDeps;
  #socket: Socket | null = null;
  #connecting = false;
  #pending: OutgoingEvent[] = [];
  #turnAudio: Int16Array[] = [];
  #history: HistoryEntry[] = [];
  #responseActive = false;
  /** response.create requests waiting for the active response's response.done, in order. */
  #queuedResponses: ResponseOptions[] = [];
  /** The options of each response.create sent, by event id (a refused one is queued again as it was). */
  #sentResponses = new Map<string, ResponseOptions>();
  #currentResponseId: string | null = null;
  #eventCounter = 0;
  #sent = new Map<string, string>();
  #seenEvents = new Set<string>();
  /** Function calls by call id, with the socket they arrived on (a new session does not know them). */
  #calls = new Map<string, { name: string; argumentsJson: string; socket: Socket }>();
  #received = new Map<string, number>();
  #seenCalls = new Set<string>();
  /** Native MCP approval requests already handed on (they arrive in output_item.done and again in response.done). */
  #seenApprovals = new Set<string>();
  /** Native MCP servers' tools as their mcp_list_tools items listed them: name → annotations, by server label. */
  #mcpToolHints = new Map<string, Map<string, Record<string, unknown>>>();
  #reconnectAttempt = 0;
  #reconnectTimer: { cancel(): void } | null = null;
  #pingTimer: { cancel(): void } | null = null;
  #fatal = false;
  #disposed = false;
  #replayOnOpen = false;
  #renewedOnOpen = false;
  /** A transcription model the service refused in session.update, and what this engine uses instead. */
  #transcriptionFallback: { refused: string; using: string } | null = null;
  /** The model (or Azure deployment) the current or last socket was opened with. */
  #socketModel: string | null = null;

  constructor(deps: RealtimeEngineDeps) {
    this.#deps = deps;
  }

  // ---------- public surface ----------

  ensureConnected(): void {
    if (this.#disposed) return;
    if (this.#fatal) {
      // A fatal error stops retries; a new explicit use (hotkey) may try once more (the key may be fixed).
      this.#fatal = false;
    }
    if (this.#socket || this.#connecting || this.#reconnectTimer) return;
    void this.#open('connecting');
  }

  isOpen(): boolean {
    return this.#socket?.openedAt != null && this.#socket.intent === 'live';
  }

  sessionAgeMs(): number | null {
    const at = this.#socket?.openedAt;
    return at == null ? null : this.#deps.clock.now() - at;
  }

  audioProduced(): boolean {
    return this.#socket?.audioProduced ?? false;
  }

  appendAudio(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.#turnAudio.push(pcm);
    // Hands-free streams without our commits: keep only the last minute for a possible resend.
    if (this.#turnAudio.length > 3000) this.#turnAudio.splice(0, this.#turnAudio.length - 3000);
    this.#send({ type: 'input_audio_buffer.append', audio: pcmToBase64(pcm) });
  }

  commitAndRespond(): void {
    // The turn's audio is forgotten when the commit is written (#sendNow), not here: a commit still
    // queued for a socket that fails to open must go out again after that audio, not after nothing.
    this.#send({ type: 'input_audio_buffer.commit' });
    this.requestResponse();
  }

  clearInput(): void {
    this.#turnAudio = [];
    // Appends still queued for a socket that is not open yet are simply dropped.
    this.#pending = this.#pending.filter((e) => e.type !== 'input_audio_buffer.append');
    this.#send({ type: 'input_audio_buffer.clear' });
  }

  responseActive(): boolean {
    return this.#responseActive;
  }

  cancelResponse(): boolean {
    this.#queuedResponses = [];
    if (!this.#responseActive) return false;
    this.#send({ type: 'response.cancel' });
    return true;
  }

  truncate(itemId: string, audioEndMs: number): void {
    const received = this.receivedMs(itemId);
    const ms = Math.max(0, Math.min(Math.floor(audioEndMs), Math.floor(received)));
    this.#send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: ms });
  }

  deleteItem(itemId: string): void {
    this.#send({ type: 'conversation.item.delete', item_id: itemId });
  }

  submitToolOutput(callId: string, output: string): void {
    this.#send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output } });
  }

  answerMcpApproval(approvalRequestId: string, approve: boolean, reason?: string): void {
    // DESIGN §3 "Remote MCP": answered with an mcp_approval_response item (RealtimeMcpApprovalResponse
    // in openai/resources/realtime/realtime.d.ts, whose type requires an id: a client may name items).
    const id = `mcpr_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'mcp_approval_response', id, approval_request_id: approvalRequestId, approve, ...(reason !== undefined ? { reason } : {}) },
    });
  }

  requestResponse(options: ResponseOptions = {}): void {
    if (this.#responseActive) {
      this.#queuedResponses.push(options);
      return;
    }
    this.#responseActive = true;
    this.#send(responseCreate(options));
  }

  describeModel(): string {
    return this.#socketModel ?? this.#deps.config().model;
  }

  sendUserImage(itemId: string, image: UserImage, text: string | null, options: ResponseOptions = {}): void {
    // DESIGN §3 "Images": a user message may carry {type:"input_image", image_url: data URL, detail}
    // (RealtimeConversationItemUserMessage.Content in openai/resources/realtime/realtime.d.ts).
    const content: ({ type: 'input_image'; image_url: string; detail: UserImage['detail'] } | { type: 'input_text'; text: string })[] = [
      { type: 'input_image', image_url: image.dataUrl, detail: image.detail },
    ];
    if (text) content.push({ type: 'input_text', text });
    this.#send({ type: 'conversation.item.create', item: { id: itemId, type: 'message', role: 'user', content } });
    if (options.respond !== false) this.requestResponse(options);
  }

  sendUserText(itemId: string, text: string, options: ResponseOptions = {}): void {
    // GA shape: a user `message` item with `input_text` content (openai/resources/realtime/realtime.d.ts,
    // RealtimeConversationItemUserMessage; the item id "may be provided by the client").
    this.#send({ type: 'conversation.item.create', item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    this.requestResponse(options);
  }

  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void {
    if (!this.#socket && !this.#connecting) return; // the next session starts with the new settings
    const includeVoice = !(this.#socket?.audioProduced ?? false);
    this.#send({ type: 'session.update', session: this.#session(config, handsFreeOpen, includeVoice) });
  }

  setHistory(history: HistoryEntry[]): void {
    this.#history = history.slice();
  }

  renew(history: HistoryEntry[]): void {
    this.#history = history.slice();
    const s = this.#socket;
    this.#deps.logger.info('realtime: renewing the session', { ageMs: this.sessionAgeMs() });
    if (s) {
      s.intent = 'renewing';
      this.#stopPing();
      this.#socket = null;
      this.#safeClose(s, 1000, 'renew');
    }
    this.#responseActive = false;
    this.#queuedResponses = [];
    this.#replayOnOpen = true;
    this.#renewedOnOpen = true;
    void this.#open('connecting');
  }

  async close(): Promise<void> {
    this.#disposed = true;
    this.#reconnectTimer?.cancel();
    this.#reconnectTimer = null;
    this.#stopPing();
    const s = this.#socket;
    this.#socket = null;
    this.#pending = [];
    this.#responseActive = false;
    if (s) {
      s.intent = 'closing';
      await new Promise<void>((resolve) => {
        const done = this.#deps.clock.setTimeout(() => {
          s.rt.socket.terminate();
          resolve();
        }, 1000);
        s.rt.socket.once('close', () => {
          done.cancel();
          resolve();
        });
        this.#safeClose(s, 1000, 'bye');
      });
    }
  }

  /** Close the socket because the app is idle (keep-warm elapsed); the next use reconnects. */
  closeIdle(): void {
    const s = this.#socket;
    if (!s) return;
    this.#deps.logger.info('realtime: closing idle session');
    s.intent = 'closing';
    this.#stopPing();
    this.#socket = null;
    this.#responseActive = false;
    this.#queuedResponses = [];
    this.#replayOnOpen = true;
    this.#safeClose(s, 1000, 'idle');
    this.#deps.listener.connection('closed', { reason: 'idle' });
  }

  /** Reopen a closed engine after dispose-like resets (new conversation). */
  reset(): void {
    this.#history = [];
    this.#received.clear();
    this.#seenCalls.clear();
    this.#seenApprovals.clear();
    this.#calls.clear();
    this.#turnAudio = [];
    this.#pending = [];
    this.#replayOnOpen = false;
  }

  receivedMs(itemId: string): number {
    return (this.#received.get(itemId) ?? 0) / SAMPLES_PER_MS;
  }

  // ---------- connection ----------

  async #open(phase: 'connecting' | 'reconnecting'): Promise<void> {
    if (this.#connecting || this.#disposed) return;
    this.#connecting = true;
    this.#deps.listener.connection(phase, { attempt: this.#reconnectAttempt });
    let creds: Credentials;
    try {
      creds = await this.#deps.credentials();
    } catch (err) {
      this.#connecting = false;
      this.#fail('missing_credentials', `No API key: ${redact(String(err instanceof Error ? err.message : err))}`);
      return;
    }
    if (this.#disposed) {
      this.#connecting = false;
      return;
    }
    registerSecret(creds.apiKey);
    const config = this.#deps.config();
    let rt: OpenAIRealtimeWS;
    try {
      const options = creds.ca ? { options: { ca: creds.ca } } : {};
      if (creds.azure) {
        const azure = new AzureOpenAI({
          apiKey: creds.apiKey,
          endpoint: creds.azure.endpoint,
          deployment: creds.azure.deployment,
          // The GA v1 path (/openai/v1/realtime) carries no api-version, but the SDK's constructor
          // insists on one; the user's setting wins when there is one.
          apiVersion: creds.azure.apiVersion ?? AZURE_DEFAULT_API_VERSION,
          maxRetries: 0,
        });
        rt = await OpenAIRealtimeWS.azure(azure, options);
        this.#socketModel = creds.azure.deployment;
      } else {
        const client = new OpenAI({ apiKey: creds.apiKey, ...(creds.baseURL ? { baseURL: creds.baseURL } : {}), maxRetries: 0 });
        rt = new OpenAIRealtimeWS({ model: config.model, ...options }, client);
        this.#socketModel = config.model;
      }
    } catch (err) {
      this.#connecting = false;
      this.#fail('bad_endpoint', `Cannot open the Realtime connection: ${redact(err instanceof Error ? err.message : String(err))}`);
      return;
    }
    if (this.#disposed) {
      this.#connecting = false;
      rt.on('error', () => undefined);
      rt.close();
      return;
    }
    const s: Socket = { rt, intent: 'live', openedAt: null, audioProduced: false, awaitingPongSince: null, expired: false, lastError: null };
    this.#socket = s;
    this.#connecting = false;
    // Always registered: without it the SDK turns failures into unhandled rejections.
    rt.on('error', (err) => this.#onSdkError(s, err));
    rt.on('event', (raw: unknown) => {
      if (this.#socket === s) this.#onServerEvent(s, raw);
    });
    rt.socket.on('open', () => this.#onOpen(s));
    rt.socket.on('close', (code: number, reason: Buffer) => this.#onClose(s, code, reason.toString()));
    rt.socket.on('pong', () => {
      s.awaitingPongSince = null;
    });
  }

  #onOpen(s: Socket): void {
    if (this.#socket !== s) return;
    s.openedAt = this.#deps.clock.now();
    const renewed = this.#renewedOnOpen;
    const attempt = this.#reconnectAttempt;
    this.#reconnectAttempt = 0;
    this.#renewedOnOpen = false;
    const config = this.#deps.config();
    // Order on a fresh socket: settings, then the replayed history, then whatever was queued meanwhile.
    this.#sendNow(s, {
      type: 'session.update',
      session: this.#session(config, this.#deps.handsFreeOpen(), true),
    });
    if (this.#replayOnOpen) {
      for (const entry of this.#history.slice(-config.replayTurns * 2)) {
        if (entry.role === 'user') {
          this.#sendNow(s, {
            type: 'conversation.item.create',
            item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: entry.text }] },
          });
        } else {
          this.#sendNow(s, {
            type: 'conversation.item.create',
            item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: entry.text }] },
          });
        }
      }
    }
    this.#replayOnOpen = true; // every later session (reconnect, renewal) replays the history
    const queued = this.#pending;
    this.#pending = [];
    for (const e of queued) this.#sendNow(s, e);
    this.#startPing(s);
    this.#deps.logger.info('realtime: session open', { renewed, attempt, flushed: queued.length });
    this.#deps.listener.connection('open', { renewed, attempt });
  }

  #onClose(s: Socket, code: number, reason: string): void {
    if (s.intent !== 'live' || this.#socket !== s) return; // closed on purpose
    this.#socket = null;
    this.#stopPing();
    // A socket that never opened sent nothing: a response.create still waits in #pending and goes out
    // on the next socket, so no response was lost and the request bookkeeping stays as it is.
    const neverOpened = s.openedAt == null;
    const wasActive = this.#responseActive && !neverOpened;
    const responseId = this.#currentResponseId;
    if (!neverOpened) {
      this.#responseActive = false;
      this.#queuedResponses = [];
      this.#currentResponseId = null;
    }
    if (this.#disposed) return;
    if (this.#fatal) {
      this.#deps.listener.connection('failed', { reason: 'fatal' });
      return;
    }
    // Audio of the turn in progress goes again, in order, on the next socket.
    const nonAudio = this.#pending.filter((e) => e.type !== 'input_audio_buffer.append');
    this.#pending = [
      ...this.#turnAudio.map((pcm): OutgoingEvent => ({ type: 'input_audio_buffer.append', audio: pcmToBase64(pcm) })),
      ...nonAudio,
    ];
    if (wasActive) this.#deps.listener.responseLost(responseId);
    this.#replayOnOpen = true;
    if (s.expired || code === 1001) {
      this.#deps.logger.info('realtime: session ended by the server, renewing', { code });
      this.#renewedOnOpen = true;
      void this.#open('connecting');
      return;
    }
    this.#deps.logger.warn('realtime: connection dropped', { code, reason: redact(reason), opened: s.openedAt != null });
    // A socket that never opened says why through the SDK's error (DNS, TLS, HTTP): name that, not 1006.
    this.#scheduleReconnect(s.openedAt == null && s.lastError ? describeTransportError(s.lastError) : `closed with code ${code}`);
  }

  #scheduleReconnect(reason: string): void {
    const cfg = this.#deps.config();
    if (this.#reconnectAttempt >= cfg.reconnectMaxAttempts) {
      this.#reconnectAttempt = 0;
      this.#pending = [];
      this.#turnAudio = [];
      this.#responseActive = false;
      this.#queuedResponses = [];
      this.#deps.listener.connection('failed', { reason });
      this.#deps.listener.error({
        code: 'connection_failed',
        message: `Could not reach the Realtime service (${reason}).`,
        causeType: null,
        benign: false,
        fatal: true,
      });
      return;
    }
    const delay = Math.min(cfg.reconnectMaxDelayMs, cfg.reconnectInitialDelayMs * 2 ** this.#reconnectAttempt);
    this.#reconnectAttempt++;
    this.#deps.listener.connection('reconnecting', { attempt: this.#reconnectAttempt, reason });
    this.#reconnectTimer = this.#deps.clock.setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#open('reconnecting');
    }, delay);
  }

  #startPing(s: Socket): void {
    this.#stopPing();
    const cfg = this.#deps.config();
    const tick = (): void => {
      if (this.#socket !== s) return;
      const now = this.#deps.clock.now();
      if (s.awaitingPongSince != null && now - s.awaitingPongSince > cfg.pongTimeoutMs) {
        this.#deps.logger.warn('realtime: no pong, the connection is dead');
        s.rt.socket.terminate();
        return;
      }
      if (s.awaitingPongSince == null) {
        s.awaitingPongSince = now;
        try {
          s.rt.socket.ping();
        } catch {
          // the close event follows
        }
      }
      this.#pingTimer = this.#deps.clock.setTimeout(tick, Math.min(cfg.pingIntervalMs, cfg.pongTimeoutMs));
    };
    this.#pingTimer = this.#deps.clock.setTimeout(tick, cfg.pingIntervalMs);
  }

  #stopPing(): void {
    this.#pingTimer?.cancel();
    this.#pingTimer = null;
  }

  #safeClose(s: Socket, code: number, reason: string): void {
    try {
      if (s.rt.socket.readyState === s.rt.socket.CONNECTING) s.rt.socket.terminate();
      else s.rt.close({ code, reason });
    } catch {
      s.rt.socket.terminate();
    }
  }

  #fail(code: string, message: string): void {
    this.#fatal = true;
    this.#pending = [];
    this.#turnAudio = [];
    // The queued response.create went with #pending: none is active, or the next turn would wait for ever.
    this.#responseActive = false;
    this.#queuedResponses = [];
    this.#deps.listener.connection('failed', { reason: code });
    this.#deps.listener.error({ code, message, causeType: null, benign: false, fatal: true });
  }

  #onSdkError(s: Socket, err: unknown): void {
    // Server `error` events arrive through #onServerEvent too; here we only handle transport failures.
    if (typeof err === 'object' && err !== null && 'error' in err && err.error) return;
    const message = redact(err instanceof Error ? err.message : String(err));
    const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
    this.#deps.logger.warn('realtime: transport error', { message });
    s.lastError = message;
    if (this.#socket !== s) return;
    if (status === '401' || status === '403') {
      s.intent = 'closing';
      this.#socket = null;
      this.#fail('invalid_api_key', FATAL_ACTIONS.invalid_api_key?.message ?? 'The API key was rejected.');
      s.rt.socket.terminate();
    }
  }

  // ---------- sending ----------

  #send(event: OutgoingEvent): void {
    const s = this.#socket;
    if (s && s.openedAt != null && s.intent === 'live') this.#sendNow(s, event);
    else {
      this.#pending.push(event);
      if (!this.#fatal) this.ensureConnected();
    }
  }

  #sendNow(s: Socket, event: OutgoingEvent): void {
    const id = `evt_es${(++this.#eventCounter).toString(36)}`;
    const withId = { ...event, event_id: id };
    this.#sent.set(id, event.type);
    if (this.#sent.size > SENT_MEMORY) {
      const oldest = this.#sent.keys().next().value;
      if (oldest !== undefined) this.#sent.delete(oldest);
    }
    if (event.type === 'input_audio_buffer.commit') this.#turnAudio = [];
    if (event.type === 'response.create') {
      this.#sentResponses.set(id, { textOnly: event.response?.output_modalities?.join() === 'text' });
      if (this.#sentResponses.size > SENT_MEMORY) {
        const oldest = this.#sentResponses.keys().next().value;
        if (oldest !== undefined) this.#sentResponses.delete(oldest);
      }
    }
    if (event.type === 'conversation.item.create' && event.item.type === 'function_call_output') this.#recreateCall(s, event.item.call_id);
    if (event.type !== 'input_audio_buffer.append') this.#deps.logger.debug('realtime: send', { type: event.type, id });
    // SessionWire allows null transcription/noise_reduction, which the service accepts (DESIGN §3).
    s.rt.send(withId as RealtimeClientEvent);
    if (event.type === 'input_audio_buffer.commit') this.#deps.listener.commitWritten?.(this.#deps.clock.now());
    // Replayed history items carry no id; a typed turn's item does.
    if (event.type === 'conversation.item.create' && event.item.type === 'message' && event.item.role === 'user' && event.item.id) {
      this.#deps.listener.userTextWritten?.(event.item.id, this.#deps.clock.now());
    }
  }

  /**
   * A tool's result for a call made in an earlier session (the connection dropped or was renewed
   * while the tool ran or waited for approval): the new session has never seen that call, and the
   * service refuses an output for an unknown call_id. Create the call in this session first.
   */
  #recreateCall(s: Socket, callId: string): void {
    const call = this.#calls.get(callId);
    if (!call || call.socket === s) return;
    call.socket = s;
    this.#sendNow(s, { type: 'conversation.item.create', item: { type: 'function_call', call_id: callId, name: call.name, arguments: call.argumentsJson } });
  }

  // ---------- receiving ----------

  #onServerEvent(s: Socket, raw: unknown): void {
    // The same event twice (a proxy or a replaying server) must not play audio or run a tool twice.
    const eventId = typeof raw === 'object' && raw !== null && 'event_id' in raw && typeof raw.event_id === 'string' ? raw.event_id : null;
    if (eventId !== null) {
      if (this.#seenEvents.has(eventId)) {
        this.#deps.logger.debug('realtime: duplicate server event skipped', { eventId });
        return;
      }
      this.#seenEvents.add(eventId);
      if (this.#seenEvents.size > RECEIVED_MEMORY) {
        const oldest = this.#seenEvents.values().next().value;
        if (oldest !== undefined) this.#seenEvents.delete(oldest);
      }
    }
    const parsed = parseServerEvent(raw);
    if (parsed.kind === 'ignored') return;
    if (parsed.kind === 'malformed') {
      this.#deps.logger.warn('realtime: malformed server event skipped', { type: parsed.type, issues: parsed.issues });
      return;
    }
    const L = this.#deps.listener;
    switch (parsed.type) {
      case 'error':
        this.#onErrorEvent(s, parsed.event);
        break;
      case 'input_audio_buffer.committed':
        this.#turnAudio = [];
        L.inputCommitted(parsed.event.item_id);
        break;
      case 'input_audio_buffer.speech_started':
        L.speechStarted();
        break;
      case 'input_audio_buffer.speech_stopped':
        L.speechStopped();
        break;
      case 'conversation.item.input_audio_transcription.delta':
        L.transcriptDelta('user', parsed.event.item_id, parsed.event.delta);
        break;
      case 'conversation.item.input_audio_transcription.completed':
        L.transcriptDone('user', parsed.event.item_id, parsed.event.transcript);
        break;
      case 'response.created':
        this.#responseActive = true;
        this.#currentResponseId = parsed.event.response.id;
        L.responseStarted(parsed.event.response.id);
        break;
      case 'response.output_audio.delta': {
        const pcm = base64ToPcm(parsed.event.delta);
        s.audioProduced = true;
        this.#received.set(parsed.event.item_id, (this.#received.get(parsed.event.item_id) ?? 0) + pcm.length);
        L.audio(parsed.event.item_id, parsed.event.response_id, pcm);
        break;
      }
      case 'response.output_audio.done':
        L.audioDone(parsed.event.item_id);
        break;
      case 'response.output_audio_transcript.delta':
        L.transcriptDelta('assistant', parsed.event.item_id, parsed.event.delta);
        break;
      case 'response.output_audio_transcript.done':
        L.transcriptDone('assistant', parsed.event.item_id, parsed.event.transcript);
        break;
      case 'response.output_text.delta':
        L.outputText(parsed.event.item_id, parsed.event.response_id, parsed.event.delta, false);
        break;
      case 'response.output_text.done':
        L.outputText(parsed.event.item_id, parsed.event.response_id, parsed.event.text, true);
        break;
      case 'response.function_call_arguments.done': {
        const e = parsed.event;
        this.#emitCall(e.call_id, e.name ?? null, e.arguments, e.item_id, e.response_id);
        break;
      }
      case 'response.output_item.done': {
        const item = parsed.event.item;
        if (item.type === 'function_call' && item.call_id && typeof item.arguments === 'string') {
          this.#emitCall(item.call_id, item.name ?? null, item.arguments, item.id ?? '', parsed.event.response_id);
        }
        this.#emitApproval(item, parsed.event.response_id);
        break;
      }
      case 'conversation.item.done': {
        const item = parsed.event.item;
        if (item.type === 'mcp_list_tools' && item.server_label && item.tools) {
          this.#mcpToolHints.set(item.server_label, new Map(item.tools.map((t) => [t.name, t.annotations ?? {}])));
        }
        break;
      }
      case 'response.done':
        this.#onResponseDone(parsed.event);
        break;
      case 'rate_limits.updated':
        L.rateLimits(parsed.event.rate_limits);
        break;
      default:
        break;
    }
  }

  #emitCall(callId: string, name: string | null, args: string, itemId: string, responseId: string): void {
    if (this.#seenCalls.has(callId)) return;
    if (!name) return; // output_item.done carries the name; wait for it
    this.#seenCalls.add(callId);
    if (this.#socket) this.#calls.set(callId, { name, argumentsJson: args, socket: this.#socket });
    if (this.#calls.size > SENT_MEMORY) {
      const oldest = this.#calls.keys().next().value;
      if (oldest !== undefined) this.#calls.delete(oldest);
    }
    this.#deps.listener.functionCall({ callId, name, argumentsJson: args, itemId, responseId });
  }

  /** An mcp_approval_request item (native MCP): handed on once, with the hints its server's tool list gave. */
  #emitApproval(item: ServerEvent<'response.output_item.done'>['item'], responseId: string): void {
    if (item.type !== 'mcp_approval_request' || !item.id || !item.name || !item.server_label || this.#seenApprovals.has(item.id)) return;
    this.#seenApprovals.add(item.id);
    const hints = this.#mcpToolHints.get(item.server_label)?.get(item.name);
    const annotations = hints
      ? {
          ...(typeof hints.readOnlyHint === 'boolean' ? { readOnlyHint: hints.readOnlyHint } : {}),
          ...(typeof hints.destructiveHint === 'boolean' ? { destructiveHint: hints.destructiveHint } : {}),
        }
      : undefined;
    this.#deps.listener.mcpApprovalRequest?.({
      id: item.id,
      serverLabel: item.server_label,
      name: item.name,
      argumentsJson: item.arguments ?? '{}',
      ...(annotations ? { annotations } : {}),
      responseId,
    });
  }

  #onResponseDone(e: ServerEvent<'response.done'>): void {
    const output = e.response.output ?? [];
    for (const item of output) {
      if (item.type === 'function_call' && item.call_id && typeof item.arguments === 'string') {
        this.#emitCall(item.call_id, item.name ?? null, item.arguments, item.id ?? '', e.response.id);
      }
      this.#emitApproval(item, e.response.id);
    }
    this.#responseActive = false;
    this.#currentResponseId = null;
    const usage = usageFromResponse(e.response.usage);
    const model = this.describeModel();
    this.#deps.listener.responseDone({
      responseId: e.response.id,
      status: e.response.status ?? 'completed',
      usage,
      cost: costOf(usage, model),
      model,
      // An approval request also waits for an answer and a follow-up response, like a function call.
      hadFunctionCalls: output.some((i) => i.type === 'function_call' || (i.type === 'mcp_approval_request' && this.#deps.listener.mcpApprovalRequest !== undefined)),
      messageItemIds: output.filter((i) => i.type === 'message' && i.id).map((i) => i.id as string),
    });
    const next = this.#queuedResponses.shift();
    if (next) {
      this.#responseActive = true;
      this.#send(responseCreate(next));
    }
  }

  /** session.update for this config, with a refused transcription model replaced by its fallback. */
  #session(config: VoiceConfig, handsFreeOpen: boolean, includeVoice: boolean): SessionWire {
    const fb = this.#transcriptionFallback;
    const transcriptionModel = fb && config.transcription?.model === fb.refused ? fb.using : undefined;
    return buildSession(config, [...this.#deps.tools(), ...(this.#deps.nativeTools?.() ?? [])], { handsFreeOpen, includeVoice, ...(transcriptionModel ? { transcriptionModel } : {}) });
  }

  /**
   * The service refused the configured transcription model in our session.update (an
   * invalid_request_error whose param names session.audio.input.transcription[.model]; the whole
   * update is then not applied): send the update again with the fallback model, and say so once.
   * Returns false when the error is something else (or the fallback itself was refused).
   */
  #fallBackTranscription(causeType: string | null, e: ServerEvent<'error'>): boolean {
    if (causeType !== 'session.update' || !/transcription(\.model)?$/.test(e.error.param ?? '')) return false;
    const config = this.#deps.config();
    const refused = config.transcription?.model;
    const using = config.transcription?.fallbackModel;
    if (!refused || !using || refused === using || this.#transcriptionFallback?.refused === refused) return false;
    this.#transcriptionFallback = { refused, using };
    this.#deps.logger.warn('realtime: transcription model refused, falling back', { refused, using, message: redact(e.error.message ?? '') });
    this.#send({ type: 'session.update', session: this.#session(config, this.#deps.handsFreeOpen(), !(this.#socket?.audioProduced ?? false)) });
    this.#deps.listener.error({ code: 'transcription_model_fallback', message: `${refused} was refused; using ${using}.`, causeType, benign: false, fatal: false });
    return true;
  }

  #onErrorEvent(s: Socket, e: ServerEvent<'error'>): void {
    const code = e.error.code ?? null;
    const causeId = e.error.event_id ?? null;
    const causeType = causeId ? (this.#sent.get(causeId) ?? null) : null;
    if (this.#fallBackTranscription(causeType, e)) return;
    const message = redact(e.error.message ?? 'Unknown error from the Realtime service.');
    const fatal = isFatalCode(code);
    const benign = isBenignCode(code);
    this.#deps.logger[benign ? 'info' : 'warn']('realtime: server error', { code, causeType, causeId, message });
    if (code === 'conversation_already_has_active_response' && causeType === 'response.create') {
      // Our response.create raced an active response: run it after that one's response.done.
      this.#responseActive = true;
      this.#queuedResponses.push((causeId ? this.#sentResponses.get(causeId) : undefined) ?? {});
    }
    if (code === 'response_cancel_not_active') this.#responseActive = false;
    if (causeType === 'response.create' && code !== 'conversation_already_has_active_response') {
      // Our response.create was refused (rate limit, invalid…): no response is coming for it.
      this.#responseActive = false;
      const next = this.#queuedResponses.shift();
      if (next) this.requestResponse(next);
    }
    if (code === SESSION_EXPIRED_CODE) {
      s.expired = true;
      // The server closes with 1001; if it does not, close it ourselves so the renewal starts.
      this.#deps.clock.setTimeout(() => {
        if (this.#socket === s) s.rt.socket.terminate();
      }, 2000);
    }
    if (fatal) {
      this.#fatal = true;
      this.#pending = [];
      this.#turnAudio = [];
    }
    this.#deps.listener.error({ code, message, causeType, benign, fatal });
    if (fatal) {
      s.intent = 'closing';
      this.#socket = null;
      this.#stopPing();
      this.#responseActive = false;
      this.#deps.listener.connection('failed', { reason: code ?? 'fatal' });
      this.#safeClose(s, 1000, 'fatal');
    }
  }
}

/**
 * The response.create event: plain for a spoken answer (the session's `output_modalities`), or with
 * `response.output_modalities: ['text']` for a text-only answer (RealtimeResponseCreateParams in
 * openai/resources/realtime/realtime.d.ts: "output_modalities?: Array<'text' | 'audio'>").
 */
function responseCreate(options: ResponseOptions): OutgoingEvent {
  return options.textOnly ? { type: 'response.create', response: { output_modalities: ['text'] } } : { type: 'response.create' };
}

/** A transport failure in words a person can act on ("getaddrinfo ENOTFOUND host" → the host was not found). */
export function describeTransportError(message: string): string {
  const dns = /getaddrinfo (ENOTFOUND|EAI_AGAIN) (\S+)/.exec(message);
  if (dns) return `${dns[2]}: the host name could not be resolved (DNS ${dns[1]})`;
  const refused = /connect ECONNREFUSED (\S+)/.exec(message);
  if (refused) return `${refused[1]}: connection refused`;
  const http = /Unexpected server response: (\d+)/.exec(message);
  if (http) return `the server answered HTTP ${http[1]}`;
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}
