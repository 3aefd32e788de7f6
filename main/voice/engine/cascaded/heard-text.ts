/**
 * What the user heard of a cascaded answer. Every sentence was spoken by its own speech request, so
 * its place in the item's audio is known to the sample: the sentences that ended before the cut were
 * heard whole; of the sentence playing at the cut, the share of its characters equal to the share of
 * its audio played, cut back to the last whole word. A sentence whose audio was still arriving has no
 * known length yet: it is estimated from the speaking rate of the finished sentences (or a typical
 * rate), and never taken as shorter than what arrived.
 */

/** About 15 characters a second: ordinary speech of the TTS voices at speed 1. */
export const TYPICAL_MS_PER_CHAR = 66;

export interface SpokenSentence {
  text: string;
  /** Sample offset of its first sample within the item's audio. */
  startSample: number;
  /** Samples received for it so far. */
  samples: number;
  /** All of its audio arrived. */
  complete: boolean;
}

export function heardText(sentences: readonly SpokenSentence[], heardSamples: number, sampleRate = 24_000, speed = 1): string {
  if (heardSamples <= 0) return '';
  const finished = sentences.filter((s) => s.complete && s.samples > 0);
  const chars = finished.reduce((n, s) => n + s.text.length, 0);
  const samples = finished.reduce((n, s) => n + s.samples, 0);
  const samplesPerChar = chars > 0 ? samples / chars : (TYPICAL_MS_PER_CHAR / Math.max(0.25, speed)) * (sampleRate / 1000);
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

/** The whole words of `text` that end within its first `chars` characters. */
export function wholeWordsWithin(text: string, chars: number): string {
  if (chars >= text.length) return text;
  const n = Math.max(0, Math.floor(chars));
  const head = text.slice(0, n);
  if (n < text.length && /\s/.test(text.charAt(n))) return head.trimEnd();
  const lastSpace = head.search(/\s\S*$/);
  return lastSpace < 0 ? '' : head.slice(0, lastSpace).trimEnd();
}
