/** One user turn and everything measured about it. */
import type { Latency, Usage } from '../../preload/contract.ts';
import { emptyUsage } from './cost/usage.ts';
import type { EngineKind } from './config.ts';

export interface ToolCallRecord {
  callId: string;
  name: string;
  arguments: string;
  output: string;
  status: 'done' | 'denied' | 'error';
  durationMs: number;
}

export type TurnOutcome = 'completed' | 'interrupted' | 'failed' | 'too-short' | 'cancelled';

/** How the user asked (spoken or typed) and how the answer came (spoken, or text only). */
export interface TurnInput {
  /** 'image': a picture of the screen or a file, with or without typed words. */
  kind: 'voice' | 'text' | 'image';
  replyAs: 'voice' | 'text';
}

export interface TurnRecord {
  turnId: string;
  conversationId: string;
  startedAtEpochMs: number;
  input: TurnInput;
  userItemId: string | null;
  userText: string;
  /** What the user's message showed (its label), for a turn that showed a picture; else null. */
  userPicture: string | null;
  assistantItemIds: string[];
  assistantText: string;
  toolCalls: ToolCallRecord[];
  /** audio_end_ms sent in the truncate after a barge-in (0 when the item was deleted), else null. */
  truncatedAtMs: number | null;
  usage: Usage;
  /** null when a model of the turn is not in the price table. */
  costUsd: number | null;
  /** Part of the cost is an estimate: a request was cut off before it reported its usage (Cost.estimated). */
  costEstimated: boolean;
  /** The engine and model(s) that answered ("realtime", "gpt-realtime-2.1"). */
  engine: EngineKind;
  model: string;
  latency: Latency;
  outcome: TurnOutcome;
  error: string | null;
}

/** Working state of a turn while it runs. */
export interface ActiveTurn {
  id: string;
  startedAtEpochMs: number;
  input: TurnInput;
  keyUpAt: number | null;
  keyUpEpoch: number | null;
  commitAt: number | null;
  firstAudioAt: number | null;
  firstAudioEpoch: number | null;
  firstSampleAt: number | null;
  committed: boolean;
  userItemId: string | null;
  responseIds: Set<string>;
  openResponses: Set<string>;
  assistantItemIds: string[];
  pendingTools: number;
  toolCalls: ToolCallRecord[];
  finalResponseDone: boolean;
  aborted: boolean;
  /** A barge-in waits for the player's report before the truncate is known. */
  awaitingStopReport: boolean;
  truncatedAtMs: number | null;
  usage: Usage;
  /** Sum of the priced responses; `costUnknown` once any response could not be priced. */
  costUsd: number;
  costUnknown: boolean;
  /** Some response of the turn was priced from an estimate (Cost.estimated). */
  costEstimated: boolean;
  /** The date of the price table that priced (or could not price) the last response. */
  pricesReadOn: string | null;
  /** The model(s) of the last response, as the engine names them. */
  model: string | null;
  failed: string | null;
  finished: boolean;
}

export function newTurn(id: string, epoch: number, input: TurnInput = { kind: 'voice', replyAs: 'voice' }): ActiveTurn {
  return {
    id,
    startedAtEpochMs: epoch,
    input,
    keyUpAt: null,
    keyUpEpoch: null,
    commitAt: null,
    firstAudioAt: null,
    firstAudioEpoch: null,
    firstSampleAt: null,
    committed: false,
    userItemId: null,
    responseIds: new Set(),
    openResponses: new Set(),
    assistantItemIds: [],
    pendingTools: 0,
    toolCalls: [],
    finalResponseDone: false,
    aborted: false,
    awaitingStopReport: false,
    truncatedAtMs: null,
    usage: emptyUsage(),
    costUsd: 0,
    costUnknown: false,
    costEstimated: false,
    pricesReadOn: null,
    model: null,
    failed: null,
    finished: false,
  };
}

const round = (v: number): number => Math.round(v * 10) / 10;

/**
 * Latency of a turn. For a typed turn, "key up" is the moment it was sent and "commit" the moment its
 * item was written to the socket; for a text-only answer, "first audio" is the first text delta and,
 * as nothing is played, the total runs from sending to that first text.
 */
export function latencyOf(t: ActiveTurn): Latency {
  const keyUpToCommitMs = t.keyUpAt != null && t.commitAt != null ? round(t.commitAt - t.keyUpAt) : null;
  const commitToFirstAudioMs = t.commitAt != null && t.firstAudioAt != null ? round(t.firstAudioAt - t.commitAt) : null;
  const firstAudioToFirstSampleMs =
    t.firstAudioEpoch != null && t.firstSampleAt != null ? round(t.firstSampleAt - t.firstAudioEpoch) : null;
  const totalMs = t.keyUpEpoch != null && t.firstSampleAt != null ? round(t.firstSampleAt - t.keyUpEpoch) : null;
  return { keyUpToCommitMs, commitToFirstAudioMs, firstAudioToFirstSampleMs, totalMs };
}
