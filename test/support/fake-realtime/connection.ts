/**
 * One Realtime WebSocket session in the fake: validates each client event against the
 * SDK-derived schema, keeps the session, input buffer, VAD and conversation, and answers
 * the way the service does (events, error codes, session expiry).
 */
import type { WebSocket } from 'ws';
import { base64ToPcm16, PcmBuffer } from './audio.ts';
import { Conversation } from './conversation.ts';
import type { ConversationEntry, EntryKind } from './conversation.ts';
import { errors } from './errors.ts';
import { contentImageTokens } from './images.ts';
import type { ErrorBody } from './errors.ts';
import type { IdMaker } from './ids.ts';
import type { Recorder } from './recorder.ts';
import { ResponseRun } from './responder.ts';
import { FakeMcp } from './mcp.ts';
import type { McpCallScript, McpListedTool } from './mcp.ts';
import type { ResponsePlan } from './responder.ts';
import { clientEventIssues, validateServerEvent } from './schema.ts';
import { defaultSession, isObject, mergeSession, sessionView } from './session-config.ts';
import type { JsonObject } from './session-config.ts';
import type { RealtimeEventJson, ToolCallScript } from './types.ts';
import { EnergyVad } from './vad.ts';
import type { VadSettings } from './vad.ts';

/** Scripted faults and replies, shared by every connection of one fake server. */
export interface SharedState {
  ids: IdMaker;
  recorder: Recorder;
  speedup: number;
  deltaMs: number;
  transcriptionDelayMs: number;
  /** FakeRealtimeOptions.transcriptionAfterReplyStarts. */
  transcriptionAfterReplyStarts: boolean;
  sessionMaxMs: number;
  cacheMinimumTokens: number;
  reply: { samples: Int16Array; transcript: string };
  userTranscript: string;
  toolCalls: ToolCallScript[];
  dropAfterDeltas: number | null;
  slowFirstByteMs: number;
  /** Fixed wait before the first audio delta of every audio response (FakeRealtimeOptions.modelDelayMs). */
  modelDelayMs: number;
  rateLimitNext: boolean;
  responsesDone: number;
  tokensUsed: number;
  /** Rewrites the outgoing stream (duplicates, holds back, reorders); null: events go as they are. */
  intercept: ((event: RealtimeEventJson) => RealtimeEventJson[]) | null;
  /** Frames sent as they are with sendRaw. */
  rawSent: string[];
  /** Transcription models a session.update may not name (FakeRealtimeOptions.refuseTranscriptionModels). */
  refusedTranscriptionModels: Set<string>;
  /** Remote MCP (mcp.ts): calls the next responses make, and the tools each server label lists. */
  mcpCalls: McpCallScript[];
  mcpTools: (serverLabel: string) => McpListedTool[];
}

const MIN_COMMIT_MS = 100;

/** Server events that show a reply has started (or ended): held transcriptions may follow them. */
const REPLY_STARTED = new Set(['response.output_audio_transcript.delta', 'response.output_text.delta', 'response.done']);

/** The transcription model a session.update names, when it is one of the refused ones. */
function refusedTranscriptionModel(update: JsonObject, refused: Set<string>): string | null {
  const audio = update['audio'];
  const input = isObject(audio) ? audio['input'] : null;
  const transcription = isObject(input) ? input['transcription'] : null;
  const model = isObject(transcription) ? transcription['model'] : null;
  return typeof model === 'string' && refused.has(model) ? model : null;
}

export class FakeConnection {
  readonly id: number;
  private readonly ws: WebSocket;
  private readonly shared: SharedState;
  private readonly model: string;
  private session: JsonObject;
  private readonly conversation = new Conversation();
  private readonly conversationId: string;
  private readonly buffer = new PcmBuffer();
  private vad: EnergyVad | null = null;
  private vadItemId: string | null = null;
  private run: ResponseRun | null = null;
  private readonly mcp: FakeMcp;
  private timers = new Set<NodeJS.Timeout>();
  private heldTranscriptions: (() => void)[] = [];
  private closed = false;

  constructor(ws: WebSocket, id: number, model: string, shared: SharedState) {
    this.ws = ws;
    this.id = id;
    this.model = model;
    this.shared = shared;
    this.conversationId = shared.ids.next('conv');
    this.mcp = new FakeMcp(shared.ids, shared.mcpTools);
    this.session = defaultSession({
      id: shared.ids.next('sess'),
      model,
      expiresAt: Math.floor((Date.now() + shared.sessionMaxMs) / 1000),
    });
    this.configureVad();
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : String(data)));
    ws.on('close', () => this.onClosed());
    ws.on('error', () => this.onClosed());
    this.later(shared.sessionMaxMs, () => this.expire());
    this.send({ type: 'session.created', session: this.session });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  // ---- outgoing ----

  send(event: RealtimeEventJson): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const { type, ...rest } = event;
    const full: RealtimeEventJson = { type, event_id: this.shared.ids.next('event'), ...rest };
    const problems = validateServerEvent(full);
    if (problems.length > 0) this.shared.recorder.schemaErrors.push({ side: 'server', connection: this.id, event: full, errors: problems });
    this.shared.recorder.record('sent', this.id, full);
    const out = this.shared.intercept ? this.shared.intercept(full) : [full];
    for (const e of out) this.ws.send(JSON.stringify(e));
    if (REPLY_STARTED.has(type)) this.releaseTranscriptions();
  }

  /** Transcriptions held for the reply to start (transcriptionAfterReplyStarts) go on their way. */
  private releaseTranscriptions(): void {
    const held = this.heldTranscriptions.splice(0);
    for (const deliver of held) deliver();
  }

  /** A text frame exactly as given (the faults about invalid input). */
  sendRaw(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.shared.rawSent.push(text);
    this.ws.send(text);
  }

  sendError(error: ErrorBody): void {
    this.send({ type: 'error', error });
  }

  /** Error session_expired, then close 1001. */
  expire(): void {
    if (this.closed) return;
    this.sendError(errors.sessionExpired());
    this.run?.abort();
    this.ws.close(1001, 'Session expired');
    this.onClosed();
  }

  closeNormally(): void {
    if (this.closed) return;
    this.ws.close(1000, 'Server shutting down');
    this.onClosed();
  }

  // ---- incoming ----

  private onMessage(text: string): void {
    if (this.closed) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed) || typeof parsed['type'] !== 'string') {
      this.shared.recorder.record('received', this.id, { type: '<unparseable>', raw: text.slice(0, 200) });
      this.sendError(errors.invalidJson());
      return;
    }
    const event = parsed as RealtimeEventJson;
    this.shared.recorder.record('received', this.id, event);
    const eventId = typeof event.event_id === 'string' ? event.event_id : null;
    const issues = clientEventIssues(event);
    if (issues.length > 0) {
      this.shared.recorder.schemaErrors.push({ side: 'client', connection: this.id, event, errors: issues.map((i) => i.message) });
      const first = issues[0];
      if (first) this.sendError({ type: 'invalid_request_error', code: first.code, message: first.message, param: first.param || null, event_id: eventId });
      return;
    }
    this.dispatch(event, eventId);
  }

  private dispatch(e: RealtimeEventJson, eventId: string | null): void {
    switch (e.type) {
      case 'session.update':
        return this.onSessionUpdate(isObject(e['session']) ? e['session'] : {}, eventId);
      case 'input_audio_buffer.append':
        return this.onAppend(typeof e['audio'] === 'string' ? e['audio'] : '');
      case 'input_audio_buffer.commit':
        return this.onCommit(eventId);
      case 'input_audio_buffer.clear':
        this.buffer.clear();
        this.vad?.resetTurn();
        this.vadItemId = null;
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'response.create':
        return this.onResponseCreate(isObject(e['response']) ? e['response'] : {}, eventId);
      case 'response.cancel':
        return this.onResponseCancel(typeof e['response_id'] === 'string' ? e['response_id'] : null, eventId);
      case 'conversation.item.create':
        return this.onItemCreate(e, eventId);
      case 'conversation.item.truncate':
        return this.onTruncate(String(e['item_id']), Number(e['content_index']), Number(e['audio_end_ms']), eventId);
      case 'conversation.item.delete':
        return this.onDelete(String(e['item_id']), eventId);
      case 'conversation.item.retrieve': {
        const entry = this.conversation.find(String(e['item_id']));
        if (!entry) return this.sendError(errors.retrieveUnknown(String(e['item_id']), eventId));
        return this.send({ type: 'conversation.item.retrieved', item: structuredClone(entry.item) });
      }
      case 'output_audio_buffer.clear':
        return this.sendError(errors.webrtcOnly(e.type, eventId));
      default:
        return this.sendError({ type: 'invalid_request_error', code: 'invalid_value', message: `Invalid value: '${e.type}'.`, param: 'type', event_id: eventId });
    }
  }

  private onSessionUpdate(update: JsonObject, eventId: string | null): void {
    const refused = refusedTranscriptionModel(update, this.shared.refusedTranscriptionModels);
    if (refused !== null) return this.sendError(errors.transcriptionModelRefused(refused, eventId));
    const merged = mergeSession(this.session, update, { audioProduced: this.conversation.hasAssistantAudio() });
    if (merged.error) {
      return this.sendError({ type: 'invalid_request_error', code: merged.error.code, message: merged.error.message, param: merged.error.param, event_id: eventId });
    }
    this.session = merged.session;
    this.configureVad();
    this.send({ type: 'session.updated', session: this.session });
    this.mcp.listServers(sessionView(this.session).tools, {
      send: (event) => this.send(event as RealtimeEventJson),
      insert: (item, text) =>
        this.conversation.insert({ id: String(item['id']), kind: 'mcp', item, audioMs: 0, generatedAudioMs: 0, text, countedSignature: null }, null) ?? null,
    });
  }

  private configureVad(): void {
    const td = sessionView(this.session).turnDetection;
    if (!td) {
      this.vad = null;
      return;
    }
    const num = (k: string, d: number): number => (typeof td[k] === 'number' ? td[k] : d);
    // semantic_vad behaves like server_vad here, with a silence that follows its eagerness.
    const eager = td['eagerness'];
    const semanticSilence = eager === 'high' ? 300 : eager === 'low' ? 1200 : 700;
    const settings: VadSettings = {
      threshold: num('threshold', 0.5),
      prefixPaddingMs: num('prefix_padding_ms', 300),
      silenceDurationMs: td['type'] === 'semantic_vad' ? semanticSilence : num('silence_duration_ms', 500),
    };
    if (this.vad) this.vad.configure(settings);
    else this.vad = new EnergyVad(settings);
  }

  private onAppend(b64: string): void {
    const samples = base64ToPcm16(b64);
    this.buffer.append(samples);
    if (!this.vad) return;
    const td = sessionView(this.session).turnDetection;
    for (const edge of this.vad.push(samples)) {
      if (edge.kind === 'speech_started') {
        this.vadItemId = this.shared.ids.next('item');
        this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: edge.audioStartMs, item_id: this.vadItemId });
        if (this.run && td?.['interrupt_response'] !== false) this.run.cancel('turn_detected');
      } else {
        const itemId = this.vadItemId ?? this.shared.ids.next('item');
        this.vadItemId = null;
        this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: edge.audioEndMs, item_id: itemId });
        this.commit(itemId);
        if (td?.['create_response'] !== false && !this.run) this.startResponse({});
      }
    }
  }

  private onCommit(eventId: string | null): void {
    if (this.buffer.ms < MIN_COMMIT_MS) return this.sendError(errors.commitEmpty(this.buffer.ms, eventId));
    const itemId = this.vadItemId ?? this.shared.ids.next('item');
    this.vadItemId = null;
    this.vad?.resetTurn();
    this.commit(itemId);
  }

  private commit(itemId: string): void {
    const samples = this.buffer.take();
    const ms = (samples.length / 24000) * 1000;
    const item: JsonObject = {
      id: itemId,
      type: 'message',
      object: 'realtime.item',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    const entry: ConversationEntry = { id: itemId, kind: 'user_audio', item, audioMs: ms, generatedAudioMs: 0, text: '', countedSignature: null };
    const previous = this.conversation.insert(entry, null) ?? null;
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId });
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: structuredClone(item) });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item: structuredClone(item) });
    if (sessionView(this.session).transcription) this.transcribe(entry, this.shared.userTranscript, ms);
  }

  private transcribe(entry: ConversationEntry, transcript: string, ms: number): void {
    const words = transcript.split(/(?<=\s)/);
    if (this.shared.transcriptionAfterReplyStarts) {
      this.heldTranscriptions.push(() => this.deliverTranscription(entry, transcript, words, ms));
      return;
    }
    this.deliverTranscription(entry, transcript, words, ms);
  }

  private deliverTranscription(entry: ConversationEntry, transcript: string, words: string[], ms: number): void {
    this.later(this.shared.transcriptionDelayMs, () => {
      for (const w of words) {
        this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: entry.id, content_index: 0, delta: w });
      }
      const content = entry.item['content'];
      if (Array.isArray(content) && isObject(content[0])) content[0]['transcript'] = transcript;
      const audioTokens = Math.ceil(ms / 100);
      const textOut = Math.ceil(transcript.length / 4);
      this.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: entry.id,
        content_index: 0,
        transcript,
        usage: {
          type: 'tokens',
          input_tokens: audioTokens,
          output_tokens: textOut,
          total_tokens: audioTokens + textOut,
          input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
        },
      });
    });
  }

  private onResponseCreate(params: JsonObject, eventId: string | null): void {
    if (this.shared.rateLimitNext) {
      this.shared.rateLimitNext = false;
      return this.sendError(errors.rateLimited(this.model, eventId));
    }
    if (this.run) return this.sendError(errors.activeResponse(this.run.id, eventId));
    this.startResponse(params);
  }

  private onResponseCancel(responseId: string | null, eventId: string | null): void {
    if (!this.run || (responseId !== null && responseId !== this.run.id)) return this.sendError(errors.cancelNotActive(eventId));
    this.run.cancel('client_cancelled');
  }

  private startResponse(params: JsonObject): void {
    const view = sessionView(this.session);
    const instructions = typeof params['instructions'] === 'string' ? params['instructions'] : view.instructions;
    const tools = Array.isArray(params['tools']) ? params['tools'] : view.tools;
    const modalities = Array.isArray(params['output_modalities']) ? params['output_modalities'] : view.outputModalities;
    const mcp = this.mcp.nextStep(tools, this.shared.mcpCalls);
    const scripted = mcp ? undefined : this.shared.toolCalls.shift();
    const reply = this.replyFor();
    const mcpReply =
      mcp?.kind === 'call'
        ? mcp.script.error !== undefined
          ? `${mcp.script.name} failed: ${mcp.script.error}`
          : `Here is what ${mcp.script.name} found: ${(mcp.script.output ?? 'done').slice(0, 120)}`
        : mcp?.kind === 'declined'
          ? `I did not run ${mcp.script.name}${mcp.reason ? ` (${mcp.reason})` : ''}.`
          : null;
    const plan: ResponsePlan = {
      kind: mcp?.kind === 'approval_request' ? 'mcp_approval_request' : scripted ? 'function_call' : modalities.includes('audio') ? 'audio' : 'text',
      mcpApprovalItem: mcp?.kind === 'approval_request' ? mcp.item : null,
      mcpCall: mcp?.kind === 'call' ? { item: mcp.item, output: mcp.script.output ?? 'done', error: mcp.script.error ?? null } : null,
      transcript: mcpReply ?? reply.transcript,
      samples: reply.samples,
      toolCall: scripted
        ? {
            name: scripted.name,
            arguments: typeof scripted.arguments === 'string' ? scripted.arguments : JSON.stringify(scripted.arguments),
            callId: scripted.callId ?? this.shared.ids.next('call'),
          }
        : null,
      slowFirstByteMs: 0,
      dropAfterDeltas: null,
      inConversation: params['conversation'] !== 'none',
      metadata: isObject(params['metadata']) ? params['metadata'] : null,
      voice: view.voice,
      head: instructions + (tools.length > 0 ? JSON.stringify(tools) : ''),
      speedup: this.shared.speedup,
      deltaMs: this.shared.deltaMs,
      cacheMinimumTokens: this.shared.cacheMinimumTokens,
    };
    if (plan.kind === 'audio') {
      plan.slowFirstByteMs = this.shared.slowFirstByteMs + this.shared.modelDelayMs;
      this.shared.slowFirstByteMs = 0;
      plan.dropAfterDeltas = this.shared.dropAfterDeltas;
      this.shared.dropAfterDeltas = null;
    }
    const run = new ResponseRun(
      {
        ids: this.shared.ids,
        conversation: this.conversation,
        conversationId: this.conversationId,
        send: (ev) => this.send(ev),
        dropSocket: () => this.drop(),
        finished: (r) => {
          if (this.run === r) this.run = null;
          this.shared.responsesDone += 1;
        },
        rateLimits: (used) => {
          this.shared.tokensUsed += used;
          return [
            { name: 'requests', limit: 5000, remaining: Math.max(0, 5000 - this.shared.responsesDone - 1), reset_seconds: 0.012 },
            { name: 'tokens', limit: 400000, remaining: Math.max(0, 400000 - this.shared.tokensUsed), reset_seconds: 0.9 },
          ];
        },
      },
      plan,
    );
    this.run = run;
    run.start();
  }

  /** The reply: after a function call output, it quotes that output; otherwise the scripted reply. */
  private replyFor(): { samples: Int16Array; transcript: string } {
    const last = this.conversation.entries.at(-1);
    if (last?.kind === 'function_call_output') {
      const output = typeof last.item['output'] === 'string' ? last.item['output'] : '';
      return { samples: this.shared.reply.samples, transcript: `Here is what I found: ${output.slice(0, 120)}` };
    }
    return this.shared.reply;
  }

  private onItemCreate(e: RealtimeEventJson, eventId: string | null): void {
    const raw = e['item'];
    if (!isObject(raw)) return;
    const item: JsonObject = structuredClone(raw);
    const id = typeof item['id'] === 'string' ? item['id'] : this.shared.ids.next('item');
    if (this.conversation.find(id)) return this.sendError(errors.duplicateItem(id, eventId));
    item['id'] = id;
    // MCP items have no object or status field (RealtimeMcpApprovalResponse: additionalProperties false).
    if (item['type'] !== 'mcp_approval_response') {
      item['object'] = 'realtime.item';
      item['status'] = 'completed';
    }
    let kind: EntryKind = 'user_text';
    let text = '';
    if (item['type'] === 'mcp_approval_response') {
      const refused = this.mcp.answer(item);
      if (refused !== null) return this.sendError({ type: 'invalid_request_error', code: 'invalid_value', message: refused, param: 'item.approval_request_id', event_id: eventId });
      kind = 'mcp';
      text = String(item['approve']);
    } else if (item['type'] === 'function_call_output') {
      const callId = String(item['call_id']);
      const call = this.conversation.entries.find((x) => x.kind === 'function_call' && x.item['call_id'] === callId);
      if (!call) return this.sendError(errors.unknownCallId(callId, eventId));
      kind = 'function_call_output';
      text = String(item['output']);
    } else if (item['type'] === 'function_call') {
      kind = 'function_call';
      text = String(item['arguments']);
    } else if (item['type'] === 'message') {
      const role = item['role'];
      kind = role === 'assistant' ? 'assistant_text' : role === 'system' ? 'system' : 'user_text';
      const content = Array.isArray(item['content']) ? item['content'] : [];
      text = content
        .map((c) => (isObject(c) ? String(c['text'] ?? c['transcript'] ?? '') : ''))
        .join(' ')
        .trim();
    }
    let imageTokens = 0;
    if (kind === 'user_text' && Array.isArray(item['content'])) {
      const images = contentImageTokens(item['content']);
      if ('error' in images) return this.sendError(errors.invalidImage(images.error, eventId));
      imageTokens = images.tokens;
    }
    const prevParam = e['previous_item_id'];
    const previous = this.conversation.insert(
      { id, kind, item, audioMs: 0, generatedAudioMs: 0, text, countedSignature: null, imageTokens },
      typeof prevParam === 'string' ? prevParam : null,
    );
    if (previous === undefined) return this.sendError(errors.previousUnknown(String(prevParam), eventId));
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: structuredClone(item) });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item: structuredClone(item) });
  }

  private onTruncate(itemId: string, contentIndex: number, audioEndMs: number, eventId: string | null): void {
    const entry = this.conversation.find(itemId);
    if (!entry) return this.sendError(errors.truncateUnknown(itemId, eventId));
    if (entry.kind !== 'assistant_audio' || entry.generatedAudioMs <= 0) return this.sendError(errors.truncateNotAudio(eventId));
    if (contentIndex !== 0) return this.sendError(errors.truncateContentIndex(eventId));
    if (audioEndMs > entry.generatedAudioMs) return this.sendError(errors.truncateTooLong(entry.generatedAudioMs, audioEndMs, eventId));
    entry.audioMs = audioEndMs;
    entry.text = '';
    // The service drops the server-side transcript so the context holds only what was heard.
    const content = entry.item['content'];
    if (Array.isArray(content) && isObject(content[0])) content[0]['transcript'] = '';
    this.send({ type: 'conversation.item.truncated', item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs });
  }

  private onDelete(itemId: string, eventId: string | null): void {
    if (!this.conversation.remove(itemId)) return this.sendError(errors.deleteUnknown(itemId, eventId));
    this.send({ type: 'conversation.item.deleted', item_id: itemId });
  }

  // ---- lifecycle ----

  /** Destroys the TCP socket: no close frame, the client sees 1006. */
  drop(): void {
    this.ws.terminate();
    this.onClosed();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.run?.abort();
    this.run = null;
  }
}
