/**
 * The cascaded engine: the turn's audio → `audio/transcriptions` → `chat/completions` (streamed, with
 * the tools, several rounds in a row) → `audio/speech` (24 kHz PCM, streamed), each stage on its own
 * endpoint if the user wants (config.cascaded). Speech starts sentence by sentence while the text model
 * is still writing (config.cascaded.pipelineSentences), and the assistant transcript follows the spoken
 * sentences, so what is shown is what is heard.
 *
 * It reports to the session through the same listener as the Realtime engine: one "response" per
 * chat round (responseStarted … responseDone with usage and cost), its own item ids. Requests are
 * sequenced like response.create behind response.done: a response asked for while one runs waits.
 * Barge-in aborts every request of the response; the history then keeps only the heard part of the
 * answer (heard-text.ts, from each sentence's place in the audio) marked as interrupted.
 *
 * HTTP has no connection: the engine reports 'open' when asked to connect, and is open until a fatal
 * account error. Hands-free runs a local energy VAD (http/local-vad.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions/completions';
import type { Usage } from '../../../../preload/contract.ts';
import type { VoiceConfig } from '../../config.ts';
import type { EngineDeps, EngineError, HistoryEntry, ResponseOptions, UserImage, VoiceEngine } from '../engine.ts';
import { concatPcm, SAMPLE_RATE, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { encodeWavPcm16 } from '../../audio/wav.ts';
import { emptyUsage } from '../../cost/usage.ts';
import { chatUsd, HTTP_PRICES_READ_ON, speechUsd, transcriptionUsd } from '../../cost/http-prices.ts';
import type { ChatTokens, SpeechTokens, TranscriptionUsage } from '../../cost/http-prices.ts';
import { redact } from '../../../base/redact.ts';
import { DEFAULT_STAGE_OPTIONS, openStage } from '../http/stage-client.ts';
import type { Stage, StageName, StageOptions } from '../http/stage-client.ts';
import { describeHttpError, isAbort, isModelRefused } from '../http/http-errors.ts';
import { ChatHistory } from '../http/history.ts';
import { LocalVad, vadSettings } from '../http/local-vad.ts';
import { transcribe } from './transcribe-stage.ts';
import { streamChat } from './chat-stage.ts';
import { SPEECH_MAX_CHARS, synthesize } from './speech-stage.ts';
import { SpeechQueue } from './speech-queue.ts';
import { SentenceSplitter } from './sentence-splitter.ts';
import { heardText } from './heard-text.ts';
import type { SpokenSentence } from './heard-text.ts';

export interface CascadedOptions extends StageOptions {
  /** A stream that sends nothing for this long is given up (ms). */
  idleMs: number;
  /** Speech requests in flight at once while pipelining. */
  speechInFlight: number;
}

export const DEFAULT_CASCADED_OPTIONS: CascadedOptions = { ...DEFAULT_STAGE_OPTIONS, idleMs: 30_000, speechInFlight: 2 };

/** Turns shorter than this are not sent (the session clears them first; this is the safety net). */
const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;
/** How many answers keep their sentence timing for a later truncate. */
const SPOKEN_MEMORY = 50;

type Job =
  | { kind: 'voice'; pcm: Int16Array; options: ResponseOptions }
  | { kind: 'user'; itemId: string; content: string | ChatCompletionContentPart[]; options: ResponseOptions }
  | { kind: 'respond'; options: ResponseOptions };

/** A stage failed: the error, and which stage, to say so. */
class StageFailure extends Error {
  readonly stage: Stage;
  readonly error: unknown;
  constructor(stage: Stage, error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.stage = stage;
    this.error = error;
  }
}

interface Round {
  responseId: string;
  itemId: string;
  options: ResponseOptions;
  abort: AbortController;
  cancelled: boolean;
  finished: boolean;
  queue: SpeechQueue | null;
  /** Chat text written so far. */
  text: string;
  hadFunctionCalls: boolean;
  received: number;
  sentences: SpokenSentence[];
  startedAt: number;
  models: string[];
  transcription: { model: string; usage: TranscriptionUsage | null; seconds: number } | null;
  chat: { model: string; usage: ChatTokens | null } | null;
  speech: { model: string; usage: SpeechTokens | null }[];
}

export class CascadedEngine implements VoiceEngine {
  readonly kind = 'cascaded' as const;
  #deps: EngineDeps;
  #options: CascadedOptions;
  #history = new ChatHistory();
  #turnAudio: Int16Array[] = [];
  #jobs: Job[] = [];
  #round: Round | null = null;
  /** Where the current turn began in the history (a failed turn is rolled back to it). */
  #turnMark = 0;
  #received = new Map<string, number>();
  #spoken = new Map<string, SpokenSentence[]>();
  #openReported = false;
  #fatal = false;
  #disposed = false;
  #transcriptionFallback: { refused: string; using: string } | null = null;
  #vad: LocalVad;

  constructor(deps: EngineDeps, options: Partial<CascadedOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_CASCADED_OPTIONS, ...options };
    this.#vad = new LocalVad(vadSettings(deps.config().handsFree), {
      speechStarted: () => this.#onSpeechStarted(),
      speechStopped: (turn) => this.#onSpeechStopped(turn),
    });
  }

  // ---------- connection (none: HTTP) ----------

  describeModel(): string {
    const c = this.#deps.config().cascaded;
    return `${this.#transcribeModel()} → ${c.chat.model} → ${c.speech.model}`;
  }

  ensureConnected(): void {
    if (this.#disposed) return;
    if (this.#fatal) this.#fatal = false; // a new explicit use may try again (the key may be fixed)
    if (this.#openReported) return;
    this.#openReported = true;
    this.#deps.listener.connection('open', {});
  }

  isOpen(): boolean {
    return !this.#fatal && !this.#disposed;
  }

  sessionAgeMs(): number | null {
    return null;
  }

  audioProduced(): boolean {
    return false;
  }

  receivedMs(itemId: string): number {
    return (this.#received.get(itemId) ?? 0) / SAMPLES_PER_MS;
  }

  responseActive(): boolean {
    return this.#round !== null;
  }

  // ---------- input ----------

  appendAudio(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    if (this.#deps.handsFreeOpen()) {
      this.#vad.push(pcm);
      return;
    }
    this.#turnAudio.push(pcm);
  }

  commitAndRespond(): void {
    const pcm = concatPcm(this.#turnAudio);
    this.#turnAudio = [];
    if (pcm.length < MIN_TURN_SAMPLES) {
      this.#deps.listener.error({ code: 'input_audio_buffer_commit_empty', message: 'The turn was shorter than 100 ms.', causeType: 'input_audio_buffer.commit', benign: true, fatal: false });
      return;
    }
    this.#enqueue({ kind: 'voice', pcm, options: {} });
  }

  clearInput(): void {
    this.#turnAudio = [];
    this.#vad.reset();
  }

  sendUserText(itemId: string, text: string, options: ResponseOptions = {}): void {
    this.#addUser(itemId, text, options);
  }

  sendUserImage(itemId: string, image: UserImage, text: string | null, options: ResponseOptions = {}): void {
    // ChatCompletionContentPartImage: {type: 'image_url', image_url: {url (a data URL works), detail}}.
    const content: ChatCompletionContentPart[] = [{ type: 'image_url', image_url: { url: image.dataUrl, detail: image.detail } }];
    if (text) content.push({ type: 'text', text });
    this.#addUser(itemId, content, options);
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
    r.cancelled = true;
    r.queue?.stop();
    r.abort.abort();
    // Until the player says how much was heard (truncate / deleteItem), keep what was emitted.
    if (!this.#history.hasAssistant(r.itemId) && r.text) this.#history.addAssistant(r.itemId, r.text);
    if (r.options.textOnly) this.#history.truncateAssistant(r.itemId, r.text);
    else if (r.received === 0) this.#history.deleteAssistant(r.itemId);
    else this.#history.truncateAssistant(r.itemId, heardText(r.sentences, r.received, SAMPLE_RATE, this.#deps.config().speed));
    this.#finishRound(r, 'cancelled');
    return true;
  }

  truncate(itemId: string, audioEndMs: number): void {
    const sentences = this.#spoken.get(itemId);
    if (!sentences) return;
    const heardSamples = Math.min(Math.max(0, audioEndMs) * SAMPLES_PER_MS, this.#received.get(itemId) ?? 0);
    const heard = heardText(sentences, heardSamples, SAMPLE_RATE, this.#deps.config().speed);
    this.#deps.logger.debug('cascaded: truncated to the heard part', { itemId, audioEndMs, heardChars: heard.length });
    this.#history.truncateAssistant(itemId, heard);
  }

  deleteItem(itemId: string): void {
    this.#history.deleteAssistant(itemId);
  }

  // ---------- settings and life ----------

  updateSession(config: VoiceConfig, handsFreeOpen: boolean): void {
    this.#vad.configure(vadSettings(config.handsFree));
    if (!handsFreeOpen) this.#vad.reset();
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
    this.#disposed = true;
    this.#abortAll();
  }

  closeIdle(): void {
    this.#abortAll();
    if (this.#openReported) {
      this.#openReported = false;
      this.#deps.listener.connection('closed', { reason: 'idle' });
    }
  }

  reset(): void {
    this.#abortAll();
    this.#history.clear();
    this.#turnMark = 0;
    this.#received.clear();
    this.#spoken.clear();
    this.#turnAudio = [];
    this.#vad.reset();
  }

  #abortAll(): void {
    this.#jobs = [];
    const r = this.#round;
    if (r) {
      r.cancelled = true;
      r.queue?.stop();
      r.abort.abort();
      this.#round = null;
    }
  }

  // ---------- hands-free ----------

  #onSpeechStarted(): void {
    this.#deps.listener.speechStarted();
    // Like the service's interrupt_response: the user speaking cancels the answer.
    this.cancelResponse();
  }

  #onSpeechStopped(turn: Int16Array[]): void {
    this.#deps.listener.speechStopped();
    const pcm = concatPcm(turn);
    if (pcm.length < MIN_TURN_SAMPLES) return;
    this.#enqueue({ kind: 'voice', pcm, options: {} });
  }

  // ---------- running responses ----------

  #enqueue(job: Job): void {
    if (this.#disposed) return;
    this.#jobs.push(job);
    this.#next();
  }

  #next(): void {
    if (this.#round || this.#disposed) return;
    const job = this.#jobs.shift();
    if (!job) return;
    const r: Round = {
      responseId: `resp_es${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      itemId: `msg_es${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      options: job.options,
      abort: new AbortController(),
      cancelled: false,
      finished: false,
      queue: null,
      text: '',
      hadFunctionCalls: false,
      received: 0,
      sentences: [],
      startedAt: this.#deps.clock.now(),
      models: [],
      transcription: null,
      chat: null,
      speech: [],
    };
    this.#round = r;
    void this.#run(r, job);
  }

  async #run(r: Round, job: Job): Promise<void> {
    const L = this.#deps.listener;
    try {
      if (job.kind === 'voice') {
        this.#turnMark = this.#history.mark();
        const userItemId = `item_es${randomUUID().replaceAll('-', '').slice(0, 24)}`;
        const text = await this.#transcribe(r, job.pcm, userItemId);
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
      await this.#answer(r);
      if (!r.cancelled) this.#finishRound(r, 'completed');
    } catch (err) {
      if (r.cancelled || this.#disposed) return;
      this.#fail(r, err);
    }
  }

  /** Stage 1 (voice turns): commit, transcribe with the fallback model if the first is refused. */
  async #transcribe(r: Round, pcm: Int16Array, userItemId: string): Promise<string> {
    const L = this.#deps.listener;
    const config = this.#deps.config();
    const stage = await this.#stage('transcribe', config.cascaded.transcribe);
    const wav = encodeWavPcm16(pcm, SAMPLE_RATE);
    const seconds = pcm.length / SAMPLE_RATE;
    L.commitWritten?.(this.#deps.clock.now());
    L.inputCommitted(userItemId);
    L.responseStarted(r.responseId);
    let model = this.#transcribeModel();
    const started = this.#deps.clock.now();
    for (;;) {
      try {
        const result = await transcribe({
          stage,
          model,
          wav,
          transcription: config.transcription,
          signal: r.abort.signal,
          clock: this.#deps.clock,
          idleMs: this.#options.idleMs,
          onDelta: (delta) => {
            if (!r.cancelled) L.transcriptDelta('user', userItemId, delta);
          },
        });
        r.transcription = { model, usage: result.usage, seconds };
        r.models.push(model);
        this.#deps.logger.debug('cascaded: transcribed', { model, ms: Math.round(this.#deps.clock.now() - started), chars: result.text.length });
        if (!r.cancelled) L.transcriptDone('user', userItemId, result.text);
        return result.text;
      } catch (err) {
        const fallback = config.transcription?.fallbackModel;
        if (!r.cancelled && isModelRefused(err) && fallback && fallback !== model) {
          this.#transcriptionFallback = { refused: model, using: fallback };
          this.#deps.logger.warn('cascaded: transcription model refused, falling back', { refused: model, using: fallback });
          L.error({ code: 'transcription_model_fallback', message: `${stage.url} refused the transcription model ${model}; using ${fallback} instead.`, causeType: null, benign: false, fatal: false });
          model = fallback;
          continue;
        }
        throw new StageFailure(stage, err);
      }
    }
  }

  #transcribeModel(): string {
    const config = this.#deps.config();
    const fb = this.#transcriptionFallback;
    const model = config.cascaded.transcribe.model;
    return fb && fb.refused === model ? fb.using : model;
  }

  /** Stages 2 and 3: one chat round, its text spoken sentence by sentence. */
  async #answer(r: Round): Promise<void> {
    const L = this.#deps.listener;
    const config = this.#deps.config();
    const c = config.cascaded;
    const chat = await this.#stage('chat', c.chat);
    const speech = r.options.textOnly ? null : await this.#stage('speech', c.speech);
    if (r.cancelled) return;
    const splitter = new SentenceSplitter();
    const pipelining = c.pipelineSentences;
    let speechStarted: number | null = null;
    const queue = speech
      ? new SpeechQueue(
          {
            speak: async (_index, text, onAudio) => {
              const t0 = this.#deps.clock.now();
              try {
                const usage = await synthesize({
                  stage: speech,
                  model: c.speech.model,
                  voice: config.voice,
                  text,
                  instructions: c.speechInstructions,
                  speed: config.speed,
                  signal: r.abort.signal,
                  clock: this.#deps.clock,
                  idleMs: this.#options.idleMs,
                  onAudio: (pcm) => {
                    if (speechStarted === null) {
                      speechStarted = this.#deps.clock.now();
                      this.#deps.logger.debug('cascaded: speech first byte', { ms: Math.round(speechStarted - t0) });
                    }
                    onAudio(pcm);
                  },
                });
                r.speech.push({ model: c.speech.model, usage });
              } catch (err) {
                throw new StageFailure(speech, err);
              }
            },
            sentenceStarted: (index, text) => {
              if (r.cancelled) return;
              r.sentences[index] = { text, startSample: r.received, samples: 0, complete: false };
              L.transcriptDelta('assistant', r.itemId, index > 0 ? ` ${text}` : text);
            },
            audio: (index, pcm) => {
              if (r.cancelled) return;
              const s = r.sentences[index];
              if (s) s.samples += pcm.length;
              r.received += pcm.length;
              this.#received.set(r.itemId, r.received);
              L.audio(r.itemId, r.responseId, pcm);
            },
            sentenceDone: (index) => {
              const s = r.sentences[index];
              if (s) s.complete = true;
            },
          },
          this.#options.speechInFlight,
        )
      : null;
    r.queue = queue;
    if (queue) this.#remember(r.itemId, r.sentences);
    const t0 = this.#deps.clock.now();
    let result;
    try {
      result = await streamChat({
        stage: chat,
        model: c.chat.model,
        messages: this.#history.toMessages(config.instructions, config.replayTurns),
        tools: this.#deps.tools(),
        config,
        signal: r.abort.signal,
        clock: this.#deps.clock,
        idleMs: this.#options.idleMs,
        onFirstChunk: () => this.#deps.logger.debug('cascaded: chat first chunk', { ms: Math.round(this.#deps.clock.now() - t0) }),
        onText: (delta) => {
          if (r.cancelled) return;
          r.text += delta;
          if (r.options.textOnly) L.outputText(r.itemId, r.responseId, delta, false);
          else if (pipelining) for (const s of splitter.push(delta)) queue?.add(s);
        },
      });
    } catch (err) {
      queue?.stop();
      throw new StageFailure(chat, err);
    }
    r.chat = { model: c.chat.model, usage: result.usage };
    r.models.push(c.chat.model);
    if (r.cancelled) return;
    if (r.options.textOnly) {
      if (result.text) L.outputText(r.itemId, r.responseId, result.text, true);
    } else if (queue) {
      if (pipelining) {
        const rest = splitter.flush();
        if (rest) queue.add(rest);
      } else for (const part of speechParts(result.text)) queue.add(part);
    }
    this.#history.addAssistant(r.itemId, result.text, result.toolCalls);
    for (const call of result.toolCalls) {
      r.hadFunctionCalls = true;
      L.functionCall({ callId: call.id, name: call.name, argumentsJson: call.arguments, itemId: `fc_es${randomUUID().replaceAll('-', '').slice(0, 24)}`, responseId: r.responseId });
    }
    if (queue) {
      await queue.finish();
      if (speech) r.models.push(c.speech.model);
      if (r.cancelled) return;
      if (r.sentences.length > 0) {
        L.transcriptDone('assistant', r.itemId, r.sentences.map((s) => s.text).join(' '));
        L.audioDone(r.itemId);
      }
    }
  }

  async #stage(name: StageName, endpoint: { baseURL: string | null; keySource: 'openai' | 'none' }): Promise<Stage> {
    try {
      return await openStage(name, this.#deps.credentials, endpoint, this.#options);
    } catch (err) {
      // Only the credentials can fail here: no key is set.
      throw new MissingCredentials(redact(err instanceof Error ? err.message : String(err)));
    }
  }

  #remember(itemId: string, sentences: SpokenSentence[]): void {
    this.#spoken.set(itemId, sentences);
    if (this.#spoken.size > SPOKEN_MEMORY) {
      const oldest = this.#spoken.keys().next().value;
      if (oldest !== undefined) {
        this.#spoken.delete(oldest);
        this.#received.delete(oldest);
      }
    }
  }

  #fail(r: Round, err: unknown): void {
    let e: EngineError;
    if (err instanceof MissingCredentials) {
      e = { code: 'missing_credentials', message: `No API key: ${err.message}`, causeType: null, benign: false, fatal: true };
    } else if (err instanceof StageFailure) {
      e = isAbort(err.error)
        ? { code: 'aborted', message: `The ${err.stage.name} request was aborted.`, causeType: null, benign: false, fatal: false }
        : describeHttpError(err.error, err.stage, 'stream');
    } else {
      e = { code: 'engine_failed', message: redact(`The cascaded engine failed: ${err instanceof Error ? err.message : String(err)}`), causeType: null, benign: false, fatal: false };
    }
    this.#deps.logger.warn('cascaded: response failed', { code: e.code, message: e.message, fatal: e.fatal });
    this.#history.rollback(this.#turnMark);
    r.queue?.stop();
    r.abort.abort();
    this.#deps.listener.error(e);
    if (e.fatal) {
      this.#fatal = true;
      this.#openReported = false;
      this.#jobs = [];
      this.#deps.listener.connection('failed', { reason: e.code ?? 'fatal' });
    }
    this.#finishRound(r, 'failed');
  }

  #finishRound(r: Round, status: 'completed' | 'cancelled' | 'failed'): void {
    if (r.finished) return;
    r.finished = true;
    if (this.#round === r) this.#round = null;
    const { usage, usd } = this.#priced(r);
    const model = r.models.length > 0 ? [...new Set(r.models)].join(' → ') : this.describeModel();
    this.#deps.logger.debug('cascaded: response done', { status, ms: Math.round(this.#deps.clock.now() - r.startedAt), model });
    this.#deps.listener.responseDone({
      responseId: r.responseId,
      status,
      usage,
      cost: { usd, pricesReadOn: HTTP_PRICES_READ_ON },
      model,
      hadFunctionCalls: r.hadFunctionCalls,
      messageItemIds: r.received > 0 || r.text ? [r.itemId] : [],
    });
    this.#next();
  }

  /** Usage summed over the stages, and the cost: unknown (null) when any stage used cannot be priced. */
  #priced(r: Round): { usage: Usage; usd: number | null } {
    const usage = emptyUsage();
    let usd: number | null = 0;
    const add = (v: number | null): void => {
      usd = usd === null || v === null ? null : usd + v;
    };
    if (r.transcription) {
      const u = r.transcription.usage;
      if (u?.type === 'tokens') {
        usage.inputAudioTokens += u.inputTokens;
        usage.outputTextTokens += u.outputTokens;
      }
      add(transcriptionUsd(r.transcription.model, u ?? { type: 'duration', seconds: r.transcription.seconds }, r.transcription.seconds));
    }
    if (r.chat) {
      const u = r.chat.usage;
      if (u) {
        usage.inputTextTokens += u.promptTokens;
        usage.cachedTextTokens += u.cachedTokens;
        usage.outputTextTokens += u.completionTokens;
      }
      add(u ? chatUsd(r.chat.model, u) : null);
    }
    for (const s of r.speech) {
      if (s.usage) {
        usage.inputTextTokens += s.usage.inputTokens;
        usage.outputAudioTokens += s.usage.outputTokens;
      }
      add(speechUsd(s.model, s.usage));
    }
    return { usage, usd };
  }
}

class MissingCredentials extends Error {}

/** Pipelining off: the whole answer in as few speech requests as the input limit allows. */
function speechParts(text: string): string[] {
  const whole = text.trim();
  if (!whole) return [];
  if (whole.length <= SPEECH_MAX_CHARS) return [whole];
  const splitter = new SentenceSplitter();
  const sentences = [...splitter.push(whole), splitter.flush()].filter(Boolean);
  const parts: string[] = [];
  let current = '';
  for (const s of sentences) {
    if (current && current.length + 1 + s.length > SPEECH_MAX_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current} ${s}` : s.slice(0, SPEECH_MAX_CHARS);
  }
  if (current) parts.push(current);
  return parts;
}
