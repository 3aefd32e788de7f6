/**
 * What each request of a cascaded round is billed, and the round's usage and cost summed over them.
 *
 * A request that finished is priced from the usage its API reported (cost/http-prices.ts). One that was
 * cut off reports nothing, yet the service bills what it read and generated ("If the stream is
 * interrupted or cancelled, you may not receive the final usage chunk", ChatCompletionChunk.usage in
 * openai/resources/chat/completions/completions.d.ts), so it is priced from an estimate of the same
 * quantities (http/usage-estimate.ts) and the cost says so (Cost.estimated):
 * - still running when the round ends — a barge-in, a stop, or another stage's failure aborts it: it
 *   was sent, so it is billed from what it sent and what arrived so far;
 * - failed after the service answered (a stream dropped or stalled mid-answer): the same;
 * - failed before the service answered (connection refused, DNS, 401, a refused model, a timeout
 *   before the first byte): the service did no billable work, nothing is added.
 * Per stage, what is estimated: transcription — the seconds of audio sent (a per-minute model is
 * priced by them, a token-priced one by their audio tokens) plus its prompt, and the text received;
 * chat — the prompt messages and tool definitions sent, and the text received; speech — the text
 * (and instructions) sent and the audio received for it.
 */
import type { Usage } from '../../../../preload/contract.ts';
import { SAMPLES_PER_MS } from '../../audio/pcm.ts';
import { emptyUsage } from '../../cost/usage.ts';
import { chatUsd, speechUsd, transcriptionBilledBy, transcriptionUsd } from '../../cost/http-prices.ts';
import type { ChatTokens, SpeechTokens, TranscriptionUsage } from '../../cost/http-prices.ts';
import { assistantAudioTokens, textTokens, userAudioTokens } from '../http/usage-estimate.ts';
import type { PromptEstimate } from '../http/usage-estimate.ts';

/** Where a request stands: running, done (its answer read to the end) or failed. */
export type RequestState = 'running' | 'done' | 'failed';

interface BillBase {
  model: string;
  state: RequestState;
  /** The service answered (a 2xx response's headers came): it is working on the request. */
  answered: boolean;
}

export interface TranscriptionBill extends BillBase {
  stage: 'transcribe';
  /** Seconds of audio sent. */
  seconds: number;
  /** Characters of the transcription prompt sent (read as input text). */
  promptChars: number;
  /** Characters of transcript received. */
  textChars: number;
  usage: TranscriptionUsage | null;
}

export interface ChatBill extends BillBase {
  stage: 'chat';
  /** The prompt sent (messages and tool definitions), estimated when it was sent. */
  prompt: PromptEstimate;
  /** Characters generated so far (text and tool calls). */
  textChars: number;
  usage: ChatTokens | null;
}

export interface SpeechBill extends BillBase {
  stage: 'speech';
  /** Characters of text (and instructions) sent. */
  inputChars: number;
  /** Samples (24 kHz) of audio received. */
  samples: number;
  usage: SpeechTokens | null;
}

export type StageBill = TranscriptionBill | ChatBill | SpeechBill;

/** How a request is counted: from the usage it reported, from an estimate, or not at all. */
export function basisOf(bill: StageBill): 'reported' | 'estimate' | 'none' {
  if (bill.state === 'done') return 'reported';
  if (bill.state === 'running') return 'estimate';
  return bill.answered ? 'estimate' : 'none';
}

export interface PricedBills {
  usage: Usage;
  /** null when a request that counts cannot be priced (unknown model, no usage reported): unknown, never zero. */
  usd: number | null;
  /** Some of it is an estimate. */
  estimated: boolean;
  /** The models of the requests that count, in the order they were sent. */
  models: string[];
}

/** The usage and cost of a round's requests as they stand now. */
export function priceBills(bills: readonly StageBill[]): PricedBills {
  const usage = emptyUsage();
  let usd: number | null = 0;
  let estimated = false;
  const models: string[] = [];
  const add = (v: number | null): void => {
    usd = usd === null || v === null ? null : usd + v;
  };
  for (const bill of bills) {
    const basis = basisOf(bill);
    if (basis === 'none') continue;
    if (basis === 'estimate') estimated = true;
    if (!models.includes(bill.model)) models.push(bill.model);
    if (bill.stage === 'transcribe') {
      const u = basis === 'reported' ? (bill.usage ?? { type: 'duration', seconds: bill.seconds }) : estimateTranscription(bill);
      if (u.type === 'tokens') {
        usage.inputAudioTokens += u.inputTokens;
        usage.outputTextTokens += u.outputTokens;
      }
      add(transcriptionUsd(bill.model, u, bill.seconds));
    } else if (bill.stage === 'chat') {
      const u =
        basis === 'reported'
          ? bill.usage
          : { promptTokens: bill.prompt.textTokens + bill.prompt.audioTokens, cachedTokens: 0, completionTokens: textTokens(bill.textChars) };
      if (u) {
        usage.inputTextTokens += u.promptTokens;
        usage.cachedTextTokens += u.cachedTokens;
        usage.outputTextTokens += u.completionTokens;
      }
      // A cut-off prompt is priced with no cached part: at most what was billed for it.
      add(u ? chatUsd(bill.model, u) : null);
    } else {
      const u = basis === 'reported' ? bill.usage : { inputTokens: textTokens(bill.inputChars), outputTokens: assistantAudioTokens(bill.samples / SAMPLES_PER_MS) };
      if (u) {
        usage.inputTextTokens += u.inputTokens;
        usage.outputAudioTokens += u.outputTokens;
      }
      add(speechUsd(bill.model, u));
    }
  }
  return { usage, usd, estimated, models };
}

/** A per-minute model is billed by the seconds sent; a token-priced one by the audio's tokens and the prompt's. */
function estimateTranscription(bill: TranscriptionBill): TranscriptionUsage {
  if (transcriptionBilledBy(bill.model) === 'minute') return { type: 'duration', seconds: bill.seconds };
  return { type: 'tokens', inputTokens: userAudioTokens(bill.seconds * 1000) + textTokens(bill.promptChars), outputTokens: textTokens(bill.textChars) };
}
