/**
 * The conversation the fake keeps per connection, and the token accounting the service
 * reports in response.done: the whole conversation is input to every response; user audio
 * ≈ 1 token / 100 ms, assistant audio ≈ 1 token / 50 ms, text ≈ 1 token / 4 characters;
 * the unchanged prefix already sent with an earlier response counts as cached (and is still
 * part of input_tokens).
 */
import type { JsonObject } from './session-config.ts';

/** 'mcp': remote MCP items (mcp_list_tools, mcp_approval_request/response, mcp_call; mcp.ts), counted as text. */
export type EntryKind = 'user_audio' | 'user_text' | 'assistant_audio' | 'assistant_text' | 'function_call' | 'function_call_output' | 'system' | 'mcp';

export interface ConversationEntry {
  id: string;
  kind: EntryKind;
  /** The item as the wire shows it (kept current: transcripts, status, truncation). */
  item: JsonObject;
  /** Audio in the model's context, ms (user: committed; assistant: generated, or truncated length). */
  audioMs: number;
  /** Audio the service generated for this item, ms (assistant only); truncation may not exceed it. */
  generatedAudioMs: number;
  /** Text in the model's context (messages, arguments, outputs). */
  text: string;
  /** Signature when last counted as input; equal signature on the next response = cached. */
  countedSignature: string | null;
  /** Image input tokens of the item's input_image parts (images.ts). */
  imageTokens?: number;
}

export interface TokenSplit {
  text: number;
  audio: number;
  /** Image input (user messages with input_image); absent counts as 0. */
  image?: number;
}

export interface UsageJson extends JsonObject {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    text_tokens: number;
    audio_tokens: number;
    image_tokens: number;
    cached_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

export const textTokens = (text: string): number => (text.length === 0 ? 0 : Math.ceil(text.length / 4));
export const userAudioTokens = (ms: number): number => Math.ceil(ms / 100);
export const assistantAudioTokens = (ms: number): number => Math.ceil(ms / 50);

function entryTokens(e: ConversationEntry): TokenSplit {
  const audio = e.kind === 'user_audio' ? userAudioTokens(e.audioMs) : e.kind === 'assistant_audio' ? assistantAudioTokens(e.audioMs) : 0;
  return { text: textTokens(e.text), audio, image: e.imageTokens ?? 0 };
}

function signature(e: ConversationEntry): string {
  return `${e.id}|${e.kind}|${e.audioMs}|${e.text.length}|${e.text.slice(0, 64)}|${e.imageTokens ?? 0}`;
}

export class Conversation {
  readonly entries: ConversationEntry[] = [];
  private headSignature: string | null = null;

  find(id: string): ConversationEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  lastId(): string | null {
    return this.entries.at(-1)?.id ?? null;
  }

  /**
   * Inserts after `previousId` (null: at the end; 'root': at the start).
   * Returns the id of the item before it, or null; undefined when previousId is unknown.
   */
  insert(entry: ConversationEntry, previousId: string | null): string | null | undefined {
    if (previousId === null) {
      const prev = this.lastId();
      this.entries.push(entry);
      return prev;
    }
    if (previousId === 'root') {
      this.entries.unshift(entry);
      return null;
    }
    const at = this.entries.findIndex((e) => e.id === previousId);
    if (at < 0) return undefined;
    this.entries.splice(at + 1, 0, entry);
    return previousId;
  }

  remove(id: string): boolean {
    const at = this.entries.findIndex((e) => e.id === id);
    if (at < 0) return false;
    this.entries.splice(at, 1);
    return true;
  }

  /** Whether any assistant audio is in the conversation (the voice is then fixed). */
  hasAssistantAudio(): boolean {
    return this.entries.some((e) => e.kind === 'assistant_audio' && e.generatedAudioMs > 0);
  }

  /**
   * Counts the input of a response that starts now (instructions + tools + every item), and
   * how much of it is a prefix unchanged since the previous response (cached). Marks the
   * current state as counted.
   */
  countInput(head: string, cacheMinimumTokens: number): { input: TokenSplit; cached: TokenSplit } {
    const input: TokenSplit = { text: textTokens(head), audio: 0, image: 0 };
    const cached: TokenSplit = { text: 0, audio: 0, image: 0 };
    let prefixIntact = this.headSignature === head;
    if (prefixIntact) cached.text += textTokens(head);
    this.headSignature = head;
    for (const e of this.entries) {
      const t = entryTokens(e);
      input.text += t.text;
      input.audio += t.audio;
      input.image = (input.image ?? 0) + (t.image ?? 0);
      const sig = signature(e);
      if (prefixIntact && e.countedSignature === sig) {
        cached.text += t.text;
        cached.audio += t.audio;
        cached.image = (cached.image ?? 0) + (t.image ?? 0);
      } else {
        prefixIntact = false;
      }
      e.countedSignature = sig;
    }
    if (cached.text + cached.audio + (cached.image ?? 0) < cacheMinimumTokens) {
      cached.text = 0;
      cached.audio = 0;
      cached.image = 0;
    }
    // A conversation without pictures reports the text/audio split only, as before images were billed.
    if (!input.image) delete input.image;
    if (!cached.image) delete cached.image;
    return { input, cached };
  }
}

export function makeUsage(input: TokenSplit, cached: TokenSplit, output: TokenSplit): UsageJson {
  const inputTokens = input.text + input.audio + (input.image ?? 0);
  const outputTokens = output.text + output.audio;
  return {
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    input_token_details: {
      text_tokens: input.text,
      audio_tokens: input.audio,
      image_tokens: input.image ?? 0,
      cached_tokens: cached.text + cached.audio + (cached.image ?? 0),
      cached_tokens_details: { text_tokens: cached.text, audio_tokens: cached.audio, image_tokens: cached.image ?? 0 },
    },
    output_token_details: { text_tokens: output.text, audio_tokens: output.audio },
  };
}
