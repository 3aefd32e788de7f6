/**
 * What POST /v1/chat/completions enforces beyond the schema, and what the request costs:
 * - messages must not be empty; `stream_options` only with `stream: true`;
 * - an assistant message with `tool_calls` is followed by one `tool` message per tool_call_id
 *   before any other message, and a `tool` message answers a call of the assistant message before
 *   it (the service's 400s, texts in errors.ts);
 * - `modalities` with 'audio' needs an audio model ('audio' in its name) and the `audio` param,
 *   and when streaming the format 'pcm16';
 * - user `input_audio` parts (wav | mp3) need an audio model and must decode;
 * - an assistant message `{ audio: { id } }` names an id this server issued that has not expired.
 */
import { decodeWav, inputAudioTokens, looksLikeMp3, outputAudioTokens, textTokens } from './audio.ts';
import { httpErrors } from './errors.ts';
import type { SharedState } from './state.ts';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface PromptCost {
  textTokens: number;
  audioTokens: number;
}

export function isAudioModel(model: string): boolean {
  return model.includes('audio');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (isRecord(p) && typeof p['text'] === 'string' ? p['text'] : '')).join('');
}

/** Checks the conversation rules; returns what the prompt costs. Throws HttpError (400). */
export function checkChatRequest(body: Json, state: SharedState): PromptCost {
  const model = String(body['model']);
  const messages = Array.isArray(body['messages']) ? body['messages'].filter(isRecord) : [];
  if (messages.length === 0) {
    throw httpErrors.schema("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  }
  if (body['stream'] !== true && body['stream_options'] != null) throw httpErrors.streamOptionsWithoutStream();
  const modalities = Array.isArray(body['modalities']) ? body['modalities'] : [];
  const wantsAudio = modalities.includes('audio');
  if (wantsAudio && !isAudioModel(model)) throw httpErrors.audioModalityUnsupported(model);
  const audio = body['audio'];
  if (wantsAudio && !isRecord(audio)) throw httpErrors.audioParamMissing();
  if (wantsAudio && body['stream'] === true && isRecord(audio) && audio['format'] !== 'pcm16') throw httpErrors.streamAudioFormat(String(audio['format']));

  let text = 0;
  let audioTokens = 0;
  let pending: { index: number; ids: Set<string> } | null = null;
  let lastCallIds = new Set<string>();
  for (const [index, m] of messages.entries()) {
    const role = m['role'];
    if (pending && role !== 'tool') throw httpErrors.toolCallsWithoutAnswers(pending.index, [...pending.ids]);
    if (role === 'tool') {
      const id = String(m['tool_call_id']);
      if (!lastCallIds.has(id) || (pending && !pending.ids.has(id))) throw httpErrors.toolWithoutCall(index);
      pending?.ids.delete(id);
      if (pending && pending.ids.size === 0) pending = null;
    }
    if (role === 'assistant') {
      const calls = Array.isArray(m['tool_calls']) ? m['tool_calls'].filter(isRecord) : [];
      lastCallIds = new Set(calls.map((c) => String(c['id'])));
      if (calls.length > 0) pending = { index, ids: new Set(lastCallIds) };
      for (const c of calls) text += textTokens(JSON.stringify(c['function'] ?? c['custom'] ?? {}));
      const ref = m['audio'];
      if (isRecord(ref)) {
        const id = String(ref['id']);
        const issued = state.audioIds.get(id);
        if (!issued) throw httpErrors.audioIdUnknown(index, id);
        if (Date.now() > issued.expiresAtMs) throw httpErrors.audioIdExpired(index, id);
        // The referred audio is re-read as input: billed as audio tokens at the assistant rate.
        audioTokens += outputAudioTokens(issued.samples);
      }
    } else if (role !== 'tool') {
      lastCallIds = new Set();
    }
    text += textTokens(textOf(m['content'])) + 4; // + a few tokens of message framing per message
    const content = m['content'];
    if (role === 'user' && Array.isArray(content)) {
      for (const [partIndex, part] of content.entries()) {
        if (!isRecord(part) || part['type'] !== 'input_audio' || !isRecord(part['input_audio'])) continue;
        if (!isAudioModel(model)) throw httpErrors.audioInputUnsupported(index, model);
        const input = part['input_audio'];
        const bytes = Buffer.from(String(input['data']), 'base64');
        let seconds: number;
        if (input['format'] === 'wav') {
          try {
            seconds = decodeWav(bytes).seconds;
          } catch (e) {
            throw httpErrors.inputAudioUndecodable(index, partIndex, e instanceof Error ? e.message : String(e));
          }
        } else {
          if (!looksLikeMp3(bytes)) throw httpErrors.inputAudioUndecodable(index, partIndex, 'no MPEG audio frames');
          seconds = (bytes.byteLength * 8) / 128_000; // not decoded: 128 kbit/s assumed
        }
        audioTokens += inputAudioTokens(seconds);
      }
    }
  }
  if (pending) throw httpErrors.toolCallsWithoutAnswers(pending.index, [...pending.ids]);
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  text += tools.length > 0 ? textTokens(JSON.stringify(tools)) : 0;
  return { textTokens: text, audioTokens };
}
