/** What the cascaded session tests share: a real VoiceSession on the cascaded engine against the HTTP fake. */
import { expect } from 'vitest';
import { CascadedEngine } from '../../../../main/voice/engine/cascaded/cascaded-engine.ts';
import type { CascadedOptions } from '../../../../main/voice/engine/cascaded/cascaded-engine.ts';
import type { Credentials, VoiceConfigInput } from '../../../../main/voice/index.ts';
import type { EngineFactory } from '../../../../main/voice/engine/engine.ts';
import { createEngine } from '../../../../main/voice/engine/create-engine.ts';
import type { Logger } from '../../../../main/base/logger.ts';
import { nullLogger } from '../../../../main/base/logger.ts';
import type { FakeOpenAIHttp, HttpRecord } from '../../../support/fake-openai-http/index.ts';
import { makeHarness } from '../harness.ts';
import type { Harness } from '../harness.ts';

export const API_KEY = 'sk-test-cascaded-abcdefghijkl';

/** A harness whose engine is the cascaded one (with these options, e.g. short timeouts). */
export function cascadedHarness(
  fake: FakeOpenAIHttp,
  config: VoiceConfigInput = {},
  options: Partial<CascadedOptions> = {},
  credentials?: () => Promise<Credentials>,
  logger: Logger = nullLogger,
): Harness {
  const factory: EngineFactory = (kind, deps) => (kind === 'cascaded' ? new CascadedEngine(deps, options) : createEngine(kind, deps));
  return makeHarness(fake, { engine: 'cascaded', ...config }, logger, credentials ?? (async () => ({ apiKey: API_KEY, baseURL: fake.baseURL })), factory);
}

export interface ChatBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: unknown[];
  stream?: boolean;
}

export function chatBody(r: HttpRecord | undefined): ChatBody {
  if (!r) throw new Error('no chat request');
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
  return fake.requestsTo('/v1/audio/speech').map((r) => (r.json as SpeechBody).input);
}

/** The fake refused nothing for its shape, and sent nothing outside the schema; then close. */
export async function finishCascadedTest(fake: FakeOpenAIHttp | null, h: Harness | null): Promise<void> {
  if (fake) expect(fake.schemaErrors).toEqual([]);
  await h?.session.dispose();
  await fake?.close();
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
