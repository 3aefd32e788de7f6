/**
 * One response, streamed like the service does it: response.created → output item →
 * content part → audio deltas (faster than real time, in ~100 ms pieces) interleaved with
 * transcript deltas → the .done events → response.done with usage → rate_limits.updated.
 * Or a function call: arguments deltas → done. Cancel ends it with status "cancelled".
 * Remote MCP (mcp.ts): an mcp_approval_request item alone, or an mcp_call item (arguments deltas →
 * in_progress → completed/failed) at output_index 0 before the reply.
 */
import { pcm16ToBase64, samplesToMs, msToSamples } from './audio.ts';
import { assistantAudioTokens, makeUsage, textTokens } from './conversation.ts';
import type { Conversation, ConversationEntry, TokenSplit } from './conversation.ts';
import type { IdMaker } from './ids.ts';
import type { JsonObject } from './session-config.ts';
import type { RealtimeEventJson } from './types.ts';

export interface ResponsePlan {
  kind: 'audio' | 'text' | 'function_call' | 'mcp_approval_request';
  transcript: string;
  samples: Int16Array;
  toolCall: { name: string; arguments: string; callId: string } | null;
  /** kind 'mcp_approval_request': the item (its id is the one the answer must name). */
  mcpApprovalItem?: JsonObject | null;
  /** A native MCP tool the service runs before the reply; `error` makes it fail. */
  mcpCall?: { item: JsonObject; output: string; error: string | null } | null;
  /** Extra wait before the first audio delta. */
  slowFirstByteMs: number;
  /** Destroy the socket after this many audio deltas (null: never). */
  dropAfterDeltas: number | null;
  /** false when response.create asked for conversation "none". */
  inConversation: boolean;
  metadata: JsonObject | null;
  voice: string;
  /** Instructions + tools as text, counted as input. */
  head: string;
  speedup: number;
  deltaMs: number;
  cacheMinimumTokens: number;
}

export interface ResponderHost {
  ids: IdMaker;
  conversation: Conversation;
  conversationId: string;
  send(event: RealtimeEventJson): void;
  /** Destroy the TCP socket without a close frame. */
  dropSocket(): void;
  /** Called once after response.done (or after abort). */
  finished(run: ResponseRun): void;
  /** Counts responses for rate_limits.updated. */
  rateLimits(usedTokens: number): JsonObject[];
}

type Status = 'in_progress' | 'completed' | 'cancelled';

export class ResponseRun {
  readonly id: string;
  private readonly host: ResponderHost;
  private readonly plan: ResponsePlan;
  private timer: NodeJS.Timeout | null = null;
  private status: Status = 'in_progress';
  private item: JsonObject | null = null;
  private entry: ConversationEntry | null = null;
  private samplesSent = 0;
  private deltasSent = 0;
  private transcriptSent = '';
  private argumentsSent = '';
  private textWordsSent = 0;
  private input: TokenSplit = { text: 0, audio: 0 };
  private cached: TokenSplit = { text: 0, audio: 0 };
  private contentStarted = false;
  /** performance.now() of the first audio delta: later deltas are due at this + n × interval. */
  private audioStartedAt: number | null = null;
  private over = false;
  /** Items output before the main one (an mcp_call), and so the main item's output_index. */
  private readonly preItems: JsonObject[] = [];
  private outputIndex = 0;

  constructor(host: ResponderHost, plan: ResponsePlan) {
    this.host = host;
    this.plan = plan;
    this.id = host.ids.next('resp');
  }

  get active(): boolean {
    return !this.over;
  }

  /** Id of the output item (null until added). */
  get itemId(): string | null {
    return typeof this.item?.['id'] === 'string' ? this.item['id'] : null;
  }

  start(): void {
    const counted = this.host.conversation.countInput(this.plan.head, this.plan.cacheMinimumTokens);
    this.input = counted.input;
    this.cached = counted.cached;
    this.host.send({ type: 'response.created', response: this.responseJson(null) });
    this.later(0, () => (this.plan.mcpCall ? this.runMcpCall() : this.addItem()));
  }

  /** The service runs a native MCP tool: the mcp_call item and its events, then the reply. */
  private runMcpCall(): void {
    const call = this.plan.mcpCall;
    if (!call) return;
    const item: JsonObject = { ...structuredClone(call.item), arguments: '' };
    const id = String(item['id']);
    const args = String(call.item['arguments']);
    const entry: ConversationEntry | null = this.plan.inConversation
      ? { id, kind: 'mcp', item, audioMs: 0, generatedAudioMs: 0, text: '', countedSignature: null }
      : null;
    const previous = entry ? (this.host.conversation.insert(entry, null) ?? null) : null;
    const base = { response_id: this.id, item_id: id, output_index: 0 };
    this.host.send({ type: 'response.output_item.added', response_id: this.id, output_index: 0, item: structuredClone(item) });
    if (entry) this.host.send({ type: 'conversation.item.added', previous_item_id: previous, item: structuredClone(item) });
    for (let i = 0; i < args.length; i += 24) this.host.send({ type: 'response.mcp_call_arguments.delta', ...base, delta: args.slice(i, i + 24) });
    this.host.send({ type: 'response.mcp_call_arguments.done', ...base, arguments: args });
    item['arguments'] = args;
    this.host.send({ type: 'response.mcp_call.in_progress', item_id: id, output_index: 0 });
    this.later(this.intervalMs, () => {
      if (call.error !== null) {
        item['error'] = { type: 'tool_execution_error', message: call.error };
        this.host.send({ type: 'response.mcp_call.failed', item_id: id, output_index: 0 });
      } else {
        item['output'] = call.output;
        this.host.send({ type: 'response.mcp_call.completed', item_id: id, output_index: 0 });
      }
      if (entry) entry.text = `${args}${call.error ?? call.output}`;
      this.host.send({ type: 'response.output_item.done', response_id: this.id, output_index: 0, item: structuredClone(item) });
      if (entry) this.host.send({ type: 'conversation.item.done', previous_item_id: previous, item: structuredClone(item) });
      this.preItems.push(item);
      this.outputIndex = 1;
      this.addItem();
    });
  }

  /** Ends the response now with status cancelled. */
  cancel(reason: 'client_cancelled' | 'turn_detected'): void {
    if (this.over) return;
    this.clearTimer();
    this.status = 'cancelled';
    this.finish({ type: 'cancelled', reason });
  }

  /** The socket went away: stop without sending anything. */
  abort(): void {
    if (this.over) return;
    this.clearTimer();
    this.over = true;
    this.host.finished(this);
  }

  private later(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.over) fn();
    }, ms);
  }

  /**
   * Runs fn at an absolute time (performance.now() clock). Chained relative timers would add each
   * timer's lateness to all that follow, so a loaded machine would slow the whole stream down.
   */
  private at(dueAt: number, fn: () => void): void {
    this.later(Math.max(0, dueAt - performance.now()), fn);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private get intervalMs(): number {
    const { speedup, deltaMs } = this.plan;
    return speedup > 0 && Number.isFinite(speedup) ? deltaMs / speedup : 0;
  }

  private addItem(): void {
    const id = this.plan.kind === 'mcp_approval_request' && this.plan.mcpApprovalItem ? String(this.plan.mcpApprovalItem['id']) : this.host.ids.next('item');
    if (this.plan.kind === 'mcp_approval_request' && this.plan.mcpApprovalItem) {
      // RealtimeMcpApprovalRequest has no status or object field (additionalProperties: false).
      this.item = structuredClone(this.plan.mcpApprovalItem);
    } else if (this.plan.kind === 'function_call' && this.plan.toolCall) {
      const call = this.plan.toolCall;
      this.item = { id, type: 'function_call', object: 'realtime.item', status: 'in_progress', name: call.name, call_id: call.callId, arguments: '' };
    } else {
      this.item = { id, type: 'message', object: 'realtime.item', status: 'in_progress', role: 'assistant', content: [] };
    }
    const item = this.item;
    let previous: string | null = null;
    if (this.plan.inConversation) {
      this.entry = {
        id,
        kind:
          this.plan.kind === 'mcp_approval_request'
            ? 'mcp'
            : this.plan.kind === 'function_call'
              ? 'function_call'
              : this.plan.kind === 'text'
                ? 'assistant_text'
                : 'assistant_audio',
        item,
        audioMs: 0,
        generatedAudioMs: 0,
        text: '',
        countedSignature: null,
      };
      previous = this.host.conversation.insert(this.entry, null) ?? null;
    }
    this.host.send({ type: 'response.output_item.added', response_id: this.id, output_index: this.outputIndex, item: structuredClone(item) });
    if (this.plan.inConversation) this.host.send({ type: 'conversation.item.added', previous_item_id: previous, item: structuredClone(item) });
    if (this.plan.kind === 'mcp_approval_request') {
      if (this.entry) this.entry.text = String(item['arguments'] ?? '');
      this.later(this.intervalMs, () => {
        this.status = 'completed';
        this.finish(null);
      });
    } else if (this.plan.kind === 'function_call') this.later(this.intervalMs, () => this.streamArguments());
    else this.later(0, () => this.addContentPart());
  }

  private addContentPart(): void {
    const part = this.plan.kind === 'text' ? { type: 'text', text: '' } : { type: 'audio', transcript: '' };
    this.contentStarted = true;
    this.host.send({ type: 'response.content_part.added', response_id: this.id, item_id: this.itemId ?? '', output_index: this.outputIndex, content_index: 0, part });
    if (this.plan.kind === 'text') this.later(this.intervalMs, () => this.streamText());
    else this.later(this.plan.slowFirstByteMs, () => this.streamAudio());
  }

  /** Words of the transcript due after `fraction` of the audio. */
  private transcriptUpTo(fraction: number): string {
    const words = this.plan.transcript.split(/(?<=\s)/);
    const n = Math.round(words.length * Math.min(1, fraction));
    return words.slice(0, n).join('');
  }

  private streamAudio(): void {
    this.audioStartedAt ??= performance.now();
    const total = this.plan.samples.length;
    const per = Math.max(1, msToSamples(this.plan.deltaMs));
    const from = this.samplesSent;
    const to = Math.min(total, from + per);
    const base = { response_id: this.id, item_id: this.itemId ?? '', output_index: this.outputIndex, content_index: 0 };
    const due = this.transcriptUpTo(total === 0 ? 1 : to / total);
    if (due.length > this.transcriptSent.length) {
      this.host.send({ type: 'response.output_audio_transcript.delta', ...base, delta: due.slice(this.transcriptSent.length) });
      this.transcriptSent = due;
    }
    if (to > from) {
      this.host.send({ type: 'response.output_audio.delta', ...base, delta: pcm16ToBase64(this.plan.samples.subarray(from, to)) });
      this.samplesSent = to;
      this.deltasSent += 1;
      if (this.entry) {
        this.entry.generatedAudioMs = samplesToMs(this.samplesSent);
        this.entry.audioMs = this.entry.generatedAudioMs;
      }
      if (this.plan.dropAfterDeltas !== null && this.deltasSent >= this.plan.dropAfterDeltas) {
        this.host.dropSocket();
        this.abort();
        return;
      }
    }
    if (this.samplesSent >= total) {
      this.status = 'completed';
      this.finish(null);
      return;
    }
    // Delta n (counting from 0) is due at start + n × interval: the pace holds on average, whatever the
    // lateness of single timers (a late delta is followed by the next one at once, not an interval later).
    this.at(this.audioStartedAt + this.deltasSent * this.intervalMs, () => this.streamAudio());
  }

  private streamText(): void {
    const base = { response_id: this.id, item_id: this.itemId ?? '', output_index: this.outputIndex, content_index: 0 };
    const words = this.plan.transcript.split(/(?<=\s)/);
    this.textWordsSent = Math.min(words.length, this.textWordsSent + 3);
    const next = words.slice(0, this.textWordsSent).join('');
    if (next.length > this.transcriptSent.length) {
      this.host.send({ type: 'response.output_text.delta', ...base, delta: next.slice(this.transcriptSent.length) });
      this.transcriptSent = next;
    }
    if (this.transcriptSent.length >= this.plan.transcript.length) {
      this.status = 'completed';
      this.finish(null);
      return;
    }
    this.later(this.intervalMs, () => this.streamText());
  }

  private streamArguments(): void {
    const call = this.plan.toolCall;
    if (!call) return;
    const chunk = call.arguments.slice(this.argumentsSent.length, this.argumentsSent.length + 24);
    if (chunk.length > 0) {
      this.host.send({ type: 'response.function_call_arguments.delta', response_id: this.id, item_id: this.itemId ?? '', output_index: this.outputIndex, call_id: call.callId, delta: chunk });
      this.argumentsSent += chunk;
    }
    if (this.argumentsSent.length >= call.arguments.length) {
      this.host.send({
        type: 'response.function_call_arguments.done',
        response_id: this.id,
        item_id: this.itemId ?? '',
        output_index: this.outputIndex,
        call_id: call.callId,
        name: call.name,
        arguments: call.arguments,
      });
      this.status = 'completed';
      this.finish(null);
      return;
    }
    this.later(Math.min(this.intervalMs, 5), () => this.streamArguments());
  }

  private finish(statusDetails: JsonObject | null): void {
    this.clearTimer();
    const base = { response_id: this.id, item_id: this.itemId ?? '', output_index: this.outputIndex, content_index: 0 };
    const item = this.item;
    if (item) {
      if (this.plan.kind !== 'mcp_approval_request') item['status'] = this.status === 'completed' ? 'completed' : 'incomplete';
      if (this.plan.kind === 'mcp_approval_request') {
        // Nothing streams: the request is complete as it was added.
      } else if (this.plan.kind === 'function_call') {
        item['arguments'] = this.argumentsSent;
        if (this.entry) this.entry.text = this.argumentsSent;
      } else {
        if (this.contentStarted) {
          if (this.plan.kind === 'text') {
            this.host.send({ type: 'response.output_text.done', ...base, text: this.transcriptSent });
            item['content'] = [{ type: 'output_text', text: this.transcriptSent }];
            this.host.send({ type: 'response.content_part.done', ...base, part: { type: 'text', text: this.transcriptSent } });
          } else {
            this.host.send({ type: 'response.output_audio.done', ...base });
            this.host.send({ type: 'response.output_audio_transcript.done', ...base, transcript: this.transcriptSent });
            item['content'] = [{ type: 'output_audio', transcript: this.transcriptSent }];
            this.host.send({ type: 'response.content_part.done', ...base, part: { type: 'audio', transcript: this.transcriptSent } });
          }
        }
        if (this.entry && this.plan.kind === 'text') this.entry.text = this.transcriptSent;
      }
      this.host.send({ type: 'response.output_item.done', response_id: this.id, output_index: this.outputIndex, item: structuredClone(item) });
      if (this.plan.inConversation && this.entry && this.host.conversation.find(this.entry.id)) {
        this.host.send({ type: 'conversation.item.done', item: structuredClone(item) });
      }
    }
    const output: TokenSplit = {
      audio: assistantAudioTokens(samplesToMs(this.samplesSent)),
      text:
        (this.plan.kind === 'function_call' ? textTokens(this.argumentsSent) : this.plan.kind === 'mcp_approval_request' ? textTokens(String(item?.['arguments'] ?? '')) : textTokens(this.transcriptSent)) +
        this.preItems.reduce((n, p) => n + textTokens(String(p['arguments'] ?? '')), 0),
    };
    const usage = makeUsage(this.input, this.cached, output);
    this.over = true;
    this.host.send({ type: 'response.done', response: this.responseJson(statusDetails, usage) });
    this.host.send({ type: 'rate_limits.updated', rate_limits: this.host.rateLimits(usage.total_tokens) });
    this.host.finished(this);
  }

  private responseJson(statusDetails: JsonObject | null, usage: JsonObject | null = null): JsonObject {
    const done = usage !== null;
    const response: JsonObject = {
      object: 'realtime.response',
      id: this.id,
      status: done ? this.status : 'in_progress',
      status_details: statusDetails,
      output: done ? [...this.preItems, ...(this.item ? [this.item] : [])].map((i) => structuredClone(i)) : [],
      output_modalities: this.plan.kind === 'text' ? ['text'] : ['audio'],
      max_output_tokens: 'inf',
      audio: { output: { format: { type: 'audio/pcm', rate: 24000 }, voice: this.plan.voice } },
      usage,
      metadata: this.plan.metadata,
    };
    if (this.plan.inConversation) response['conversation_id'] = this.host.conversationId;
    return response;
  }
}
