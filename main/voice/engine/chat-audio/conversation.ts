/**
 * The conversation the chat-audio engine re-sends with every request (Chat Completions is stateless),
 * and how each part of it is written into `messages`:
 *
 * - The user's spoken question goes up once as audio (`input_audio`, WAV, base64) and again only
 *   within the same turn (tool rounds: the model keeps hearing the question it is answering). From
 *   the next turn on it is sent as its transcript — a second upload of the same audio would be paid
 *   again as audio input tokens (about 1 per 100 ms, DESIGN §3) on every later turn. When no
 *   transcript exists (the transcription failed or is switched off), the audio is re-sent instead,
 *   so the model never loses what was asked.
 * - The assistant's spoken answer is referred to as `{role:'assistant', audio:{id}}` while that id is
 *   valid (`expires_at`, ChatCompletionAudio in openai/resources/chat/completions/completions.d.ts:
 *   "no longer be accessible on the server for use in multi-turn conversations" after it), and by its
 *   transcript (`content`) once it has expired. An answer the user cut off is always sent as the heard
 *   part of its transcript: its audio id would give the model the whole answer back. It ends with the
 *   same interruption mark the cascaded engine uses (http/chat-messages.ts), so the model knows the rest
 *   was not heard.
 * - Tool calls and their outputs are kept as `tool_calls` + `tool` messages; a call whose output never
 *   came (the user moved on) gets a placeholder output, because the API refuses an assistant message
 *   with `tool_calls` that is not followed by a `tool` message for each id.
 * - Typed turns are text content; images are `image_url` parts.
 *
 * Only the last `replayTurns` user turns are sent (config.replayTurns), cut at a user message so a
 * tool call is never separated from its output.
 */
import type { ChatCompletionAssistantMessageParam, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { HistoryEntry, UserImage } from '../engine.ts';
import { imageContent, interruptedText, toolCallParams, toolResultMessages } from '../http/chat-messages.ts';
import type { ToolCallRecord } from '../http/chat-messages.ts';

/** An audio id this close to its expiry is not used: the request could arrive after it expired. */
export const AUDIO_ID_MARGIN_MS = 60_000;

export type Entry =
  | { kind: 'user-audio'; itemId: string; wavBase64: string; transcript: string | null }
  | { kind: 'user-text'; itemId: string; text: string }
  | { kind: 'user-image'; itemId: string; image: UserImage; text: string | null }
  | {
      kind: 'assistant';
      itemId: string;
      /** The audio id of a spoken answer, and when it stops being usable (epoch ms). */
      audioId: string | null;
      expiresAtMs: number | null;
      /** The whole transcript (spoken answer) or text (text answer) as it arrived. */
      text: string;
      /** After a barge-in: the part the user heard; null when the whole answer counts. */
      heard: string | null;
      toolCalls: ToolCallRecord[];
    }
  /** Text history handed over by the session (another engine's turns, or a renewal). */
  | { kind: 'replayed'; role: 'user' | 'assistant'; text: string };

export type AssistantEntry = Extract<Entry, { kind: 'assistant' }>;

export class ChatAudioConversation {
  #entries: Entry[] = [];
  #toolOutputs = new Map<string, string>();

  get entries(): readonly Entry[] {
    return this.#entries;
  }

  isEmpty(): boolean {
    return this.#entries.length === 0;
  }

  /** Where the current turn starts: rolled back to when its request fails. */
  mark(): number {
    return this.#entries.length;
  }

  rollback(mark: number): void {
    for (const e of this.#entries.splice(mark)) {
      if (e.kind === 'assistant') for (const c of e.toolCalls) this.#toolOutputs.delete(c.id);
    }
  }

  add(entry: Entry): void {
    this.#entries.push(entry);
  }

  assistant(itemId: string): AssistantEntry | undefined {
    return this.#entries.find((e): e is AssistantEntry => e.kind === 'assistant' && e.itemId === itemId);
  }

  userAudio(itemId: string): Extract<Entry, { kind: 'user-audio' }> | undefined {
    return this.#entries.find((e): e is Extract<Entry, { kind: 'user-audio' }> => e.kind === 'user-audio' && e.itemId === itemId);
  }

  remove(entry: Entry): void {
    this.#entries = this.#entries.filter((e) => e !== entry);
  }

  setToolOutput(callId: string, output: string): boolean {
    const known = this.#entries.some((e) => e.kind === 'assistant' && e.toolCalls.some((c) => c.id === callId));
    if (known) this.#toolOutputs.set(callId, output);
    return known;
  }

  /** Stop referring to any answer by its audio id (the service refused one); returns how many there were. */
  forgetAudioIds(): number {
    let n = 0;
    for (const e of this.#entries) {
      if (e.kind === 'assistant' && e.audioId !== null) {
        e.audioId = null;
        n++;
      }
    }
    return n;
  }

  /** Replace everything with a text history (renewal, another engine's conversation). */
  replaceWith(history: readonly HistoryEntry[]): void {
    this.#entries = history.map((h) => ({ kind: 'replayed', role: h.role, text: h.text }));
    this.#toolOutputs.clear();
  }

  clear(): void {
    this.#entries = [];
    this.#toolOutputs.clear();
  }

  /**
   * The `messages` of the next request. `turnStart` is the index of the current turn's first entry
   * (its audio is sent as audio); `nowMs` is the wall clock (epoch ms) that audio ids are checked against.
   */
  toMessages(options: { instructions: string; turnStart: number; nowMs: number; replayTurns: number }): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    if (options.instructions) out.push({ role: 'system', content: options.instructions });
    const first = this.#firstReplayed(options.replayTurns, options.turnStart);
    for (let i = first; i < this.#entries.length; i++) {
      const e = this.#entries[i];
      if (!e) continue;
      const current = i >= options.turnStart;
      switch (e.kind) {
        case 'replayed':
          out.push(e.role === 'user' ? { role: 'user', content: e.text } : { role: 'assistant', content: e.text });
          break;
        case 'user-text':
          out.push({ role: 'user', content: e.text });
          break;
        case 'user-audio':
          if (!current && e.transcript) out.push({ role: 'user', content: e.transcript });
          else out.push({ role: 'user', content: [{ type: 'input_audio', input_audio: { data: e.wavBase64, format: 'wav' } }] });
          break;
        case 'user-image':
          out.push({ role: 'user', content: imageContent(e.image, e.text) });
          break;
        case 'assistant':
          this.#writeAssistant(out, e, options.nowMs);
          break;
      }
    }
    return out;
  }

  /**
   * The first entry to send: the start of the `replayTurns`-th past user turn before the current one
   * (config.replayTurns: "how many past turns are replayed"), so the current turn is always sent whole.
   */
  #firstReplayed(replayTurns: number, turnStart: number): number {
    let users = 0;
    let first = Math.min(turnStart, this.#entries.length);
    for (let i = first - 1; i >= 0; i--) {
      const e = this.#entries[i];
      const isUser = e?.kind === 'user-audio' || e?.kind === 'user-text' || e?.kind === 'user-image' || (e?.kind === 'replayed' && e.role === 'user');
      if (!isUser) continue;
      if (users === replayTurns) return first;
      users++;
      first = i;
    }
    return 0;
  }

  #writeAssistant(out: ChatCompletionMessageParam[], e: AssistantEntry, nowMs: number): void {
    const msg: ChatCompletionAssistantMessageParam = { role: 'assistant' };
    const interrupted = e.heard !== null;
    const audioValid = e.audioId !== null && e.expiresAtMs !== null && e.expiresAtMs - AUDIO_ID_MARGIN_MS > nowMs;
    if (!interrupted && audioValid && e.audioId) msg.audio = { id: e.audioId };
    else {
      const text = (interrupted ? e.heard : e.text)?.trim() ?? '';
      if (text) msg.content = interrupted ? interruptedText(text) : text;
    }
    if (e.toolCalls.length > 0) msg.tool_calls = toolCallParams(e.toolCalls);
    if (!msg.audio && msg.content === undefined && !msg.tool_calls) {
      // Nothing of it was heard and it called no tool: as if it had not been said (the Realtime
      // engine deletes such an item).
      return;
    }
    out.push(msg);
    out.push(...toolResultMessages(e.toolCalls, this.#toolOutputs));
  }
}
