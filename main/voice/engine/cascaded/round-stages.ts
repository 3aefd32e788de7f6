/**
 * The stages of one cascaded round, in order: on a spoken turn the transcription (with the fallback
 * model when the first is refused), then the chat round whose text is spoken sentence by sentence
 * while it is still being written (config.cascaded.pipelineSentences; speech-queue.ts keeps the audio
 * in sentence order). The assistant transcript follows the spoken sentences, so what is shown is what
 * is heard. A stage's error is thrown as a StageFailure naming the stage. Every request is entered
 * in the round's bills before it is sent, with what it sends and, as it arrives, what it received
 * (stage-bills.ts), so a round cut off at any point is priced from what was spent.
 */
import type { EngineDeps } from '../engine.ts';
import { SAMPLE_RATE } from '../../audio/pcm.ts';
import { encodeWavPcm16 } from '../../audio/wav.ts';
import { chatTools } from '../http/chat-messages.ts';
import type { ChatHistory } from '../http/history.ts';
import { isModelRefused } from '../http/http-errors.ts';
import { newId } from '../http/ids.ts';
import type { Stage, StageEndpoint, StageName } from '../http/stage-client.ts';
import { estimatePrompt } from '../http/usage-estimate.ts';
import { transcribe } from './transcribe-stage.ts';
import { streamChat } from './chat-stage.ts';
import { SPEECH_MAX_CHARS, speechInputChars, synthesize } from './speech-stage.ts';
import { SpeechQueue } from './speech-queue.ts';
import { SentenceSplitter } from './sentence-splitter.ts';
import { StageFailure } from './cascaded-round.ts';
import type { CascadedOptions, Round } from './cascaded-round.ts';
import type { SpokenAnswers } from './spoken-answers.ts';
import type { ChatBill, SpeechBill, TranscriptionBill } from './stage-bills.ts';

export interface RoundContext {
  deps: EngineDeps;
  options: CascadedOptions;
  history: ChatHistory;
  spoken: SpokenAnswers;
  /** A stage's client (throws MissingCredentials when no key is set). */
  stage(name: StageName, endpoint: StageEndpoint): Promise<Stage>;
  /** The transcription model in use: the configured one, or its fallback once it was refused. */
  transcribeModel(): string;
  fellBack(refused: string, using: string): void;
}

/** Stage 1 (voice turns): commit, transcribe with the fallback model if the first is refused. */
export async function transcribeTurn(ctx: RoundContext, r: Round, pcm: Int16Array, userItemId: string): Promise<string> {
  const { deps } = ctx;
  const L = deps.listener;
  const config = deps.config();
  const stage = await ctx.stage('transcribe', config.cascaded.transcribe);
  const wav = encodeWavPcm16(pcm, SAMPLE_RATE);
  const seconds = pcm.length / SAMPLE_RATE;
  L.commitWritten?.(deps.clock.now());
  L.inputCommitted(userItemId);
  L.responseStarted(r.responseId);
  let model = ctx.transcribeModel();
  const started = deps.clock.now();
  for (;;) {
    const bill: TranscriptionBill = { stage: 'transcribe', model, state: 'running', answered: false, usage: null, seconds, promptChars: config.transcription?.prompt?.length ?? 0, textChars: 0 };
    r.bills.push(bill);
    try {
      const result = await transcribe({
        stage,
        model,
        wav,
        transcription: config.transcription,
        signal: r.abort.signal,
        clock: deps.clock,
        idleMs: ctx.options.idleMs,
        onAnswered: () => {
          bill.answered = true;
        },
        onDelta: (delta) => {
          bill.textChars += delta.length;
          if (!r.cancelled) L.transcriptDelta('user', userItemId, delta);
        },
      });
      bill.state = 'done';
      bill.usage = result.usage;
      r.models.push(model);
      deps.logger.debug('cascaded: transcribed', { model, ms: Math.round(deps.clock.now() - started), chars: result.text.length });
      if (!r.cancelled) L.transcriptDone('user', userItemId, result.text);
      return result.text;
    } catch (err) {
      bill.state = 'failed';
      const fallback = config.transcription?.fallbackModel;
      if (!r.cancelled && isModelRefused(err) && fallback && fallback !== model) {
        ctx.fellBack(model, fallback);
        deps.logger.warn('cascaded: transcription model refused, falling back', { refused: model, using: fallback });
        L.error({ code: 'transcription_model_fallback', message: `${stage.url} refused the transcription model ${model}; using ${fallback} instead.`, causeType: null, benign: false, fatal: false });
        model = fallback;
        continue;
      }
      throw new StageFailure(stage, err);
    }
  }
}

/** Stages 2 and 3: one chat round, its text spoken sentence by sentence. */
export async function answerRound(ctx: RoundContext, r: Round): Promise<void> {
  const { deps } = ctx;
  const L = deps.listener;
  const config = deps.config();
  const c = config.cascaded;
  const chat = await ctx.stage('chat', c.chat);
  const speech = r.options.textOnly ? null : await ctx.stage('speech', c.speech);
  if (r.cancelled) return;
  const splitter = new SentenceSplitter();
  const pipelining = c.pipelineSentences;
  const queue = speech ? speechQueue(ctx, r, speech) : null;
  r.queue = queue;
  if (queue) ctx.spoken.remember(r.itemId, r.sentences);
  const t0 = deps.clock.now();
  const messages = ctx.history.toMessages(config.instructions, config.replayTurns);
  const tools = deps.tools();
  const bill: ChatBill = { stage: 'chat', model: c.chat.model, state: 'running', answered: false, usage: null, prompt: estimatePrompt(messages, chatTools(tools)), textChars: 0 };
  r.bills.push(bill);
  let result;
  try {
    result = await streamChat({
      stage: chat,
      model: c.chat.model,
      messages,
      tools,
      config,
      signal: r.abort.signal,
      clock: deps.clock,
      idleMs: ctx.options.idleMs,
      onFirstChunk: () => deps.logger.debug('cascaded: chat first chunk', { ms: Math.round(deps.clock.now() - t0) }),
      onAnswered: () => {
        bill.answered = true;
      },
      onReceived: (chars) => {
        bill.textChars += chars;
      },
      onText: (delta) => {
        if (r.cancelled) return;
        r.text += delta;
        if (r.options.textOnly) L.outputText(r.itemId, r.responseId, delta, false);
        else if (pipelining) for (const s of splitter.push(delta)) queue?.add(s);
      },
    });
  } catch (err) {
    bill.state = 'failed';
    queue?.stop();
    throw new StageFailure(chat, err);
  }
  bill.state = 'done';
  bill.usage = result.usage;
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
  ctx.history.addAssistant(r.itemId, result.text, result.toolCalls);
  for (const call of result.toolCalls) {
    r.hadFunctionCalls = true;
    L.functionCall({ callId: call.id, name: call.name, argumentsJson: call.arguments, itemId: newId('fc_es'), responseId: r.responseId });
  }
  if (queue) {
    await queue.finish();
    r.models.push(c.speech.model);
    if (r.cancelled) return;
    if (r.sentences.length > 0) {
      L.transcriptDone('assistant', r.itemId, r.sentences.map((s) => s.text).join(' '));
      L.audioDone(r.itemId);
    }
  }
}

/** Stage 3: one speech request per sentence, their audio handed on in order and timed per sentence for a later truncate. */
function speechQueue(ctx: RoundContext, r: Round, speech: Stage): SpeechQueue {
  const { deps } = ctx;
  const L = deps.listener;
  const config = deps.config();
  const c = config.cascaded;
  let speechStarted: number | null = null;
  return new SpeechQueue(
    {
      speak: async (_index, text, onAudio) => {
        const t0 = deps.clock.now();
        const bill: SpeechBill = { stage: 'speech', model: c.speech.model, state: 'running', answered: false, usage: null, inputChars: speechInputChars(c.speech.model, text, c.speechInstructions), samples: 0 };
        r.bills.push(bill);
        try {
          bill.usage = await synthesize({
            stage: speech,
            model: c.speech.model,
            voice: config.voice,
            text,
            instructions: c.speechInstructions,
            speed: config.speed,
            signal: r.abort.signal,
            clock: deps.clock,
            idleMs: ctx.options.idleMs,
            onAnswered: () => {
              bill.answered = true;
            },
            onAudio: (pcm) => {
              bill.samples += pcm.length;
              if (speechStarted === null) {
                speechStarted = deps.clock.now();
                deps.logger.debug('cascaded: speech first byte', { ms: Math.round(speechStarted - t0) });
              }
              onAudio(pcm);
            },
          });
          bill.state = 'done';
        } catch (err) {
          bill.state = 'failed';
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
        ctx.spoken.setReceived(r.itemId, r.received);
        L.audio(r.itemId, r.responseId, pcm);
      },
      sentenceDone: (index) => {
        const s = r.sentences[index];
        if (s) s.complete = true;
      },
    },
    ctx.options.speechInFlight,
  );
}

/** Pipelining off: the whole answer in as few speech requests as the input limit allows. */
export function speechParts(text: string): string[] {
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
