/**
 * Stage 3: text → 24 kHz mono PCM16 with `audio.speech.create` (SpeechCreateParams in
 * openai/resources/audio/speech.d.ts: model, voice, instructions, speed, response_format 'pcm',
 * stream_format 'audio' | 'sse'). The PCM is handed on chunk by chunk as it arrives.
 *
 * On the user's main endpoint the SSE form is used: `speech.audio.delta {audio: base64}` …
 * `speech.audio.done {usage: {input_tokens, output_tokens, total_tokens}}` (the API reference's
 * SpeechAudioDeltaEvent / SpeechAudioDoneEvent; the SDK has no type for them, so they are checked with
 * zod here), which carries the usage the turn is priced from. A stage on its own server gets raw PCM
 * (stream_format 'audio'), which local servers speak; it reports no usage (cost unknown).
 */
import { Stream } from 'openai/streaming';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import { z } from 'zod';
import type { Clock } from '../../../base/clock.ts';
import { base64ToPcm } from '../../audio/pcm.ts';
import type { SpeechTokens } from '../../cost/http-prices.ts';
import type { Stage } from '../http/stage-client.ts';
import { requestControl } from '../http/request-control.ts';

/** The API's limit on `input` ("The maximum length is 4096 characters"). */
export const SPEECH_MAX_CHARS = 4096;

export interface SpeechInput {
  stage: Stage;
  model: string;
  voice: string;
  text: string;
  instructions: string;
  speed: number;
  signal: AbortSignal;
  clock: Clock;
  idleMs: number;
  onAudio: (pcm: Int16Array) => void;
  /** The service answered (its headers came): from here on the request is billed even if cut off. */
  onAnswered?: () => void;
}

/** Whether `instructions` go with a request to `model` ("Does not work with tts-1 or tts-1-hd."). */
function takesInstructions(model: string, instructions: string): boolean {
  return instructions !== '' && !/^tts-1/.test(model);
}

/** The characters of text a speech request sends (input and instructions: both are read as input text). */
export function speechInputChars(model: string, text: string, instructions: string): number {
  return Math.min(text.length, SPEECH_MAX_CHARS) + (takesInstructions(model, instructions) ? instructions.length : 0);
}

const SpeechEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('speech.audio.delta'), audio: z.string() }).loose(),
  z
    .object({
      type: z.literal('speech.audio.done'),
      usage: z.object({ input_tokens: z.number().nonnegative(), output_tokens: z.number().nonnegative() }).loose().optional(),
    })
    .loose(),
]);

/** Speaks `text`; resolves with the usage the server reported (null when it reports none). */
export async function synthesize(input: SpeechInput): Promise<SpeechTokens | null> {
  const sse = input.stage.mainEndpoint;
  const params: SpeechCreateParams = {
    model: input.model,
    voice: input.voice,
    input: input.text.slice(0, SPEECH_MAX_CHARS),
    response_format: 'pcm',
    stream_format: sse ? 'sse' : 'audio',
    ...(input.speed !== 1 ? { speed: input.speed } : {}),
    ...(takesInstructions(input.model, input.instructions) ? { instructions: input.instructions } : {}),
  };
  const rc = requestControl(input.signal, input.clock, input.idleMs);
  try {
    const response = await input.stage.client.audio.speech.create(params, { signal: rc.signal });
    rc.alive();
    input.onAnswered?.();
    if (sse) return await readSse(response, rc, input.onAudio);
    await readPcm(response, rc, input.onAudio);
    rc.throwIfStalled(); // raw PCM has no end event: only the watchdog knows the body was cut
    return null;
  } catch (err) {
    throw rc.reason(err);
  } finally {
    rc.done();
  }
}

async function readSse(response: Response, rc: { signal: AbortSignal; alive(): void }, onAudio: (pcm: Int16Array) => void): Promise<SpeechTokens | null> {
  const ctl = new AbortController();
  rc.signal.addEventListener('abort', () => ctl.abort(rc.signal.reason), { once: true });
  const stream = Stream.fromSSEResponse<unknown>(response, ctl);
  let usage: SpeechTokens | null = null;
  let done = false;
  for await (const raw of stream) {
    rc.alive();
    const e = SpeechEventSchema.safeParse(raw);
    if (!e.success) continue;
    if (e.data.type === 'speech.audio.delta') {
      const pcm = base64ToPcm(e.data.audio);
      if (pcm.length > 0) onAudio(pcm);
    } else {
      done = true;
      if (e.data.usage) usage = { inputTokens: e.data.usage.input_tokens, outputTokens: e.data.usage.output_tokens };
    }
  }
  if (!done) throw new Error('the speech stream ended before speech.audio.done');
  return usage;
}

async function readPcm(response: Response, rc: { alive(): void }, onAudio: (pcm: Int16Array) => void): Promise<void> {
  if (!response.body) return;
  let carry: number | null = null; // a byte of a sample split across two chunks
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rc.alive();
    let bytes = chunk;
    if (carry !== null) {
      const joined = new Uint8Array(chunk.length + 1);
      joined[0] = carry;
      joined.set(chunk, 1);
      bytes = joined;
      carry = null;
    }
    const even = bytes.length & ~1;
    if (bytes.length > even) carry = bytes[even] ?? null;
    if (even === 0) continue;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, even);
    const pcm = new Int16Array(even / 2);
    for (let i = 0; i < pcm.length; i++) pcm[i] = view.readInt16LE(i * 2);
    onAudio(pcm);
  }
}
