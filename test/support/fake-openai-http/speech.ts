/**
 * POST /v1/audio/speech. The audio is deterministic speech cut from the reply.wav fixture,
 * `speechMsPerChar × input.length / speed` long. `response_format: 'pcm'` streams raw 24 kHz
 * mono PCM16 in 100 ms chunks (chunked transfer, paced by speedup); 'wav' streams a WAV the same
 * way; `stream_format: 'sse'` sends `speech.audio.delta` events and one `speech.audio.done` with
 * usage (API reference, SpeechAudioDeltaEvent / SpeechAudioDoneEvent).
 *
 * Usage: input tokens are the text tokens of `input` and `instructions`, output tokens the audio
 * at about 1 token per 50 ms (DESIGN §3).
 */
import { encodeWav, outputAudioTokens, pcm16Bytes, RATE, synthSpeech, textTokens } from './audio.ts';
import { HttpError, assertValidRequest, httpErrors } from './errors.ts';
import type { Reply } from './reply.ts';
import { sleep } from './reply.ts';
import type { SharedState } from './state.ts';
import { paceMs } from './state.ts';
import type { HttpRecord } from './types.ts';

/** The service's limit on `input` (API reference: "The maximum length is 4096 characters"). */
export const MAX_INPUT_CHARS = 4096;
const CHUNK_MS = 100;
const BUILT_IN_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
const LEGACY_MODELS = ['tts-1', 'tts-1-hd'];

const CONTENT_TYPES: Record<string, string> = { pcm: 'audio/pcm', wav: 'audio/wav' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function handleSpeech(record: HttpRecord, reply: Reply, state: SharedState): Promise<void> {
  if (record.json === null) throw httpErrors.invalidJson();
  assertValidRequest('speech', record.json);
  const body = record.json as Record<string, unknown>;
  const input = String(body['input']);
  const model = String(body['model']);
  const format = typeof body['response_format'] === 'string' ? body['response_format'] : 'mp3';
  const streamFormat = typeof body['stream_format'] === 'string' ? body['stream_format'] : 'audio';
  const speed = typeof body['speed'] === 'number' ? body['speed'] : 1;
  const instructions = typeof body['instructions'] === 'string' ? body['instructions'] : '';
  const voice = body['voice'];

  if (input.length > MAX_INPUT_CHARS) throw httpErrors.stringTooLong('input', MAX_INPUT_CHARS, input.length);
  if (input.length === 0) throw httpErrors.emptyInput('input');
  if (speed < 0.25 || speed > 4) throw httpErrors.numberOutOfRange('speed', 0.25, 4, speed);
  if (typeof voice === 'string' && !BUILT_IN_VOICES.includes(voice)) {
    throw httpErrors.schema(`Invalid value: '${voice}'. Supported values are: ${BUILT_IN_VOICES.map((v) => `'${v}'`).join(', ')}.`, 'voice', 'invalid_value');
  }
  if (isRecord(voice) && !String(voice['id']).startsWith('voice_')) throw httpErrors.schema(`Voice ${String(voice['id'])} not found.`, 'voice.id', 'invalid_value');
  // Doc comments of SpeechCreateParams: instructions and sse do not work with tts-1 / tts-1-hd.
  if (instructions && LEGACY_MODELS.includes(model)) throw httpErrors.unsupportedForModel('instructions', 'instructions', model);
  if (streamFormat === 'sse' && LEGACY_MODELS.includes(model)) throw httpErrors.unsupportedForModel('stream_format', 'sse', model);
  const contentType = CONTENT_TYPES[format];
  if (!contentType) {
    throw new HttpError(400, {
      message: `fake-openai-http produces only 'pcm' and 'wav' speech, not '${format}' (a limitation of the test server, not of the service): ask for response_format 'pcm' or 'wav'.`,
      type: 'invalid_request_error',
      param: 'response_format',
      code: 'unsupported_value',
    });
  }

  const samples = synthSpeech(state.replySamples, (state.speechMsPerChar * input.length) / speed);
  const bytes = format === 'wav' ? encodeWav(samples) : pcm16Bytes(samples);
  const usageInput = textTokens(input) + textTokens(instructions);
  const usageOutput = outputAudioTokens(samples.length);

  await sleep(state.delays.speechFirstByteMs);
  const chunkBytes = Math.round((CHUNK_MS / 1000) * RATE) * 2;
  const header = format === 'wav' ? 44 : 0;
  const pieces: Buffer[] = [];
  // The WAV header travels with the first chunk of audio.
  for (let at = 0; at < bytes.byteLength; at += at === 0 ? header + chunkBytes : chunkBytes) {
    pieces.push(bytes.subarray(at, Math.min(bytes.byteLength, at + (at === 0 ? header + chunkBytes : chunkBytes))));
  }

  if (streamFormat === 'sse') {
    reply.startStream('text/event-stream; charset=utf-8');
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) await sleep(paceMs(state, CHUNK_MS));
      if (!(await reply.sse('speech.event', { type: 'speech.audio.delta', audio: piece.toString('base64') }))) return;
    }
    const done = { type: 'speech.audio.done', usage: { input_tokens: usageInput, output_tokens: usageOutput, total_tokens: usageInput + usageOutput } };
    if (!(await reply.sse('speech.event', done))) return;
    reply.end();
    return;
  }
  reply.startStream(contentType);
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(paceMs(state, CHUNK_MS));
    if (!(await reply.write(piece))) return;
  }
  reply.end();
}
