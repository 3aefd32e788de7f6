/**
 * The request and the stream of one chat-audio round: `chat.completions.create({ model: gpt-audio…,
 * modalities: ['text','audio'], audio: { voice, format: 'pcm16' }, stream: true, stream_options:
 * { include_usage: true }, messages, tools })`, read by stream-reader.ts as it arrives.
 *
 * - Until the response headers, the SDK's timeout and retries are in charge (http/stage-client.ts);
 *   after them, a watchdog gives up on a body that goes quiet (http/request-control.ts).
 * - An assistant audio id the service no longer knows (a 400 naming `messages.[i].audio.id`) is
 *   answered once by sending the earlier answers as their transcripts instead.
 * - A picture shown to a model that takes none is refused before anything is sent.
 */
import { APIError } from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { redact } from '../../../base/redact.ts';
import { modelFamily } from '../../cost/models.ts';
import type { EngineDeps, EngineError, UserImage } from '../engine.ts';
import { chatTools } from '../http/chat-messages.ts';
import { describeHttpError, isAbort, missingCredentials } from '../http/http-errors.ts';
import { requestControl } from '../http/request-control.ts';
import type { RequestControl } from '../http/request-control.ts';
import { openStage } from '../http/stage-client.ts';
import type { Stage, StageOptions } from '../http/stage-client.ts';
import type { ChatAudioConversation, Entry } from './conversation.ts';
import type { Round } from './chat-audio-round.ts';
import { readChatAudioStream } from './stream-reader.ts';
import type { StreamResult } from './stream-reader.ts';

/**
 * Models of the family that take no images: OpenAI's model pages for gpt-audio, gpt-audio-1.5 and
 * gpt-audio-mini say "Image: Not supported" (read 2026-12-05). Other models are asked, and a refusal
 * is reported as the service words it.
 */
export const NO_IMAGE_MODELS = new Set(['gpt-audio', 'gpt-audio-1.5', 'gpt-audio-mini', 'gpt-4o-audio-preview', 'gpt-4o-mini-audio-preview']);

function takesNoImages(model: string): boolean {
  return NO_IMAGE_MODELS.has(modelFamily(model));
}

/** A tool's picture for the turn under way, or, for a model that cannot see, a line saying so it can tell the user. */
export function pictureOfRunningTurn(model: string, itemId: string, image: UserImage, text: string | null): Entry {
  return takesNoImages(model)
    ? { kind: 'user-text', itemId, text: `[A picture was captured for you, but ${model} cannot see images: tell the user to switch engines to show it.]` }
    : { kind: 'user-image', itemId, image, text };
}

export interface ChatAudioEngineOptions {
  /** Timeout to the response headers, SDK retries (≤ 2), longest retry-after waited for. */
  stage?: Partial<StageOptions>;
  /** A stream that sends nothing for this long is given up (ms). */
  streamIdleMs?: number;
}

export const DEFAULT_STREAM_IDLE_MS = 30_000;

export interface RequestContext {
  deps: EngineDeps;
  stageOptions: StageOptions;
  streamIdleMs: number;
  conversation: ChatAudioConversation;
  /** False once the round was cancelled or replaced: nothing more of it is reported. */
  current(round: Round): boolean;
  /** Base64 PCM16 24 kHz of the answer. */
  audio(round: Round, base64: string): void;
  text(round: Round, delta: string, kind: 'transcript' | 'text'): void;
}

export type RequestOutcome =
  | { kind: 'answered'; result: StreamResult }
  /** `refusedInput`: the request itself was refused (400), so the turn's image must not be sent again. */
  | { kind: 'failed'; error: EngineError; refusedInput: boolean }
  /** The round was cancelled or closed meanwhile: already reported. */
  | { kind: 'gone' };

/** The service's 400 for an assistant `audio.id` it does not know or that expired (param `messages.[i].audio.id`). */
function refusedAudioId(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  const param = err.param ?? '';
  return /audio\.id$/.test(param) || /audio with id .*(expired|not found)/i.test(err.message);
}

/** A turn showing an image to a model that takes none: refused before anything is sent. */
function imageRefusal(round: Round, model: string): EngineError | null {
  if (round.turn?.user.kind !== 'user-image' || !takesNoImages(model)) return null;
  return {
    code: 'image_not_supported',
    message: `${model} cannot see images (OpenAI lists no image input for it). To show the assistant a picture, switch to the Realtime engine or the cascaded engine with a chat model that takes images.`,
    causeType: null,
    benign: false,
    fatal: false,
  };
}

export async function requestAnswer(ctx: RequestContext, round: Round): Promise<RequestOutcome> {
  const { deps, conversation } = ctx;
  const config = deps.config();
  let stage: Stage;
  try {
    stage = await openStage('chat-audio', deps.credentials, { baseURL: config.chatAudio.baseURL, keySource: 'openai' }, ctx.stageOptions);
  } catch (err) {
    return ctx.current(round) ? { kind: 'failed', error: missingCredentials(err), refusedInput: false } : { kind: 'gone' };
  }
  if (!ctx.current(round)) return { kind: 'gone' };
  const model = config.chatAudio.model;
  const refusal = imageRefusal(round, model);
  if (refusal) return { kind: 'failed', error: refusal, refusedInput: true };
  const buildMessages = (): ChatCompletionMessageParam[] =>
    conversation.toMessages({
      instructions: config.instructions,
      turnStart: round.turn ? conversation.entries.indexOf(round.turn.user) : conversation.entries.length,
      nowMs: deps.clock.epochMs(),
      replayTurns: config.replayTurns,
    });
  const messages = buildMessages();
  round.messages = messages;
  const tools = chatTools(deps.tools());
  round.tools = tools;
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
  let phase: 'request' | 'stream' = 'request';
  // Armed at the headers (the first alive()): until then the SDK's timeout and retries are in charge.
  const control: RequestControl = requestControl(round.controller.signal, deps.clock, ctx.streamIdleMs);
  try {
    const now = deps.clock.now();
    round.sentAt = now;
    if (round.spec.kind === 'voice') deps.listener.commitWritten?.(now);
    else if (round.spec.kind === 'text') deps.listener.userTextWritten?.(round.spec.userItemId, now);
    let stream;
    try {
      stream = await stage.client.chat.completions.create(params, { signal: control.signal });
    } catch (err) {
      // An audio id the service no longer knows (its clock, or a shorter life than expires_at
      // said): the answers go as their transcripts instead, once.
      if (!refusedAudioId(err) || !ctx.current(round) || conversation.forgetAudioIds() === 0) throw err;
      deps.logger.warn('chat-audio: an earlier answer\'s audio id was refused; sending the answers as text', { responseId: round.responseId });
      params.messages = round.messages = buildMessages();
      stream = await stage.client.chat.completions.create(params, { signal: control.signal });
    }
    phase = 'stream';
    control.alive();
    round.headersAt = deps.clock.now();
    deps.logger.debug('chat-audio: response headers', { responseId: round.responseId, ms: Math.round(round.headersAt - now) });
    const result = await readChatAudioStream(stream, {
      alive: () => control.alive(),
      audio: (b64) => ctx.audio(round, b64),
      transcript: (delta) => ctx.text(round, delta, 'transcript'),
      text: (delta) => ctx.text(round, delta, 'text'),
      malformed: (issues) => deps.logger.warn('chat-audio: malformed chunk skipped', { issues }),
    });
    if (!ctx.current(round)) return { kind: 'gone' };
    control.throwIfStalled();
    return { kind: 'answered', result };
  } catch (err) {
    if (!ctx.current(round)) return { kind: 'gone' }; // cancelled or closed: already reported
    const reason = control.reason(err);
    deps.logger.warn('chat-audio: request failed', { phase, error: redact(reason instanceof Error ? reason.message : String(reason)) });
    // A 400 is about what was sent (an image the model refuses, a part it cannot read).
    const refusedInput = reason instanceof APIError && reason.status === 400;
    const error = isAbort(reason) ? describeHttpError(new Error('the request was aborted'), stage, phase) : describeHttpError(reason, stage, phase);
    return { kind: 'failed', error, refusedInput };
  } finally {
    control.done();
  }
}
