/**
 * What the user heard of a spoken answer, as text: the milliseconds the player rendered → the words
 * that were sounded by then. The model's context must hold what the user heard, not what was written
 * (the Realtime engine truncates its item to the played audio for the same reason, DESIGN §2 Barge-in).
 *
 * Two HTTP engines, two kinds of timing:
 * - the cascaded engine speaks every sentence with its own speech request, so each sentence's place in
 *   the answer's audio is known to the sample (heardOfSentences);
 * - the chat-audio engine gets one audio track and its transcript with no word timings
 *   (ChatCompletionChunk.Choice.Delta.Audio in openai/resources/chat/completions/completions.d.ts has
 *   only id, data, transcript, expires_at), so each sentence gets a share of the audio in proportion
 *   to its length (heardOfTranscript).
 * Both keep the sentences played whole, and of the sentence sounding at the cut only its whole words.
 * Where no rate is known yet (the answer was cut off before its audio was complete) both assume the
 * same typical speaking rate, and neither claims more text than arrived.
 */

/** About 15 characters a second at speed 1: the TTS and gpt-audio voices on ordinary sentences. */
export const TYPICAL_CHARS_PER_SECOND = 15;

/** The typical rate at a speaking speed (0.25…1.5; slower than 0.25 is not believed). */
export function typicalCharsPerMs(speed: number): number {
  return (TYPICAL_CHARS_PER_SECOND / 1000) * Math.max(0.25, speed);
}

/** The whole words of `text` that end within its first `chars` characters. */
export function wholeWordsWithin(text: string, chars: number): string {
  if (chars >= text.length) return text;
  const n = Math.max(0, Math.floor(chars));
  const head = text.slice(0, n);
  // The word at the cut is kept only when the cut falls right after it (a space follows).
  if (/\s/.test(text.charAt(n))) return head.trimEnd();
  const lastSpace = head.search(/\s\S*$/);
  return lastSpace < 0 ? '' : head.slice(0, lastSpace).trimEnd();
}

// ---------- by sentence timing (cascaded) ----------

export interface SpokenSentence {
  text: string;
  /** Sample offset of its first sample within the item's audio. */
  startSample: number;
  /** Samples received for it so far. */
  samples: number;
  /** All of its audio arrived. */
  complete: boolean;
}

/**
 * The heard part of sentences each spoken on its own. A sentence whose audio was still arriving has no
 * known length yet: it is estimated from the speaking rate of the finished sentences (or the typical
 * rate), and never taken as shorter than what arrived.
 */
export function heardOfSentences(sentences: readonly SpokenSentence[], heardSamples: number, sampleRate = 24_000, speed = 1): string {
  if (heardSamples <= 0) return '';
  const finished = sentences.filter((s) => s.complete && s.samples > 0);
  const chars = finished.reduce((n, s) => n + s.text.length, 0);
  const samples = finished.reduce((n, s) => n + s.samples, 0);
  const samplesPerChar = chars > 0 ? samples / chars : sampleRate / 1000 / typicalCharsPerMs(speed);
  const kept: string[] = [];
  for (const s of sentences) {
    if (s.samples === 0 && !s.complete) break; // nothing of it arrived: nothing of it was heard
    const length = s.complete ? s.samples : Math.max(s.samples, s.text.length * samplesPerChar);
    const end = s.startSample + length;
    if (heardSamples >= end) {
      kept.push(s.text);
      continue;
    }
    const played = Math.max(0, heardSamples - s.startSample);
    const part = wholeWordsWithin(s.text, (played / Math.max(1, length)) * s.text.length);
    if (part) kept.push(part);
    break;
  }
  return kept.join(' ').trim();
}

// ---------- by share of one track (chat-audio) ----------

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

/**
 * The heard part of one transcript over one track. The rate comes from the answer itself when both its
 * audio and its transcript are complete (characters per millisecond of this very answer).
 */
export function heardOfTranscript(input: HeardInput): string {
  const text = input.transcript;
  if (text.length === 0 || input.heardMs <= 0) return '';
  if (input.complete && input.heardMs >= input.receivedMs) return text.trim();
  const rate = input.complete && input.receivedMs > 0 ? text.length / input.receivedMs : typicalCharsPerMs(input.speed);
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
