/**
 * What the user heard of a spoken answer, as text: the Chat Completions audio stream gives one audio
 * track and its transcript, with no word timings (ChatCompletionChunk.Choice.Delta.Audio in
 * openai/resources/chat/completions/completions.d.ts has only id, data, transcript, expires_at). So
 * each sentence is given a share of the audio in proportion to its length, the sentences whose share
 * was fully played are kept, and of the sentence being spoken only the words whose end was reached.
 *
 * The speaking rate comes from the answer itself when both its audio and its transcript are complete
 * (characters per millisecond of this very answer); for an answer cut off mid-stream it falls back to
 * a typical rate for the configured speed, and never claims more text than arrived.
 */

/** About 15 characters a second at speed 1: the rate of the gpt-audio voices on ordinary sentences. */
export const TYPICAL_CHARS_PER_MS = 0.015;

export interface HeardInput {
  /** The answer's transcript as far as it arrived. */
  transcript: string;
  /** Milliseconds of the answer the user heard (the player's rendered samples). */
  heardMs: number;
  /** Milliseconds of audio received for the answer. */
  receivedMs: number;
  /** True when the stream ended normally: transcript and audio are both whole. */
  complete: boolean;
  /** The configured speaking speed (0.25…1.5). */
  speed: number;
}

/** Sentences with their end offsets: a sentence runs to its closing punctuation (or line break) and the spaces after it. */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const re = /[^.!?…\n]*(?:[.!?…]+|\n+|$)\s*/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      if (re.lastIndex > text.length) break;
      continue;
    }
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** Whole words of `text` that end at or before `chars`. */
function wholeWordsWithin(text: string, chars: number): string {
  if (chars >= text.length) return text;
  const head = text.slice(0, Math.max(0, Math.floor(chars)));
  // The word at the cut is kept only when the cut falls right after it (a space or the end follows).
  if (/\s/.test(text.charAt(head.length))) return head.trimEnd();
  const lastSpace = head.search(/\s\S*$/);
  return lastSpace < 0 ? '' : head.slice(0, lastSpace).trimEnd();
}

/** The heard part of the transcript, cut at a word boundary ('' when nothing was heard). */
export function heardText(input: HeardInput): string {
  const text = input.transcript;
  if (text.length === 0 || input.heardMs <= 0) return '';
  if (input.complete && input.heardMs >= input.receivedMs) return text.trim();
  const rate =
    input.complete && input.receivedMs > 0 ? text.length / input.receivedMs : TYPICAL_CHARS_PER_MS * Math.max(0.25, input.speed);
  const heardChars = Math.min(text.length, input.heardMs * rate);
  let kept = '';
  for (const span of sentenceSpans(text)) {
    if (span.end <= heardChars) {
      kept = text.slice(0, span.end);
      continue;
    }
    const sentence = text.slice(span.start, span.end);
    kept = text.slice(0, span.start) + wholeWordsWithin(sentence, heardChars - span.start);
    break;
  }
  return kept.trim();
}
