/**
 * Assembles transcripts per conversation item from deltas and emits them as they grow.
 *
 * After a barge-in the assistant's text is corrected to what was heard: we keep the part of the text
 * proportional to the audio heard (heard ms / received ms of that item), cut back to the last whole
 * word, mark it `truncated: true` and `final: true`, and ignore any later deltas for that item. The
 * model's context holds the same cut (the truncate removes the unheard audio and its transcript server-side),
 * and the text history replayed into a renewed session uses this heard part.
 */
import type { Transcript } from '../../preload/contract.ts';

interface Entry {
  role: 'user' | 'assistant';
  text: string;
  final: boolean;
  truncated: boolean;
  /** What a user message showed (Transcript.picture). */
  picture?: string;
}

export class TranscriptAssembler {
  #items = new Map<string, Entry>();
  #emit: (t: Transcript) => void;
  #conversationId: () => string;

  constructor(emit: (t: Transcript) => void, conversationId: () => string) {
    this.#emit = emit;
    this.#conversationId = conversationId;
  }

  delta(role: 'user' | 'assistant', itemId: string, delta: string): void {
    const e = this.#entry(role, itemId);
    if (e.truncated || e.final) return;
    e.text += delta;
    this.#send(itemId, e);
  }

  /** `picture`: a user message that showed one (its label); the text is then the words that went with it. */
  done(role: 'user' | 'assistant', itemId: string, text: string, picture?: string): void {
    const e = this.#entry(role, itemId);
    if (e.truncated) return;
    e.text = text;
    e.final = true;
    if (picture !== undefined) e.picture = picture;
    this.#send(itemId, e);
  }

  /**
   * Places an item in the conversation before any of its text exists: the user's item is placed when
   * their audio is committed, so the window shows the question above its answer even when the
   * transcription arrives after the reply has started. Does nothing if the item is already known.
   */
  place(role: 'user' | 'assistant', itemId: string): void {
    if (this.#items.has(itemId)) return;
    this.#send(itemId, this.#entry(role, itemId));
  }

  /** Keep the heard fraction (0..1) of the assistant's text, on a word boundary. */
  truncate(itemId: string, heardFraction: number): void {
    const e = this.#entry('assistant', itemId);
    if (e.truncated) return;
    e.text = cutToFraction(e.text, heardFraction);
    e.truncated = true;
    e.final = true;
    this.#send(itemId, e);
  }

  text(itemId: string): string {
    return this.#items.get(itemId)?.text ?? '';
  }

  picture(itemId: string): string | null {
    return this.#items.get(itemId)?.picture ?? null;
  }

  has(itemId: string): boolean {
    return this.#items.has(itemId);
  }

  reset(): void {
    this.#items.clear();
  }

  #entry(role: 'user' | 'assistant', itemId: string): Entry {
    let e = this.#items.get(itemId);
    if (!e) {
      e = { role, text: '', final: false, truncated: false };
      this.#items.set(itemId, e);
    }
    return e;
  }

  #send(itemId: string, e: Entry): void {
    const t: Transcript = { conversationId: this.#conversationId(), itemId, role: e.role, text: e.text, final: e.final, truncated: e.truncated };
    if (e.picture !== undefined) t.picture = e.picture;
    this.#emit(t);
  }
}

/**
 * A user message as the model reads it in replayed text history: the words, after what was shown
 * when the message showed a picture (the picture itself is not replayed).
 */
export function userLineForModel(text: string, picture: string | null): string {
  if (picture === null) return text;
  return `[the user showed a picture: ${picture}]${text ? ` ${text}` : ''}`;
}

export function cutToFraction(text: string, fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  if (f >= 1) return text;
  const at = Math.floor(text.length * f);
  if (at <= 0) return '';
  if (at >= text.length) return text;
  // If the cut falls inside a word, keep that word only when most of it was heard.
  const head = text.slice(0, at);
  if (/\s/.test(text[at] ?? ' ')) return head.trimEnd();
  const wordStart = head.search(/\S+$/);
  const rest = text.slice(at).search(/\s|$/);
  const wordEnd = at + (rest < 0 ? 0 : rest);
  if (wordStart >= 0 && at - wordStart >= (wordEnd - wordStart) / 2) return text.slice(0, wordEnd).trimEnd();
  return (wordStart >= 0 ? text.slice(0, wordStart) : head).trimEnd();
}
