/**
 * The cascaded engine: the turn's audio → `audio/transcriptions` → `chat/completions` (streamed, with
 * the tools, several rounds in a row) → `audio/speech` (24 kHz PCM, streamed), each stage on its own
 * endpoint if the user wants (config.cascaded). The stages of a round are round-stages.ts; what a
 * round holds, says when it fails and costs is cascaded-round.ts.
 *
 * It reports to the session through the same listener as the Realtime engine: one "response" per
 * chat round (responseStarted … responseDone with usage and cost), its own item ids. Requests are
 * sequenced like response.create behind response.done: a response asked for while one runs waits.
 * Barge-in aborts every request of the response; the history then keeps only the heard part of the
 * answer (spoken-answers.ts, from each sentence's place in the audio) marked as interrupted.
 *
 * HTTP has no connection (http/connectionless.ts). Hands-free runs a local energy VAD (http/turn-input.ts).
 */
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions/completions';
import type { VoiceConfig } from '../../config.ts';
import type { EngineDeps, HistoryEntry, ResponseOptions, UserImage, VoiceEngine } from '../engine.ts';
import { SAMPLE_RATE } from '../../audio/pcm.ts';
import { HTTP_PRICES_READ_ON } from '../../cost/http-prices.ts';
import { redact } from '../../../base/redact.ts';
import { openStage } from '../http/stage-client.ts';
import type { Stage, StageEndpoint, StageName } from '../http/stage-client.ts';
import { ChatHistory } from '../http/history.ts';
import { imageContent } from '../http/chat-messages.ts';
import { heardOfSentences } from '../http/heard-text.ts';
import { Connectionless } from '../http/connectionless.ts';
import { newId } from '../http/ids.ts';
import { MIN_TURN_SAMPLES, tooShortError, TurnInput } from '../http/turn-input.ts';
import { DEFAULT_CASCADED_OPTIONS, MissingCredentials, newRound, pricedRound, roundError, stopRound } from './cascaded-round.ts';
import type { CascadedOptions, Job, Round } from './cascaded-round.ts';
import { answerRound, transcribeTurn } from './round-stages.ts';
import type { RoundContext } from './round-stages.ts';
import { SpokenAnswers } from './spoken-answers.ts';

export class CascadedEngine implements VoiceEngine {
  readonly kind = 'cascaded' as const;
  #deps: EngineDeps;
  #options: CascadedOptions;
  #history = new ChatHistory();
  #input: TurnInput;
  #link: Connectionless;
  #jobs: Job[] = [];
  #round: Round | null = null;
  /** Where the current turn began in the history (a failed turn is rolled back to it). */
  #turnMark = 0;
  #spoken = new SpokenAnswers();
  #transcriptionFallback: { refused: string; using: string } | null = null;
  #ctx: RoundContext;

  constructor(deps: EngineDeps, options: Partial<CascadedOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_CASCADED_OPTIONS, ...options };
    this.#link = new Connectionless(deps.listener);
    this.#input = new TurnInput(
      deps.config().handsFree,
      {
        speechStarted: () => {
          deps.listener.speechStarted();
          // Like the service's interrupt_response: the user speaking cancels the answer.
          this.cancelResponse();
        },
        speechStopped: () => deps.listener.speechStopped(),
        turn: (pcm) => this.#enqueue({ kind: 'voice', pcm, options: {} }),
      },
      deps.logger,
    );
    this.#ctx = {
      deps,
      options: this.#options,
      history: this.#history,
      spoken: this.#spoken,
      stage: (name, endpoint) => this.#stage(name, endpoint),
      transcribeModel: () => this.#transcribeModel(),
      fellBack: (refused, using) => {
        this.#transcriptionFallback = { refused, using };
      },
    };
  }

  // ---------- connection (none: HTTP) ----------

  describeModel(): string {
    const c = this.#deps.config().cascaded;
    return `${this.#transcribeModel()} → ${c.chat.model} → ${c.speech.model}`;
  }

  ensureConnected(): void {
    this.#link.ensure();
  }

  isOpen(): boolean {
    return this.#link.isOpen();
  }

  sessionAgeMs(): number | null {
    return null;
  }

  audioProduced(): boolean {
    return false;
  }

  receivedMs(itemId: string): number {
    return this.#spoken.receivedMs(itemId);
  }

  responseActive(): boolean {
    return this.#round !== null;
  }

  // ---------- input ----------

  appendAudio(pcm: Int16Array): void {
    this.#input.append(pcm, this.#deps.handsFreeOpen());
  }

  commitAndRespond(): void {
    const pcm = this.#input.take();
    if (pcm.length < MIN_TURN_SAMPLES) {
      this.#deps.listener.error(tooShortError(pcm.length));
      return;
    }
    this.#enqueue({ kind: 'voice', pcm, options: {} });
  }

  clearInput(): void {
    this.#input.clear();
  }

  sendUserText(itemId: string, text: string, options: ResponseOptions = {}): void {
    this.#addUser(itemId, text, options);
  }

  sendUserImage(itemId: string, image: UserImage, text: string | null, options: ResponseOptions = {}): void {
    this.#addUser(itemId, imageContent(image, text), options);
  }

  #addUser(itemId: string, content: string | ChatCompletionContentPart[], options: ResponseOptions): void {
    if (options.respond === false) {
      // Part of the turn under way (a tool's picture after its output): the next response reads it.
      this.#history.addUser(itemId, content, { startsTurn: false });
      this.#deps.listener.userTextWritten?.(itemId, this.#deps.clock.now());
      return;
    }
    this.#enqueue({ kind: 'user', itemId, content, options });
  }

  submitToolOutput(callId: string, output: string): void {
    this.#history.addToolOutput(callId, output);
  }

  requestResponse(options: ResponseOptions = {}): void {
    this.#enqueue({ kind: 'respond', options });
  }

  // ---------- barge-in ----------

  cancelResponse(): boolean {
    this.#jobs = this.#jobs.filter((j) => j.kind !== 'respond');
    const r = this.#round;
    if (!r || r.cancelled) return false;
    stopRound(r);
    // Until the player says how much was heard (truncate / deleteItem), keep what was emitted.
    if (!this.#history.hasAssistant(r.itemId) && r.text) this.#history.addAssistant(r.itemId, r.text);
    if (r.options.textOnly) this.#history.truncateAssistant(r.itemId, r.text);
    else if (r.received === 0) this.#history.deleteAssistant(r.itemId);
    else this.#history.truncateAssistant(r.itemId, heardOfSentences(r.sentences, r.received, SAMPLE_RATE, this.#deps.config().speed));
    this.#finishRound(r, 'cancelled');
    return true;
  }

  truncate(itemId: string, audioEndMs: number): void {
    const heard = this.#spoken.heard(itemId, audioEndMs, this.#deps.config().speed);
    if (heard === null) return;
    this.#deps.logger.debug('cascaded: truncated to the heard part', { itemId, audioEndMs, heardChars: heard.length });
    this.#history.truncateAssistant(itemId, heard);
  }

  deleteItem(itemId: string): void {
    this.#history.deleteAssistant(itemId);
  }

  // ---------- settings and life ----------

  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void {
    this.#input.configure(config.handsFree, handsFreeOpen);
  }

  renew(history: HistoryEntry[]): void {
    this.#history.setFromText(history);
  }

  setHistory(history: HistoryEntry[]): void {
    // The session hands its text history over after every turn. While it tells the same turns as ours
    // (the same number of user turns), ours is kept: it has the tool calls, their results and the
    // interruption marks. Otherwise (another engine's conversation, a reset) it replaces ours.
    const users = history.filter((e) => e.role === 'user').length;
    if (users === this.#history.userTurns()) return;
    if (this.#round) return; // never under a running response
    this.#history.setFromText(history);
  }

  async close(): Promise<void> {
    this.#link.close();
    this.#abortAll();
  }

  closeIdle(): void {
    this.#abortAll();
    this.#link.idle();
  }

  reset(): void {
    this.#abortAll();
    this.#history.clear();
    this.#turnMark = 0;
    this.#spoken.clear();
    this.#input.clear();
  }

  #abortAll(): void {
    this.#jobs = [];
    const r = this.#round;
    if (r) {
      stopRound(r);
      this.#round = null;
    }
  }

  // ---------- running responses ----------

  #enqueue(job: Job): void {
    if (this.#link.closed) return;
    this.#jobs.push(job);
    this.#next();
  }

  #next(): void {
    if (this.#round || this.#link.closed) return;
    const job = this.#jobs.shift();
    if (!job) return;
    const r = newRound(job.options, this.#deps.clock.now());
    this.#round = r;
    void this.#run(r, job);
  }

  async #run(r: Round, job: Job): Promise<void> {
    const L = this.#deps.listener;
    try {
      if (job.kind === 'voice') {
        this.#turnMark = this.#history.mark();
        const userItemId = newId('item_es');
        const text = await transcribeTurn(this.#ctx, r, job.pcm, userItemId);
        if (r.cancelled) return;
        if (!text.trim()) {
          L.error({ code: 'empty_transcript', message: 'No words were recognised in that turn, so nothing was asked. Speak closer to the microphone and try again.', causeType: null, benign: false, fatal: false });
          this.#finishRound(r, 'completed');
          return;
        }
        this.#history.addUser(userItemId, text);
      } else if (job.kind === 'user') {
        this.#turnMark = this.#history.mark();
        this.#history.addUser(job.itemId, job.content);
        L.userTextWritten?.(job.itemId, this.#deps.clock.now());
        L.responseStarted(r.responseId);
      } else {
        L.responseStarted(r.responseId);
      }
      await answerRound(this.#ctx, r);
      if (!r.cancelled) this.#finishRound(r, 'completed');
    } catch (err) {
      if (r.cancelled || this.#link.closed) return;
      this.#fail(r, err);
    }
  }

  #transcribeModel(): string {
    const fb = this.#transcriptionFallback;
    const model = this.#deps.config().cascaded.transcribe.model;
    return fb && fb.refused === model ? fb.using : model;
  }

  async #stage(name: StageName, endpoint: StageEndpoint): Promise<Stage> {
    try {
      return await openStage(name, this.#deps.credentials, endpoint, this.#options);
    } catch (err) {
      // Only the credentials can fail here: no key is set.
      throw new MissingCredentials(redact(err instanceof Error ? err.message : String(err)));
    }
  }

  #fail(r: Round, err: unknown): void {
    const e = roundError(err);
    this.#deps.logger.warn('cascaded: response failed', { code: e.code, message: e.message, fatal: e.fatal });
    this.#history.rollback(this.#turnMark);
    r.queue?.stop();
    r.abort.abort();
    this.#deps.listener.error(e);
    if (e.fatal) {
      this.#jobs = [];
      this.#link.fail(e.code ?? 'fatal');
    }
    this.#finishRound(r, 'failed');
  }

  #finishRound(r: Round, status: 'completed' | 'cancelled' | 'failed'): void {
    if (r.finished) return;
    r.finished = true;
    if (this.#round === r) this.#round = null;
    const { usage, usd, estimated, models } = pricedRound(r);
    const model = models.length > 0 ? models.join(' → ') : this.describeModel();
    this.#deps.logger.debug('cascaded: response done', { status, ms: Math.round(this.#deps.clock.now() - r.startedAt), model, usd, estimated });
    this.#deps.listener.responseDone({
      responseId: r.responseId,
      status,
      usage,
      cost: { usd, pricesReadOn: HTTP_PRICES_READ_ON, estimated },
      model,
      hadFunctionCalls: r.hadFunctionCalls,
      messageItemIds: r.received > 0 || r.text ? [r.itemId] : [],
    });
    this.#next();
  }
}
