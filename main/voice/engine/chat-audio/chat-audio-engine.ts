/**
 * The Chat Completions audio engine: one HTTP request per response. A spoken turn's PCM becomes a WAV
 * `input_audio` part; the request and its streamed answer (audio, transcript, tool calls) are
 * chat-audio-request.ts, a round's bookkeeping and summary chat-audio-round.ts. The conversation it
 * re-sends each time, with audio ids and the heard part of an interrupted answer, is conversation.ts;
 * the user's own words come from a parallel transcription (user-transcript.ts).
 *
 * There is no connection (http/connectionless.ts): the engine reports `open` once it is used and stays
 * open unless an account error (invalid key, no quota) makes it fail; the next use tries again. Every
 * response's request is aborted on barge-in (its AbortController), which still reports the response
 * as `cancelled` with the usage estimated from what was sent and arrived (http/usage-estimate.ts; its
 * cost is marked estimated).
 *
 * Hands-free: a local energy VAD (http/turn-input.ts) on the pushed audio starts and ends turns while
 * the session holds hands-free open, and a voice heard while the assistant answers cancels the
 * answer, as the Realtime service's `interrupt_response` does.
 */
import type { VoiceConfig } from '../../config.ts';
import { base64ToPcm, SAMPLE_RATE, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { encodeWavPcm16 } from '../../audio/wav.ts';
import type { EngineDeps, EngineError, HistoryEntry, ResponseOptions, UserImage, VoiceEngine } from '../engine.ts';
import { Connectionless } from '../http/connectionless.ts';
import { newId } from '../http/ids.ts';
import { DEFAULT_STAGE_OPTIONS } from '../http/stage-client.ts';
import { MIN_TURN_SAMPLES, tooShortError, TurnInput } from '../http/turn-input.ts';
import { ChatAudioConversation } from './conversation.ts';
import type { Entry } from './conversation.ts';
import { cancelledSummary, completedSummary, failedSummary, newRound, settleEntry } from './chat-audio-round.ts';
import type { Round, RoundKind, Turn } from './chat-audio-round.ts';
import { DEFAULT_STREAM_IDLE_MS, pictureOfRunningTurn, requestAnswer } from './chat-audio-request.ts';
import type { ChatAudioEngineOptions, RequestContext } from './chat-audio-request.ts';
import type { StreamResult } from './stream-reader.ts';
import { ReceivedAnswers } from './received-answers.ts';
import { UserTranscripts } from './user-transcript.ts';

export class ChatAudioEngine implements VoiceEngine {
  readonly kind = 'chat-audio' as const;
  readonly #deps: EngineDeps;
  readonly #conversation = new ChatAudioConversation();
  readonly #input: TurnInput;
  readonly #link: Connectionless;
  readonly #request: RequestContext;
  readonly #transcripts = new UserTranscripts();
  #turn: Turn | null = null;
  #round: Round | null = null;
  /** Responses asked for while one runs (never in the session's normal flow), started in order. */
  #queued: (() => void)[] = [];
  readonly #received = new ReceivedAnswers();

  constructor(deps: EngineDeps, options: ChatAudioEngineOptions = {}) {
    this.#deps = deps;
    this.#link = new Connectionless(deps.listener);
    this.#input = new TurnInput(
      deps.config().handsFree,
      {
        speechStarted: () => {
          // The session barges in on its own (player stopped, truncated to what was heard) but leaves
          // the cancel to the server, as the Realtime service's interrupt_response does: here, us.
          deps.listener.speechStarted();
          if (this.#round) this.cancelResponse();
        },
        speechStopped: () => deps.listener.speechStopped(),
        turn: (pcm) => this.#commit(pcm),
      },
      deps.logger,
    );
    this.#request = {
      deps,
      stageOptions: { ...DEFAULT_STAGE_OPTIONS, ...options.stage },
      streamIdleMs: options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS,
      conversation: this.#conversation,
      current: (round) => this.#round === round,
      audio: (round, b64) => this.#onAudio(round, b64),
      text: (round, delta, kind) => this.#onText(round, delta, kind),
    };
  }

  // ---------- connection-like surface (HTTP is connectionless) ----------

  describeModel(): string {
    return this.#deps.config().chatAudio.model;
  }

  ensureConnected(): void {
    this.#link.ensure();
  }

  isOpen(): boolean {
    return this.#link.isOpen();
  }

  sessionAgeMs(): number | null {
    return null; // nothing to renew
  }

  audioProduced(): boolean {
    return false; // the voice is read per request
  }

  receivedMs(itemId: string): number {
    return this.#received.receivedMs(itemId);
  }

  responseActive(): boolean {
    return this.#round !== null;
  }

  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void {
    // Everything else is read per request; only the local VAD holds settings.
    this.#input.configure(config.handsFree, handsFreeOpen);
  }

  // ---------- audio in ----------

  appendAudio(pcm: Int16Array): void {
    this.#input.append(pcm, this.#deps.handsFreeOpen());
  }

  clearInput(): void {
    this.#input.clear();
  }

  commitAndRespond(): void {
    this.#commit(this.#input.take());
  }

  #commit(pcm: Int16Array): void {
    if (pcm.length < MIN_TURN_SAMPLES) {
      this.#deps.listener.error(tooShortError(pcm.length));
      return;
    }
    const userItemId = newId('item_');
    const wav = encodeWavPcm16(pcm, SAMPLE_RATE);
    const entry: Extract<Entry, { kind: 'user-audio' }> = { kind: 'user-audio', itemId: userItemId, wavBase64: Buffer.from(wav).toString('base64'), transcript: null };
    this.#newTurn(entry);
    this.#deps.listener.inputCommitted(userItemId);
    this.#transcripts.start(
      { wav, audioSeconds: pcm.length / SAMPLE_RATE, config: this.#deps.config(), credentials: this.#deps.credentials, stageOptions: this.#request.stageOptions, logger: this.#deps.logger },
      (text) => {
        entry.transcript = text;
        this.#deps.listener.transcriptDone('user', entry.itemId, text);
      },
    );
    this.#requestRound({ kind: 'voice', userItemId }, false);
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
      this.#conversation.add(pictureOfRunningTurn(this.#deps.config().chatAudio.model, itemId, image, text));
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
    this.#received.set(round.itemId, round.receivedSamples, false);
    if (!e.text && e.toolCalls.length === 0) this.#conversation.remove(e);
    const summary = cancelledSummary(round, this.describeModel(), this.#transcripts.takeCosts());
    this.#deps.logger.info('chat-audio: response cancelled', { responseId: round.responseId, receivedMs: Math.round(round.receivedSamples / SAMPLES_PER_MS) });
    // Asynchronously, like the service's response.done after response.cancel: the session finishes
    // its barge-in step first.
    queueMicrotask(() => this.#deps.listener.responseDone(summary));
    return true;
  }

  truncate(itemId: string, audioEndMs: number): void {
    const e = this.#conversation.assistant(itemId);
    if (!e) return;
    const { heardMs, receivedMs } = this.#received.truncate(e, audioEndMs);
    this.#deps.logger.debug('chat-audio: answer truncated to what was heard', { itemId, heardMs, receivedMs, heardChars: e.heard?.length ?? 0, totalChars: e.text.length });
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
    this.#turn = null;
    this.#transcripts.clearCosts();
    this.#input.clear();
  }

  closeIdle(): void {
    // Nothing stays open between requests; only a request still running is stopped.
    if (this.#round) this.cancelResponse();
  }

  async close(): Promise<void> {
    this.#link.close();
    this.#abortAll();
  }

  #abortAll(): void {
    this.#queued = [];
    const round = this.#round;
    this.#round = null;
    round?.controller.abort();
    this.#transcripts.abortAll();
  }

  // ---------- turns and responses ----------

  #newTurn(user: Entry): void {
    this.#conversation.add(user);
    this.#turn = { user };
  }

  #requestRound(spec: RoundKind, textOnly: boolean): void {
    if (this.#link.closed) return;
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
    const round = newRound(spec, textOnly, this.#turn);
    // In the conversation from the start, so what follows it (a later turn) stays after it.
    this.#conversation.add(round.entry);
    this.#round = round;
    this.#deps.listener.responseStarted(round.responseId);
    void requestAnswer(this.#request, round).then((outcome) => {
      if (outcome.kind === 'answered') this.#completeRound(round, outcome.result);
      else if (outcome.kind === 'failed') this.#failRound(round, outcome.error, outcome.refusedInput);
    });
  }

  #onAudio(round: Round, b64: string): void {
    if (this.#round !== round) return;
    const pcm = base64ToPcm(b64);
    if (pcm.length === 0) return;
    if (round.receivedSamples === 0 && round.sentAt !== null) {
      this.#deps.logger.debug('chat-audio: first audio', { responseId: round.responseId, ms: Math.round(this.#deps.clock.now() - round.sentAt) });
    }
    round.receivedSamples += pcm.length;
    this.#received.set(round.itemId, round.receivedSamples, false);
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
    const e = settleEntry(round, result);
    this.#received.set(round.itemId, round.receivedSamples, true);
    if (result.brokenToolCalls > 0) this.#deps.logger.warn('chat-audio: incomplete tool calls dropped', { count: result.brokenToolCalls });
    if (round.receivedSamples > 0 || result.transcript.length > 0) {
      L.transcriptDone('assistant', round.itemId, result.transcript);
      if (round.receivedSamples > 0) L.audioDone(round.itemId);
    }
    if (result.text) L.outputText(round.itemId, round.responseId, result.text, true);
    if (!e.text && !e.audioId && e.toolCalls.length === 0) this.#conversation.remove(e);
    if (!result.usage) this.#deps.logger.warn('chat-audio: the stream carried no usage; estimated', { responseId: round.responseId });
    const summary = completedSummary(round, result, this.describeModel(), this.#transcripts.takeCosts());
    this.#round = null;
    for (const c of result.toolCalls) {
      L.functionCall({ callId: c.id, name: c.name, argumentsJson: c.arguments, itemId: round.itemId, responseId: round.responseId });
    }
    L.responseDone(summary);
    this.#next();
  }

  /** `refusedInput`: the request itself was refused (400), so the turn's image must not be sent again. */
  #failRound(round: Round, error: EngineError, refusedInput: boolean): void {
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
      this.#queued = [];
      this.#transcripts.abortAll();
    }
    this.#deps.logger.warn('chat-audio: response failed', { code: error.code, fatal: error.fatal });
    L.error(error);
    if (error.fatal) this.#link.fail(error.code ?? 'fatal');
    L.responseDone(failedSummary(round, this.describeModel(), this.#transcripts.takeCosts()));
    this.#next();
  }
}
