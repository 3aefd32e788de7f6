/**
 * One chat-audio "response": one streamed Chat Completions request. What a round holds while it runs,
 * and the summary the session gets when it ends — completed, cancelled or failed — with its usage:
 * the service's own when the stream carried it, else an estimate from what was sent and received
 * (http/usage-estimate.ts: an answer cut off before the usage chunk is still billed), and its cost
 * then says it is an estimate.
 */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Usage } from '../../../../preload/contract.ts';
import { SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { emptyUsage } from '../../cost/usage.ts';
import type { ResponseSummary } from '../engine.ts';
import { newId } from '../http/ids.ts';
import { estimateChatUsage, estimatePrompt } from '../http/usage-estimate.ts';
import type { AssistantEntry, Entry } from './conversation.ts';
import { usageFromCompletion } from './chat-usage.ts';
import { chatAudioCost } from './pricing.ts';
import type { StreamResult } from './stream-reader.ts';

export type RoundKind = { kind: 'voice'; userItemId: string } | { kind: 'text'; userItemId: string } | { kind: 'followup' };

export interface Turn {
  user: Entry;
}

export interface Round {
  responseId: string;
  itemId: string;
  spec: RoundKind;
  textOnly: boolean;
  turn: Turn | null;
  controller: AbortController;
  /** The answer's entry in the conversation, filled as the stream arrives. */
  entry: AssistantEntry;
  receivedSamples: number;
  /** What was sent (for the usage estimate of a cut-off answer). */
  messages: ChatCompletionMessageParam[] | null;
  /** The tool definitions sent with them (billed as prompt tokens). */
  tools: ChatCompletionTool[];
  /** clock.now() when the request went out / its headers came (debug timings). */
  sentAt: number | null;
  headersAt: number | null;
}

export function newRound(spec: RoundKind, textOnly: boolean, turn: Turn | null): Round {
  const itemId = newId('item_');
  return {
    responseId: newId('resp_'),
    itemId,
    spec,
    textOnly,
    turn,
    controller: new AbortController(),
    entry: { kind: 'assistant', itemId, audioId: null, expiresAtMs: null, text: '', heard: null, toolCalls: [] },
    receivedSamples: 0,
    messages: null,
    tools: [],
    sentAt: null,
    headersAt: null,
  };
}

/** The finished stream's answer into the round's conversation entry. */
export function settleEntry(round: Round, result: StreamResult): AssistantEntry {
  const e = round.entry;
  e.audioId = result.audioId;
  e.expiresAtMs = result.expiresAtMs;
  e.toolCalls = result.toolCalls;
  e.text = result.transcript || result.text;
  return e;
}

/** What arrived of a round, priced as an estimate. */
function estimated(round: Round): Usage {
  return estimateChatUsage(estimatePrompt(round.messages ?? [], round.tools), { audioMs: round.receivedSamples / SAMPLES_PER_MS, textChars: round.entry.text.length });
}

/** `extraCosts`: known costs outside the response (the user transcript) that go with it. */
export function completedSummary(round: Round, result: StreamResult, model: string, extraCosts: (number | null)[]): ResponseSummary {
  const usage = result.usage ? usageFromCompletion(result.usage) : estimated(round);
  const spoken = round.receivedSamples > 0 || result.transcript.length > 0;
  return {
    responseId: round.responseId,
    // finish_reason 'length' / 'content_filter': the answer was cut by the service.
    status: result.finishReason === 'length' || result.finishReason === 'content_filter' ? 'incomplete' : 'completed',
    usage,
    cost: chatAudioCost(model, usage, extraCosts, !result.usage),
    model,
    hadFunctionCalls: result.toolCalls.length > 0,
    messageItemIds: spoken || result.text ? [round.itemId] : [],
  };
}

export function cancelledSummary(round: Round, model: string, extraCosts: (number | null)[]): ResponseSummary {
  const usage = round.messages ? estimated(round) : emptyUsage();
  const hadMessage = round.receivedSamples > 0 || round.entry.text.length > 0;
  return {
    responseId: round.responseId,
    status: 'cancelled',
    usage,
    cost: chatAudioCost(model, usage, extraCosts, round.messages !== null),
    model,
    hadFunctionCalls: false,
    messageItemIds: hadMessage ? [round.itemId] : [],
  };
}

/**
 * A request that failed before the service answered (refused connection, 401, a timeout before the
 * headers) is not billed: no usage. Once it had answered (headers, then perhaps some of the answer)
 * it is billed, from an estimate.
 */
export function failedSummary(round: Round, model: string, extraCosts: (number | null)[]): ResponseSummary {
  const answered = round.headersAt !== null || round.receivedSamples > 0 || round.entry.text.length > 0;
  const usage = answered ? estimated(round) : emptyUsage();
  return {
    responseId: round.responseId,
    status: 'failed',
    usage,
    cost: chatAudioCost(model, usage, extraCosts, answered),
    model,
    hadFunctionCalls: false,
    messageItemIds: [],
  };
}
