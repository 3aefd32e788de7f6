/** A real VoiceSession on the chat-audio engine against the fake OpenAI HTTP server, and what the tests read from the requests. */
import { expect } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp, FakeOpenAIHttpOptions, HttpRecord } from '../../../support/fake-openai-http/index.ts';
import { ChatAudioEngine } from '../../../../main/voice/engine/chat-audio/chat-audio-engine.ts';
import type { ChatAudioEngineOptions } from '../../../../main/voice/engine/chat-audio/chat-audio-engine.ts';
import { createEngine } from '../../../../main/voice/engine/create-engine.ts';
import type { Credentials, VoiceConfigInput } from '../../../../main/voice/index.ts';
import type { Logger } from '../../../../main/base/logger.ts';
import { nullLogger } from '../../../../main/base/logger.ts';
import { makeHarness } from '../harness.ts';
import type { Harness } from '../harness.ts';

export const CHAT = '/v1/chat/completions';
export const TRANSCRIBE = '/v1/audio/transcriptions';

export interface Rig {
  fake: FakeOpenAIHttp;
  h: Harness;
}

export async function startRig(
  options: { fake?: FakeOpenAIHttpOptions; config?: VoiceConfigInput; engine?: ChatAudioEngineOptions; logger?: Logger; credentials?: (fake: FakeOpenAIHttp) => () => Promise<Credentials> } = {},
): Promise<Rig> {
  const fake = await startFakeOpenAIHttp({ speedup: 8, ...options.fake });
  const engineOptions: ChatAudioEngineOptions = { stage: { timeoutMs: 5000, maxRetries: 2, maxRetryAfterMs: 3000 }, streamIdleMs: 5000, ...options.engine };
  const h = makeHarness(
    fake,
    { engine: 'chat-audio', ...options.config },
    options.logger ?? nullLogger,
    options.credentials?.(fake),
    (kind, deps) => (kind === 'chat-audio' ? new ChatAudioEngine(deps, engineOptions) : createEngine(kind, deps)),
  );
  return { fake, h };
}

/** Every request the engine sent passed the SDK-derived schema and every answer of the fake did too; then both close. */
export async function finishRig(rig: Rig | null): Promise<void> {
  if (!rig) return;
  expect(rig.fake.schemaErrors).toEqual([]);
  await rig.h.session.dispose();
  await rig.fake.close();
}

export interface ChatBody {
  model: string;
  messages: ChatCompletionMessageParam[];
  modalities?: string[];
  audio?: { voice: string; format: string };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: unknown[];
  tool_choice?: unknown;
}

export function chatBody(r: HttpRecord | undefined): ChatBody {
  if (!r) throw new Error('no such chat request');
  return r.json as ChatBody;
}

/** The decoded PCM of a base64 WAV `input_audio` part (44-byte header, PCM16 mono). */
export function wavPcm(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
  expect(bytes.readUInt32LE(24)).toBe(24000);
  const data = bytes.subarray(44);
  const out = new Int16Array(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
  return out;
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
