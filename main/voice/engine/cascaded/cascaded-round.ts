/**
 * One cascaded "response": a chat round, with the transcription in front of it on a spoken turn and
 * its speech after it. What a round holds while it runs, what its failure says to the user, and what
 * it cost, summed over its requests (stage-bills.ts: the usage each API reported, or an estimate for a
 * request that was cut off).
 */
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions/completions';
import type { EngineError, ResponseOptions } from '../engine.ts';
import { redact } from '../../../base/redact.ts';
import { DEFAULT_STAGE_OPTIONS } from '../http/stage-client.ts';
import type { Stage, StageOptions } from '../http/stage-client.ts';
import { describeHttpError, isAbort, missingCredentials } from '../http/http-errors.ts';
import { newId } from '../http/ids.ts';
import type { SpokenSentence } from '../http/heard-text.ts';
import type { SpeechQueue } from './speech-queue.ts';
import { priceBills } from './stage-bills.ts';
import type { PricedBills, StageBill } from './stage-bills.ts';

export interface CascadedOptions extends StageOptions {
  /** A stream that sends nothing for this long is given up (ms). */
  idleMs: number;
  /** Speech requests in flight at once while pipelining. */
  speechInFlight: number;
}

export const DEFAULT_CASCADED_OPTIONS: CascadedOptions = { ...DEFAULT_STAGE_OPTIONS, idleMs: 30_000, speechInFlight: 2 };

/** What a round answers: a spoken turn, a typed one, or a follow-up (after tool outputs). */
export type Job =
  | { kind: 'voice'; pcm: Int16Array; options: ResponseOptions }
  | { kind: 'user'; itemId: string; content: string | ChatCompletionContentPart[]; options: ResponseOptions }
  | { kind: 'respond'; options: ResponseOptions };

export interface Round {
  responseId: string;
  itemId: string;
  options: ResponseOptions;
  abort: AbortController;
  cancelled: boolean;
  finished: boolean;
  queue: SpeechQueue | null;
  /** Chat text written so far. */
  text: string;
  hadFunctionCalls: boolean;
  received: number;
  sentences: SpokenSentence[];
  startedAt: number;
  models: string[];
  /** Every request the round sent, in order, with what it is billed (stage-bills.ts). */
  bills: StageBill[];
}

export function newRound(options: ResponseOptions, now: number): Round {
  return {
    responseId: newId('resp_es'),
    itemId: newId('msg_es'),
    options,
    abort: new AbortController(),
    cancelled: false,
    finished: false,
    queue: null,
    text: '',
    hadFunctionCalls: false,
    received: 0,
    sentences: [],
    startedAt: now,
    models: [],
    bills: [],
  };
}

/** Stop everything the round has in flight: its speech queue and its requests. */
export function stopRound(r: Round): void {
  r.cancelled = true;
  r.queue?.stop();
  r.abort.abort();
}

/** A stage failed: the error, and which stage, to say so. */
export class StageFailure extends Error {
  readonly stage: Stage;
  readonly error: unknown;
  constructor(stage: Stage, error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.stage = stage;
    this.error = error;
  }
}

/** A stage's client could not be had: no key is set. */
export class MissingCredentials extends Error {}

/** What a failed round tells the user. */
export function roundError(err: unknown): EngineError {
  if (err instanceof MissingCredentials) return missingCredentials(err);
  if (err instanceof StageFailure) {
    return isAbort(err.error)
      ? { code: 'aborted', message: `The ${err.stage.name} request was aborted.`, causeType: null, benign: false, fatal: false }
      : describeHttpError(err.error, err.stage, 'stream');
  }
  return { code: 'engine_failed', message: redact(`The cascaded engine failed: ${err instanceof Error ? err.message : String(err)}`), causeType: null, benign: false, fatal: false };
}

/**
 * Usage summed over the requests, and the cost: unknown (null) when any request that counts cannot be
 * priced; estimated when a request was cut off before it reported its usage. Priced the moment the
 * round ends: a request still running then is being aborted with it.
 */
export function pricedRound(r: Round): PricedBills {
  const priced = priceBills(r.bills);
  return { ...priced, models: [...new Set([...r.models, ...priced.models])] };
}
