/**
 * POST /v1/audio/transcriptions (multipart/form-data). Decodes the uploaded WAV (or sizes an MP3),
 * refuses audio under 0.1 s like the service (`audio_too_short`), answers `{ text, usage }` or, with
 * `stream=true`, SSE `transcript.text.delta` … `transcript.text.done` (TranscriptionStreamEvent;
 * the service refuses streaming for whisper-1).
 *
 * Usage follows the SDK's types per model: gpt-*-transcribe models bill tokens
 * (`{ type: 'tokens', input_tokens, output_tokens, total_tokens, input_token_details }`, audio at
 * about 1 token per 100 ms, DESIGN §3); whisper-1 bills duration (`{ type: 'duration', seconds }`).
 */
import { decodeWav, inputAudioTokens, looksLikeMp3, textTokens } from './audio.ts';
import { formToJson } from './body.ts';
import { HttpError, assertValidRequest, httpErrors } from './errors.ts';
import type { Reply } from './reply.ts';
import { sleep } from './reply.ts';
import type { SharedState } from './state.ts';
import { wordPieces } from './state.ts';
import type { HttpRecord } from './types.ts';

const KNOWN_EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];

/** Seconds of audio in the upload; throws HttpError for what the service refuses. */
function audioSeconds(file: HttpRecord['files'][number]): number {
  const ext = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? '';
  if (!KNOWN_EXTENSIONS.includes(ext)) throw httpErrors.unsupportedFileFormat();
  if (ext === 'wav') {
    try {
      return decodeWav(file.bytes).seconds;
    } catch (e) {
      throw httpErrors.corruptAudio(e instanceof Error ? e.message : String(e));
    }
  }
  if (ext === 'mp3' || ext === 'mpga' || ext === 'mpeg') {
    if (!looksLikeMp3(file.bytes)) throw httpErrors.corruptAudio('no MPEG audio frames');
    // The fake does not decode MP3: assume 128 kbit/s, enough for usage figures.
    return (file.bytes.byteLength * 8) / 128_000;
  }
  throw new HttpError(400, {
    message: `fake-openai-http decodes only WAV and MP3 uploads, not .${ext} (a limitation of the test server, not of the service).`,
    type: 'invalid_request_error',
    param: 'file',
    code: 'unsupported_value',
  });
}

function usageFor(model: string, seconds: number, prompt: string | undefined, text: string): Record<string, unknown> {
  if (model === 'whisper-1') return { type: 'duration', seconds: Math.ceil(seconds) };
  const audio = inputAudioTokens(seconds);
  const promptTokens = textTokens(prompt ?? '');
  const output = textTokens(text);
  return {
    type: 'tokens',
    input_tokens: audio + promptTokens,
    output_tokens: output,
    total_tokens: audio + promptTokens + output,
    input_token_details: { audio_tokens: audio, text_tokens: promptTokens },
  };
}

function logprobsOf(text: string): { token: string; logprob: number; bytes: number[] }[] {
  return wordPieces(text).map((w) => ({ token: w, logprob: -0.0123, bytes: [...Buffer.from(w, 'utf8')] }));
}

function captions(format: 'srt' | 'vtt', text: string, seconds: number): string {
  const stamp = (s: number, sep: string): string => {
    const ms = Math.round(s * 1000);
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor(ms / 60_000) % 60;
    const sec = Math.floor(ms / 1000) % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}${sep}${String(ms % 1000).padStart(3, '0')}`;
  };
  return format === 'srt'
    ? `1\n${stamp(0, ',')} --> ${stamp(seconds, ',')}\n${text}\n\n`
    : `WEBVTT\n\n${stamp(0, '.')} --> ${stamp(seconds, '.')}\n${text}\n\n`;
}

export async function handleTranscription(record: HttpRecord, reply: Reply, state: SharedState): Promise<void> {
  if (!record.form) throw httpErrors.notMultipart();
  const params = formToJson(record.form);
  assertValidRequest('transcription', params);
  if (typeof params['model'] !== 'string' || params['model'] === '') throw httpErrors.schema("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const model = params['model'];
  const file = record.files.find((f) => f.field === 'file');
  if (!file) throw httpErrors.missingFile();

  const stream = params['stream'] === true;
  const format = typeof params['response_format'] === 'string' ? params['response_format'] : 'json';
  const include = Array.isArray(params['include']) ? params['include'] : [];
  const temperature = params['temperature'];
  if (typeof temperature === 'number' && (temperature < 0 || temperature > 1)) throw httpErrors.numberOutOfRange('temperature', 0, 1, temperature);
  if (stream && model === 'whisper-1') throw httpErrors.streamUnsupported(model);
  // gpt-*-transcribe answer json or text only; verbose_json, srt and vtt are whisper-1's (API reference).
  if (model !== 'whisper-1' && ['verbose_json', 'srt', 'vtt'].includes(format)) throw httpErrors.unsupportedForModel('response_format', format, model);
  if (format === 'diarized_json' && !model.includes('diarize')) throw httpErrors.unsupportedForModel('response_format', format, model);
  if (include.includes('logprobs') && (model === 'whisper-1' || format !== 'json')) throw httpErrors.unsupportedForModel('include', 'logprobs', model);

  const seconds = audioSeconds(file);
  if (seconds < 0.1) throw httpErrors.audioTooShort(seconds);

  const text = state.userTranscript;
  const prompt = typeof params['prompt'] === 'string' ? params['prompt'] : undefined;
  const usage = usageFor(model, seconds, prompt, text);
  await sleep(state.delays.transcriptionMs);

  if (stream) {
    reply.startStream('text/event-stream; charset=utf-8');
    for (const piece of wordPieces(text)) {
      const delta: Record<string, unknown> = { type: 'transcript.text.delta', delta: piece };
      if (include.includes('logprobs')) delta['logprobs'] = logprobsOf(piece);
      if (!(await reply.sse('transcription.event', delta))) return;
    }
    const done: Record<string, unknown> = { type: 'transcript.text.done', text, usage };
    if (include.includes('logprobs')) done['logprobs'] = logprobsOf(text);
    if (!(await reply.sse('transcription.event', done))) return;
    reply.end();
    return;
  }
  switch (format) {
    case 'text':
      reply.text(200, `${text}\n`);
      return;
    case 'srt':
    case 'vtt':
      reply.text(200, captions(format, text, seconds), format === 'vtt' ? 'text/vtt; charset=utf-8' : 'text/plain; charset=utf-8');
      return;
    case 'verbose_json':
      reply.json(
        200,
        {
          task: 'transcribe',
          language: typeof params['language'] === 'string' ? params['language'] : 'english',
          duration: seconds,
          text,
          segments: [{ id: 0, seek: 0, start: 0, end: seconds, text, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 }],
          usage,
        },
        'transcription.verbose',
      );
      return;
    default: {
      const body: Record<string, unknown> = { text, usage };
      if (include.includes('logprobs')) body['logprobs'] = logprobsOf(text);
      reply.json(200, body, 'transcription');
    }
  }
}
