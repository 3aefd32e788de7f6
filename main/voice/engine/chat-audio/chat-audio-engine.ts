/**
 * The Chat Completions audio engine: one HTTP request per response. A spoken turn's PCM becomes a WAV
 * `input_audio` part; `chat.completions.create({ model: gpt-audio…, modalities: ['text','audio'],
 * audio: { voice, format: 'pcm16' }, stream: true, stream_options: { include_usage: true }, messages,
 * tools })` streams the answer's audio (base64 PCM16 24 kHz), its transcript and tool calls
 * (stream-reader.ts). The conversation it re-sends each time, with audio ids and the heard part of an
 * interrupted answer, is conversation.ts; the user's own words come from a parallel transcription
 * (user-transcript.ts).
 *
 * There is no connection: the engine reports `open` once it is used and stays open unless an account
 * error (invalid key, no quota) makes it fail; the next use tries again. Every response's requests are
 * aborted on barge-in (their AbortController), which still reports the response as `cancelled` with
 * the usage estimated from what arrived (chat-usage.ts).
 *
 * Hands-free: a local energy VAD (http/local-vad.ts) on the pushed audio starts and ends turns while
 * the session holds hands-free open, and a voice heard while the assistant answers cancels the
 * answer, as the Realtime service's `interrupt_response` does.
 */
import { randomUUID } from 'node:crypto';
import { APIError } from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { FunctionToolDefinition } from '../../../tools/tool-host.ts';
import type { VoiceConfig } from '../../config.ts';
import { base64ToPcm, concatPcm, SAMPLE_RATE, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { encodeWavPcm16 } from '../../audio/wav.ts';
import { emptyUsage } from '../../cost/usage.ts';
import { modelFamily } from '../../cost/models.ts';
import type { EngineDeps, EngineError, HistoryEntry, ResponseOptions, UserImage, VoiceEngine } from '../engine.ts';
import { describeHttpError, isAbort } from '../http/http-errors.ts';
import { LocalVad, vadSettings } from '../http/local-vad.ts';
import { requestControl } from '../http/request-control.ts';
import type { RequestControl } from '../http/request-control.ts';
import { DEFAULT_STAGE_OPTIONS, openStage } from '../http/stage-client.ts';
import type { Stage, StageOptions } from '../http/stage-client.ts';
import { redact } from '../../../base/redact.ts';
import { ChatAudioConversation } from './conversation.ts';
import type { AssistantEntry, Entry } from './conversation.ts';
import { estimateUsage, usageFromCompletion } from './chat-usage.ts';
import { heardText } from './heard-text.ts';
import { chatAudioCost } from './pricing.ts';
import { readChatAudioStream } from './stream-reader.ts';
import type { StreamResult } from './stream-reader.ts';
import { transcribeUserTurn } from './user-transcript.ts';

export interface ChatAudioEngineOptions {
  /** Timeout to the response headers, SDK retries (≤ 2), longest retry-after waited for. */
  stage?: Partial<StageOptions>;
  /** A stream that sends nothing for this long is given up (ms). */
  streamIdleMs?: number;
}

export const DEFAULT_STREAM_IDLE_MS = 30_000;
/** The service refuses to commit under 100 ms (DESIGN §3); the session never sends less, but be safe. */
const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;

/**
 * Models of the family that take no images: OpenAI's model pages for gpt-audio, gpt-audio-1.5 and
 * gpt-audio-mini say "Image: Not supported" (read 2026-12-05). Other models are asked, and a refusal
 * is reported as the service words it.
 */
const NO_IMAGE_MODELS = new Set(['gpt-audio', 'gpt-audio-1.5', 'gpt-audio-mini', 'gpt-4o-audio-preview', 'gpt-4o-mini-audio-preview']);

type RoundKind = { kind: 'voice'; userItemId: string } | { kind: 'text'; userItemId: string } | { kind: 'followup' };

interface Turn {
  user: Entry;
}

interface Round {
  responseId: string;
  itemId: string;
  spec: RoundKind;
  textOnly: boolean;
  turn: Turn | null;
  controller: AbortController;
  /** The answer's entry in the conversation, filled as the stream arrives. */
  entry: AssistantEntry;
  receivedSamples: number;
  /** What was sent (for the usage estimate of a cut-off answer). */
  messages: ChatCompletionMessageParam[] | null;
  /** clock.now() when the request went out / its headers came / its first audio came (debug timings). */
  sentAt: number | null;
  headersAt: number | null;
}

/** The service's 400 for an assistant `audio.id` it does not know or that expired (param `messages.[i].audio.id`). */
function refusedAudioId(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  const param = err.param ?? '';
  return /audio\.id$/.test(param) || /audio with id .*(expired|not found)/i.test(err.message);
}

function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/** FunctionToolDefinition (Realtime shape) → ChatCompletionFunctionTool `{ type, function: { name, description, parameters } }`. */
function chatTool(def: FunctionToolDefinition): ChatCompletionTool {
  return { type: 'function', function: { name: def.name, description: def.description, parameters: def.parameters } };
}

export class ChatAudioEngine implements VoiceEngine {
  readonly kind = 'chat-audio' as const;
  readonly #deps: EngineDeps;
  readonly #stageOptions: StageOptions;
  readonly #streamIdleMs: number;
  readonly #conversation = new ChatAudioConversation();
  #turnAudio: Int16Array[] = [];
  #turn: Turn | null = null;
  #round: Round | null = null;
  /** Responses asked for while one runs (never in the session's normal flow), started in order. */
  #queued: (() => void)[] = [];
  #received = new Map<string, { samples: number; complete: boolean }>();
  #transcriptions = new Set<AbortController>();
  /** Known costs of requests outside a response (the user transcript), added to the next response's cost. */
  #pendingCosts: (number | null)[] = [];
  #announced = false;
  #fatal = false;
  #closed = false;
  #vad: LocalVad;

  constructor(deps: EngineDeps, options: ChatAudioEngineOptions = {}) {
    this.#deps = deps;
    this.#stageOptions = { ...DEFAULT_STAGE_OPTIONS, ...options.stage };
    this.#streamIdleMs = options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
    this.#vad = new LocalVad(vadSettings(deps.config().handsFree), {
      speechStarted: () => this.#onSpeechStarted(),
      speechStopped: (turn) => this.#onSpeechStopped(turn),
    });
  }

  // ---------- connection-like surface (HTTP is connectionless) ----------

  describeModel(): string {
    return this.#deps.config().chatAudio.model;
  }

  ensureConnected(): void {
    if (this.#closed) return;
    this.#fatal = false; // a new explicit use tries again (the key may have been fixed)
    if (this.#announced) return;
    this.#announced = true;
    // Asynchronously, like a socket that opens: the session has finished its own step by then.
    queueMicrotask(() => {
      if (!this.#closed && !this.#fatal) this.#deps.listener.connection('open', {});
    });
  }

  isOpen(): boolean {
    return !this.#closed && !this.#fatal;
  }

  sessionAgeMs(): number | null {
    return null; // nothing to renew
  }

  audioProduced(): boolean {
    return false; // the voice is read per request
  }

  receivedMs(itemId: string): number {
    return (this.#received.get(itemId)?.samples ?? 0) / SAMPLES_PER_MS;
  }

  responseActive(): boolean {
    return this.#round !== null;
  }

  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void {
    // Everything else is read per request; only the local VAD holds settings.
    this.#vad.configure(vadSettings(config.handsFree));
    if (!handsFreeOpen) this.#vad.reset();
  }

  // ---------- audio in ----------

  appendAudio(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    if (this.#deps.handsFreeOpen()) {
      this.#vad.push(pcm);
      return;
    }
    this.#turnAudio.push(pcm);
  }

  clearInput(): void {
    this.#turnAudio = [];
    this.#vad.reset();
  }

  commitAndRespond(): void {
    const pcm = concatPcm(this.#turnAudio);
    this.#turnAudio = [];
    this.#commit(pcm);
  }

  #commit(pcm: Int16Array): void {
    if (pcm.length < MIN_TURN_SAMPLES) {
      // The same benign code the Realtime service sends: the session drops the turn with a hint.
      this.#deps.listener.error({
        code: 'input_audio_buffer_commit_empty',
        message: `Only ${Math.round(pcm.length / SAMPLES_PER_MS)} ms of audio: at least 100 ms is needed.`,
        causeType: 'input_audio_buffer.commit',
        benign: true,
        fatal: false,
      });
      return;
    }
    const userItemId = newId('item');
    const wav = encodeWavPcm16(pcm, SAMPLE_RATE);
    const entry: Extract<Entry, { kind: 'user-audio' }> = { kind: 'user-audio', itemId: userItemId, wavBase64: Buffer.from(wav).toString('base64'), transcript: null };
    this.#newTurn(entry);
    this.#deps.listener.inputCommitted(userItemId);
    this.#transcribe(entry, wav, pcm.length / SAMPLE_RATE);
    this.#requestRound({ kind: 'voice', userItemId }, false);
  }

  #onSpeechStarted(): void {
    // The session barges in on its own (player stopped, truncated to what was heard) but leaves the
    // cancel to the server, as the Realtime service's interrupt_response does it: here, that is us.
    this.#deps.listener.speechStarted();
    if (this.#round) this.cancelResponse();
  }

  #onSpeechStopped(turn: Int16Array[]): void {
    this.#deps.listener.speechStopped();
    const pcm = concatPcm(turn);
    if (pcm.length === 0) {
      // Too short to be speech (a cough, a click): nothing is sent.
      this.#deps.logger.debug('chat-audio: hands-free noise ignored');
      return;
    }
    this.#commit(pcm);
  }

  // ---------- typed turns ----------

  sendUserText(itemId: string, text: string, options: ResponseOptions = {}): void {
    this.#newTurn({ kind: 'user-text', itemId, text });
    this.#requestRound({ kind: 'text', userItemId: itemId }, options.textOnly === true);
  }

  sendUserImage(itemId: string, image: UserImage, text: string | null, options: ResponseOptions = {}): void {
    if (options.respond === false) {
      // A picture that belongs to the running turn (a tool's screen capture): it joins the conversation
      // and goes with the follow-up request the session asks for next. A model that cannot see images
      // gets a line saying so instead, so it can tell the user rather than fail the request.
      const model = this.#deps.config().chatAudio.model;
      this.#conversation.add(
        NO_IMAGE_MODELS.has(modelFamily(model))
          ? { kind: 'user-text', itemId, text: `[A picture was captured for you, but ${model} cannot see images: tell the user to switch engines to show it.]` }
          : { kind: 'user-image', itemId, image, text },
      );
      return;
    }
    this.#newTurn({ kind: 'user-image', itemId, image, text });
    this.#requestRound({ kind: 'text', userItemId: itemId }, options.textOnly === true);
  }

  // ---------- tools ----------

  submitToolOutput(callId: string, output: string): void {
    if (!this.#conversation.setToolOutput(callId, output)) {
      this.#deps.logger.warn('chat-audio: output for an unknown tool call dropped', { callId });
    }
  }

  requestResponse(options: ResponseOptions = {}): void {
    this.#requestRound({ kind: 'followup' }, options.textOnly === true);
  }

  // ---------- barge-in ----------

  cancelResponse(): boolean {
    this.#queued = [];
    const round = this.#round;
    if (!round) return false;
    this.#round = null;
    round.controller.abort();
    const e = round.entry;
    // Until the session says how much was heard (truncate / deleteItem), what arrived counts as
    // heard, and never by audio id: that would give the model the whole answer back.
    e.heard = e.text;
    e.audioId = null;
    this.#received.set(round.itemId, { samples: round.receivedSamples, complete: false });
    if (!e.text && e.toolCalls.length === 0) this.#conversation.remove(e);
    const usage = round.messages ? estimateUsage(round.messages, { audioMs: round.receivedSamples / SAMPLES_PER_MS, textChars: e.text.length }) : emptyUsage();
    const model = this.describeModel();
    const cost = chatAudioCost(model, usage, this.#takePendingCosts());
    const hadMessage = round.receivedSamples > 0 || e.text.length > 0;
    this.#deps.logger.info('chat-audio: response cancelled', { responseId: round.responseId, receivedMs: Math.round(round.receivedSamples / SAMPLES_PER_MS) });
    // Asynchronously, like the service's response.done after response.cancel: the session finishes
    // its barge-in step first.
    queueMicrotask(() => {
      this.#deps.listener.responseDone({
        responseId: round.responseId,
        status: 'cancelled',
        usage,
        cost,
        model,
        hadFunctionCalls: false,
        messageItemIds: hadMessage ? [round.itemId] : [],
      });
    });
    return true;
  }

  truncate(itemId: string, audioEndMs: number): void {
    const e = this.#conversation.assistant(itemId);
    if (!e) return;
    const info = this.#received.get(itemId);
    const receivedMs = (info?.samples ?? 0) / SAMPLES_PER_MS;
    const heardMs = Math.max(0, Math.min(audioEndMs, receivedMs));
    // Chat Completions audio has no speed setting: the voice speaks at its own pace (speed 1).
    e.heard = heardText({ transcript: e.text, heardMs, receivedMs, complete: info?.complete ?? false, speed: 1 });
    e.audioId = null;
    this.#deps.logger.debug('chat-audio: answer truncated to what was heard', { itemId, heardMs, receivedMs, heardChars: e.heard.length, totalChars: e.text.length });
  }

  deleteItem(itemId: string): void {
    const e = this.#conversation.assistant(itemId);
    if (!e) return;
    e.heard = '';
    e.audioId = null;
  }

  // ---------- history ----------

  setHistory(history: HistoryEntry[]): void {
    // The session's text history is what this engine already holds, with less in it (audio ids,
    // tool calls). It is taken only when this engine starts a conversation that another engine had.
    if (this.#conversation.isEmpty() && !this.#round) this.#conversation.replaceWith(history);
  }

  renew(history: HistoryEntry[]): void {
    this.#conversation.replaceWith(history);
    this.#turn = null;
  }

  reset(): void {
    this.#abortAll();
    this.#conversation.clear();
    this.#received.clear();
    this.#turnAudio = [];
    this.#turn = null;
    this.#pendingCosts = [];
    this.#vad.reset();
  }

  closeIdle(): void {
    // Nothing stays open between requests; only a request still running is stopped.
    if (this.#round) this.cancelResponse();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#abortAll();
  }

  #abortAll(): void {
    this.#queued = [];
    const round = this.#round;
    this.#round = null;
    round?.controller.abort();
    for (const c of this.#transcriptions) c.abort();
    this.#transcriptions.clear();
  }

  // ---------- turns and responses ----------

  #newTurn(user: Entry): void {
    this.#conversation.add(user);
    this.#turn = { user };
  }

  #transcribe(entry: Extract<Entry, { kind: 'user-audio' }>, wav: Uint8Array, audioSeconds: number): void {
    const controller = new AbortController();
    this.#transcriptions.add(controller);
    void transcribeUserTurn({
      wav,
      audioSeconds,
      config: this.#deps.config(),
      credentials: this.#deps.credentials,
      stageOptions: this.#stageOptions,
      signal: controller.signal,
      logger: this.#deps.logger,
    }).then((result) => {
      this.#transcriptions.delete(controller);
      if (controller.signal.aborted || !result) return;
      this.#pendingCosts.push(result.usd);
      if (!result.text) return;
      entry.transcript = result.text;
      this.#deps.listener.transcriptDone('user', entry.itemId, result.text);
    });
  }

  #takePendingCosts(): (number | null)[] {
    const costs = this.#pendingCosts;
    this.#pendingCosts = [];
    return costs;
  }

  #requestRound(spec: RoundKind, textOnly: boolean): void {
    if (this.#closed) return;
    if (this.#round) {
      this.#queued.push(() => this.#startRound(spec, textOnly));
      return;
    }
    this.#startRound(spec, textOnly);
  }

  #next(): void {
    const start = this.#queued.shift();
    if (start && !this.#round) start();
  }

  #startRound(spec: RoundKind, textOnly: boolean): void {
    const itemId = newId('item');
    const entry: AssistantEntry = { kind: 'assistant', itemId, audioId: null, expiresAtMs: null, text: '', heard: null, toolCalls: [] };
    // In the conversation from the start, so what follows it (a later turn) stays after it.
    this.#conversation.add(entry);
    const round: Round = {
      responseId: newId('resp'),
      itemId,
      spec,
      textOnly,
      turn: this.#turn,
      controller: new AbortController(),
      entry,
      receivedSamples: 0,
      messages: null,
      sentAt: null,
      headersAt: null,
    };
    this.#round = round;
    this.#deps.listener.responseStarted(round.responseId);
    void this.#runRound(round);
  }

  async #runRound(round: Round): Promise<void> {
    const config = this.#deps.config();
    let stage: Stage;
    try {
      stage = await openStage('chat-audio', this.#deps.credentials, { baseURL: config.chatAudio.baseURL, keySource: 'openai' }, this.#stageOptions);
    } catch (err) {
      if (this.#round !== round) return;
      this.#failRound(round, {
        code: 'missing_credentials',
        message: `No API key: ${redact(err instanceof Error ? err.message : String(err))}`,
        causeType: null,
        benign: false,
        fatal: true,
      });
      return;
    }
    if (this.#round !== round) return;
    const model = config.chatAudio.model;
    const refusal = this.#imageRefusal(round, model);
    if (refusal) {
      this.#failRound(round, refusal, true);
      return;
    }
    const buildMessages = (): ChatCompletionMessageParam[] =>
      this.#conversation.toMessages({
        instructions: config.instructions,
        turnStart: round.turn ? this.#conversation.entries.indexOf(round.turn.user) : this.#conversation.entries.length,
        nowMs: this.#deps.clock.epochMs(),
        replayTurns: config.replayTurns,
      });
    const messages = buildMessages();
    round.messages = messages;
    const tools = this.#deps.tools().map(chatTool);
    const params: ChatCompletionCreateParamsStreaming = {
      model,
      messages,
      // ChatCompletionCreateParamsBase.modalities / audio: audio output needs `audio` with a voice
      // and, when streaming, the format 'pcm16'.
      modalities: round.textOnly ? ['text'] : ['text', 'audio'],
      ...(round.textOnly ? {} : { audio: { voice: config.voice, format: 'pcm16' as const } }),
      stream: true,
      stream_options: { include_usage: true },
      ...(tools.length > 0 ? { tools, tool_choice: config.toolChoice } : {}),
      ...(config.maxOutputTokens !== 'inf' ? { max_completion_tokens: config.maxOutputTokens } : {}),
    };
    const signal = round.controller.signal;
    let phase: 'request' | 'stream' = 'request';
    let control: RequestControl | null = null;
    try {
      const now = this.#deps.clock.now();
      round.sentAt = now;
      if (round.spec.kind === 'voice') this.#deps.listener.commitWritten?.(now);
      else if (round.spec.kind === 'text') this.#deps.listener.userTextWritten?.(round.spec.userItemId, now);
      // Until the headers: the SDK's timeout and retries (stage options). After them: our watchdog.
      let stream;
      try {
        stream = await stage.client.chat.completions.create(params, { signal });
      } catch (err) {
        // An audio id the service no longer knows (its clock, or a shorter life than expires_at
        // said): the answers go as their transcripts instead, once.
        if (!refusedAudioId(err) || this.#round !== round || this.#conversation.forgetAudioIds() === 0) throw err;
        this.#deps.logger.warn('chat-audio: an earlier answer\'s audio id was refused; sending the answers as text', { responseId: round.responseId });
        params.messages = round.messages = buildMessages();
        stream = await stage.client.chat.completions.create(params, { signal });
      }
      phase = 'stream';
      round.headersAt = this.#deps.clock.now();
      this.#deps.logger.debug('chat-audio: response headers', { responseId: round.responseId, ms: Math.round(round.headersAt - now) });
      // A body that goes quiet after its headers would hang the turn for ever: the watchdog aborts
      // the SDK stream's own controller (Stream.controller in openai/core/streaming.d.ts).
      const watch = requestControl(signal, this.#deps.clock, this.#streamIdleMs);
      control = watch;
      const body = stream;
      watch.signal.addEventListener('abort', () => body.controller.abort(), { once: true });
      const result = await readChatAudioStream(body, {
        alive: () => watch.alive(),
        audio: (b64) => this.#onAudio(round, b64),
        transcript: (delta) => this.#onText(round, delta, 'transcript'),
        text: (delta) => this.#onText(round, delta, 'text'),
        malformed: (issues) => this.#deps.logger.warn('chat-audio: malformed chunk skipped', { issues }),
      });
      if (this.#round !== round) return;
      // The SDK's stream ends quietly when its controller is aborted (it swallows the AbortError):
      // a stream that ended because the watchdog fired is a failure, not an answer.
      if (watch.signal.aborted) throw watch.reason(watch.signal.reason);
      this.#completeRound(round, result);
    } catch (err) {
      if (this.#round !== round) return; // cancelled or closed: already reported
      const reason = control ? control.reason(err) : err;
      this.#deps.logger.warn('chat-audio: request failed', { phase, error: redact(reason instanceof Error ? reason.message : String(reason)) });
      // A 400 is about what was sent (an image the model refuses, a part it cannot read).
      const refusedInput = reason instanceof APIError && reason.status === 400;
      const error = isAbort(reason) ? describeHttpError(new Error('the request was aborted'), stage, phase) : describeHttpError(reason, stage, phase);
      this.#failRound(round, error, refusedInput);
    } finally {
      control?.done();
    }
  }

  /** A turn showing an image to a model that takes none: refused before anything is sent. */
  #imageRefusal(round: Round, model: string): EngineError | null {
    if (round.turn?.user.kind !== 'user-image' || !NO_IMAGE_MODELS.has(modelFamily(model))) return null;
    return {
      code: 'image_not_supported',
      message: `${model} cannot see images (OpenAI lists no image input for it). To show the assistant a picture, switch to the Realtime engine or the cascaded engine with a chat model that takes images.`,
      causeType: null,
      benign: false,
      fatal: false,
    };
  }

  #onAudio(round: Round, b64: string): void {
    if (this.#round !== round) return;
    const pcm = base64ToPcm(b64);
    if (pcm.length === 0) return;
    if (round.receivedSamples === 0 && round.sentAt !== null) {
      this.#deps.logger.debug('chat-audio: first audio', { responseId: round.responseId, ms: Math.round(this.#deps.clock.now() - round.sentAt) });
    }
    round.receivedSamples += pcm.length;
    this.#received.set(round.itemId, { samples: round.receivedSamples, complete: false });
    this.#deps.listener.audio(round.itemId, round.responseId, pcm);
  }

  #onText(round: Round, delta: string, kind: 'transcript' | 'text'): void {
    if (this.#round !== round) return;
    round.entry.text += delta;
    if (kind === 'transcript') this.#deps.listener.transcriptDelta('assistant', round.itemId, delta);
    else this.#deps.listener.outputText(round.itemId, round.responseId, delta, false);
  }

  #completeRound(round: Round, result: StreamResult): void {
    const L = this.#deps.listener;
    const e = round.entry;
    e.audioId = result.audioId;
    e.expiresAtMs = result.expiresAtMs;
    e.toolCalls = result.toolCalls;
    e.text = result.transcript || result.text;
    this.#received.set(round.itemId, { samples: round.receivedSamples, complete: true });
    if (result.brokenToolCalls > 0) this.#deps.logger.warn('chat-audio: incomplete tool calls dropped', { count: result.brokenToolCalls });
    const spoken = round.receivedSamples > 0 || result.transcript.length > 0;
    if (spoken) {
      L.transcriptDone('assistant', round.itemId, result.transcript);
      if (round.receivedSamples > 0) L.audioDone(round.itemId);
    }
    if (result.text) L.outputText(round.itemId, round.responseId, result.text, true);
    if (!e.text && !e.audioId && e.toolCalls.length === 0) this.#conversation.remove(e);
    const usage = result.usage
      ? usageFromCompletion(result.usage)
      : estimateUsage(round.messages ?? [], { audioMs: round.receivedSamples / SAMPLES_PER_MS, textChars: e.text.length });
    if (!result.usage) this.#deps.logger.warn('chat-audio: the stream carried no usage; estimated', { responseId: round.responseId });
    const model = this.describeModel();
    this.#round = null;
    for (const c of result.toolCalls) {
      L.functionCall({ callId: c.id, name: c.name, argumentsJson: c.arguments, itemId: round.itemId, responseId: round.responseId });
    }
    L.responseDone({
      responseId: round.responseId,
      // finish_reason 'length' / 'content_filter': the answer was cut by the service.
      status: result.finishReason === 'length' || result.finishReason === 'content_filter' ? 'incomplete' : 'completed',
      usage,
      cost: chatAudioCost(model, usage, this.#takePendingCosts()),
      model,
      hadFunctionCalls: result.toolCalls.length > 0,
      messageItemIds: spoken || result.text ? [round.itemId] : [],
    });
    this.#next();
  }

  /** `refusedInput`: the request itself was refused (400), so the turn's image must not be sent again. */
  #failRound(round: Round, error: EngineError, refusedInput = false): void {
    const L = this.#deps.listener;
    this.#round = null;
    round.controller.abort();
    // The failed answer is not part of the conversation; the question stays (as on the Realtime
    // service, where a failed response leaves the user's item in place).
    this.#conversation.remove(round.entry);
    const turn = round.turn;
    if (turn?.user.kind === 'user-image' && refusedInput) {
      // An image the model refused would make every later request fail too, and its words make no
      // sense without it: the refused message leaves the conversation (the user was told).
      this.#conversation.remove(turn.user);
    }
    if (error.fatal) {
      this.#fatal = true;
      this.#announced = false;
      this.#queued = [];
      for (const c of this.#transcriptions) c.abort();
      this.#transcriptions.clear();
    }
    this.#deps.logger.warn('chat-audio: response failed', { code: error.code, fatal: error.fatal });
    L.error(error);
    if (error.fatal) L.connection('failed', { reason: error.code ?? 'fatal' });
    const usage =
      round.receivedSamples > 0 || round.entry.text.length > 0
        ? estimateUsage(round.messages ?? [], { audioMs: round.receivedSamples / SAMPLES_PER_MS, textChars: round.entry.text.length })
        : emptyUsage();
    const model = this.describeModel();
    L.responseDone({
      responseId: round.responseId,
      status: 'failed',
      usage,
      cost: chatAudioCost(model, usage, this.#takePendingCosts()),
      model,
      hadFunctionCalls: false,
      messageItemIds: [],
    });
    this.#next();
  }
}
