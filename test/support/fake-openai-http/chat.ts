/**
 * POST /v1/chat/completions, non-streaming and streaming (SSE `data: {chunk}` … `data: [DONE]`).
 *
 * What it answers is the next scripted ChatStep, else the default text. Tool calls stream as
 * `delta.tool_calls` (index, id, type, function name, then the arguments in pieces) and finish with
 * 'tool_calls'. With `modalities: ['text','audio']` an audio model answers with `audio`: non-streamed
 * `message.audio {id, data, transcript, expires_at}` (data in the asked format: wav or pcm16);
 * streamed `delta.audio` chunks — the first carries the id, then transcript pieces and base64
 * PCM16 24 kHz data in 100 ms chunks paced by speedup, and a last audio chunk with `expires_at`
 * (the order the service was seen to send, openai-node issue #1206), then finish_reason 'stop'.
 * With `stream_options.include_usage` every chunk has `usage: null` and a last chunk with empty
 * `choices` carries the usage.
 */
import { encodeWav, outputAudioTokens, pcm16Bytes, RATE, synthSpeech, textTokens } from './audio.ts';
import { checkChatRequest, isAudioModel } from './chat-rules.ts';
import type { PromptCost } from './chat-rules.ts';
import { HttpError, assertValidRequest, httpErrors } from './errors.ts';
import type { Reply } from './reply.ts';
import { sleep } from './reply.ts';
import type { SharedState } from './state.ts';
import { nowS, paceMs, wordPieces } from './state.ts';
import type { ChatStep, HttpRecord } from './types.ts';

const AUDIO_CHUNK_MS = 100;
/** Pieces of tool-call arguments per chunk (the service streams them a few characters at a time). */
const ARGUMENT_PIECE_CHARS = 12;

type Json = Record<string, unknown>;

interface Answer {
  text: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  audio: { id: string; samples: Int16Array; transcript: string; expiresAtS: number } | null;
}

function plan(step: ChatStep, wantsAudio: boolean, state: SharedState): Answer {
  const toolCalls = (step.toolCalls ?? []).map((c) => ({
    id: c.id ?? state.nextId('call'),
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }));
  const text = toolCalls.length > 0 ? (step.text ?? null) : (step.text ?? state.defaultChatText);
  let audio: Answer['audio'] = null;
  if (wantsAudio && toolCalls.length === 0 && text !== null) {
    const samples = step.audioSamples ?? synthSpeech(state.replySamples, state.speechMsPerChar * text.length);
    const id = state.nextId('audio');
    const expiresAtMs = Date.now() + state.audioIdTtlMs;
    state.audioIds.set(id, { expiresAtMs, samples: samples.length, transcript: text });
    audio = { id, samples, transcript: text, expiresAtS: Math.floor(expiresAtMs / 1000) };
  }
  return { text, toolCalls, audio };
}

function usageOf(prompt: PromptCost, answer: Answer): Json {
  const audioOut = answer.audio ? outputAudioTokens(answer.audio.samples.length) : 0;
  const textOut = textTokens(answer.text ?? '') + answer.toolCalls.reduce((n, c) => n + textTokens(c.name) + textTokens(c.arguments) + 3, 0);
  const promptTokens = prompt.textTokens + prompt.audioTokens;
  const completion = textOut + audioOut;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: prompt.audioTokens, text_tokens: prompt.textTokens, image_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: audioOut, text_tokens: textOut, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export async function handleChat(record: HttpRecord, reply: Reply, state: SharedState): Promise<void> {
  if (record.json === null) throw httpErrors.invalidJson();
  assertValidRequest('chat', record.json);
  const body = record.json as Json;
  const prompt = checkChatRequest(body, state);
  const model = String(body['model']);
  const wantsAudio = Array.isArray(body['modalities']) && body['modalities'].includes('audio') && isAudioModel(model);
  const audioParam = body['audio'] as Json | null | undefined;
  const audioFormat = audioParam && typeof audioParam['format'] === 'string' ? audioParam['format'] : 'pcm16';
  if (wantsAudio && audioFormat !== 'pcm16' && audioFormat !== 'wav') {
    throw new HttpError(400, {
      message: `fake-openai-http produces only 'wav' and 'pcm16' chat audio, not '${audioFormat}' (a limitation of the test server, not of the service).`,
      type: 'invalid_request_error',
      param: 'audio.format',
      code: 'unsupported_value',
    });
  }
  const n = typeof body['n'] === 'number' ? body['n'] : 1;
  if (n !== 1) throw new HttpError(400, { message: 'fake-openai-http answers one choice only (n=1).', type: 'invalid_request_error', param: 'n', code: 'unsupported_value' });

  const answer = plan(state.chatScript.shift() ?? {}, wantsAudio, state);
  const usage = usageOf(prompt, answer);
  const id = state.nextId('chatcmpl');
  const created = nowS();
  const finish = answer.toolCalls.length > 0 ? 'tool_calls' : 'stop';

  if (body['stream'] !== true) {
    await sleep(state.delays.chatFirstTokenMs);
    const message: Json = { role: 'assistant', content: answer.audio ? null : answer.text, refusal: null, annotations: [] };
    if (answer.toolCalls.length > 0) {
      message['tool_calls'] = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    if (answer.audio) {
      const data = audioFormat === 'wav' ? encodeWav(answer.audio.samples) : pcm16Bytes(answer.audio.samples);
      message['audio'] = { id: answer.audio.id, data: data.toString('base64'), expires_at: answer.audio.expiresAtS, transcript: answer.audio.transcript };
    }
    reply.json(
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_fake0001',
      },
      'chat',
    );
    return;
  }

  const streamOptions = body['stream_options'] as Json | null | undefined;
  const includeUsage = streamOptions?.['include_usage'] === true;
  const chunk = (delta: Json, finishReason: string | null = null): Json => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const send = (c: Json): Promise<boolean> => reply.sse('chat.chunk', c);

  reply.startStream('text/event-stream; charset=utf-8');
  await sleep(state.delays.chatFirstTokenMs);
  const first: Json = { role: 'assistant', content: answer.audio || answer.toolCalls.length > 0 ? null : '', refusal: null };
  if (!(await send(chunk(first)))) return;

  if (answer.audio) {
    const { samples, transcript } = answer.audio;
    const per = Math.round((AUDIO_CHUNK_MS / 1000) * RATE);
    const count = Math.max(1, Math.ceil(samples.length / per));
    const words = wordPieces(transcript);
    let wordsSent = 0;
    if (!(await send(chunk({ audio: { id: answer.audio.id, transcript: '' } })))) return;
    for (let i = 0; i < count; i++) {
      if (i > 0) await sleep(paceMs(state, AUDIO_CHUNK_MS));
      // Transcript pieces keep pace with the audio: by chunk i, about i/count of the words.
      const due = Math.ceil(((i + 1) / count) * words.length);
      if (due > wordsSent) {
        if (!(await send(chunk({ audio: { transcript: words.slice(wordsSent, due).join('') } })))) return;
        wordsSent = due;
      }
      const data = pcm16Bytes(samples.subarray(i * per, Math.min(samples.length, (i + 1) * per))).toString('base64');
      if (!(await send(chunk({ audio: { data } })))) return;
    }
    if (!(await send(chunk({ audio: { id: answer.audio.id, expires_at: answer.audio.expiresAtS } })))) return;
  } else {
    if (answer.text) {
      for (const [i, piece] of wordPieces(answer.text).entries()) {
        if (i > 0) await sleep(state.delays.chatTokenMs);
        if (!(await send(chunk({ content: piece })))) return;
      }
    }
    for (const [index, call] of answer.toolCalls.entries()) {
      if (!(await send(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })))) return;
      for (let at = 0; at < call.arguments.length; at += ARGUMENT_PIECE_CHARS) {
        await sleep(state.delays.chatTokenMs);
        const piece = call.arguments.slice(at, at + ARGUMENT_PIECE_CHARS);
        if (!(await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })))) return;
      }
    }
  }
  if (!(await send(chunk({}, finish)))) return;
  if (includeUsage) {
    const last: Json = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_fake0001', choices: [], usage };
    if (!(await send(last))) return;
  }
  if (!(await reply.done())) return;
  reply.end();
}
