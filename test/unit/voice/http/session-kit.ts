/**
 * What the session tests of the HTTP engines (cascaded, chat-audio) share: a real VoiceSession on the
 * engine against the fake OpenAI HTTP server, the spoken fixtures, what the tests read from the
 * requests, and the check after each test (every request and answer passed the SDK-derived schema).
 */
import { afterEach, beforeAll, expect } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp, FakeOpenAIHttpOptions, HttpRecord } from '../../../support/fake-openai-http/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../../support/fixtures.ts';
import { CascadedEngine } from '../../../../main/voice/engine/cascaded/cascaded-engine.ts';
import type { CascadedOptions } from '../../../../main/voice/engine/cascaded/cascaded-round.ts';
import { ChatAudioEngine } from '../../../../main/voice/engine/chat-audio/chat-audio-engine.ts';
import type { ChatAudioEngineOptions } from '../../../../main/voice/engine/chat-audio/chat-audio-request.ts';
import { createEngine } from '../../../../main/voice/engine/create-engine.ts';
import type { EngineFactory } from '../../../../main/voice/engine/engine.ts';
import type { Credentials, VoiceConfigInput } from '../../../../main/voice/index.ts';
import type { Logger } from '../../../../main/base/logger.ts';
import { nullLogger } from '../../../../main/base/logger.ts';
import { makeHarness } from '../harness.ts';
import type { Harness } from '../harness.ts';

/** The key the harness sends by default; the fake refuses any other. */
export const API_KEY = 'sk-test-abcdefghijklmnop';
export const CHAT = '/v1/chat/completions';
export const TRANSCRIBE = '/v1/audio/transcriptions';
export const SPEECH = '/v1/audio/speech';

export type HttpEngineKind = 'cascaded' | 'chat-audio';

export interface Rig {
  fake: FakeOpenAIHttp;
  h: Harness;
}

export interface RigOptions {
  fake?: FakeOpenAIHttpOptions;
  config?: VoiceConfigInput;
  /** Engine options (short timeouts…) of the cascaded engine. */
  cascaded?: Partial<CascadedOptions>;
  /** Engine options of the chat-audio engine (default: 5 s timeouts, a 5 s stream watchdog). */
  chatAudio?: ChatAudioEngineOptions;
  logger?: Logger;
  credentials?: (fake: FakeOpenAIHttp) => () => Promise<Credentials>;
}

/** The fake's default pace per engine: the chat-audio answers are long single streams, sped up more. */
const FAKE_DEFAULTS: Record<HttpEngineKind, FakeOpenAIHttpOptions> = { cascaded: {}, 'chat-audio': { speedup: 8 } };
const CHAT_AUDIO_DEFAULTS: ChatAudioEngineOptions = { stage: { timeoutMs: 5000, maxRetries: 2, maxRetryAfterMs: 3000 }, streamIdleMs: 5000 };

export async function startRig(engine: HttpEngineKind, options: RigOptions = {}): Promise<Rig> {
  const fake = await startFakeOpenAIHttp({ apiKey: API_KEY, ...FAKE_DEFAULTS[engine], ...options.fake });
  const factory: EngineFactory = (kind, deps) => {
    if (kind === 'cascaded') return new CascadedEngine(deps, options.cascaded);
    if (kind === 'chat-audio') return new ChatAudioEngine(deps, { ...CHAT_AUDIO_DEFAULTS, ...options.chatAudio });
    return createEngine(kind, deps);
  };
  const h = makeHarness(fake, { engine, ...options.config }, options.logger ?? nullLogger, options.credentials?.(fake), factory);
  return { fake, h };
}

/** Every request the engine sent passed the SDK-derived schema and every answer of the fake did too; then both close. */
export async function finishRig(rig: Rig | null): Promise<void> {
  if (!rig) return;
  expect(rig.fake.schemaErrors).toEqual([]);
  await rig.h.session.dispose();
  await rig.fake.close();
}

export interface SessionTests {
  /** question.wav and followup.wav, loaded before the file's tests. */
  readonly speech: { question: Int16Array; followup: Int16Array };
  /** Starts this test's rig; after the test it is checked and closed (finishRig). */
  start(options?: RigOptions): Promise<Rig>;
}

/** Registers a test file's hooks: the fixtures loaded once, and each test's rig checked and closed after it. */
export function httpSessionTests(engine: HttpEngineKind): SessionTests {
  const speech: { question: Int16Array; followup: Int16Array } = { question: new Int16Array(0), followup: new Int16Array(0) };
  let rig: Rig | null = null;
  beforeAll(async () => {
    await ensureFixtures();
    speech.question = readWavPcm16(fixturePath('question.wav')).samples;
    speech.followup = readWavPcm16(fixturePath('followup.wav')).samples;
  });
  afterEach(async () => {
    const done = rig;
    rig = null;
    await finishRig(done);
  });
  return {
    speech,
    start: async (options) => {
      rig = await startRig(engine, options);
      return rig;
    },
  };
}

/** Notices that are not mere information, as the user reads them. */
export const warnings = (h: Harness): string[] => h.rec.notices.filter((n) => n.level !== 'info').map((n) => n.message);

/** Samples the player received, over all items. */
export const played = (h: Harness): number => [...h.playback.written.values()].reduce((a, b) => a + b, 0);

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

export interface SpeechBody {
  input: string;
  model: string;
  voice: string;
  instructions?: string;
  response_format?: string;
  stream_format?: string;
}

export function speechInputs(fake: FakeOpenAIHttp): string[] {
  return fake.requestsTo(SPEECH).map((r) => (r.json as SpeechBody).input);
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
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
