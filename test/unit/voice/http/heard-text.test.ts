/** What a cut-off answer keeps as heard: by each sentence's own timing (cascaded), or by share of one track (chat-audio). */
import { describe, expect, it } from 'vitest';
import { heardOfSentences, heardOfTranscript, TYPICAL_CHARS_PER_SECOND, wholeWordsWithin } from '../../../../main/voice/engine/http/heard-text.ts';
import type { SpokenSentence } from '../../../../main/voice/engine/http/heard-text.ts';

describe('heard text by sentence timing', () => {
  const sentences = (texts: string[], samplesPerChar: number, complete = true): SpokenSentence[] => {
    let at = 0;
    return texts.map((text) => {
      const samples = text.length * samplesPerChar;
      const s = { text, startSample: at, samples, complete };
      at += samples;
      return s;
    });
  };

  it('keeps whole sentences played and the words of the one cut, by its own timing', () => {
    const s = sentences(['One two three.', 'Four five six seven.'], 100);
    expect(heardOfSentences(s, 0)).toBe('');
    expect(heardOfSentences(s, 1400)).toBe('One two three.');
    // Half of sentence 2 (20 chars → 10 chars: "Four five ").
    expect(heardOfSentences(s, 1400 + 1000)).toBe('One two three. Four five');
    expect(heardOfSentences(s, 1400 + 2000)).toBe('One two three. Four five six seven.');
    expect(heardOfSentences(s, 99_999)).toBe('One two three. Four five six seven.');
  });

  it('estimates a sentence still arriving from the rate of the finished ones', () => {
    const s = sentences(['Aaaa bbbb.', 'Cccc dddd eeee ffff.'], 50);
    const last = s[1] as SpokenSentence;
    last.complete = false;
    last.samples = 200; // only 200 of its 1000 samples arrived
    // Heard 500 (sentence 1) + 500 of sentence 2: half of it by the estimate, not "all that arrived".
    expect(heardOfSentences(s, 1000)).toBe('Aaaa bbbb. Cccc dddd');
  });

  it('with no finished sentence, assumes the typical rate at the configured speed', () => {
    const text = 'Aaaa bbbb cccc dddd eeee ffff gggg hhhh.'; // 40 characters
    const s: SpokenSentence[] = [{ text, startSample: 0, samples: 100, complete: false }];
    // 1 s at 15 characters a second = 15 characters: "Aaaa bbbb cccc " → three words.
    expect(heardOfSentences(s, 24_000, 24_000, 1)).toBe('Aaaa bbbb cccc');
    // At speed 0.5 the same second says half as much: 7.5 characters → one word.
    expect(heardOfSentences(s, 24_000, 24_000, 0.5)).toBe('Aaaa');
  });

  it('never cuts inside a word', () => {
    expect(wholeWordsWithin('alpha beta gamma', 8)).toBe('alpha');
    expect(wholeWordsWithin('alpha beta gamma', 10)).toBe('alpha beta');
    expect(wholeWordsWithin('alpha beta gamma', 3)).toBe('');
  });
});

describe('heard text by share of one track', () => {
  const TEXT = 'You have three files. A budget, a letter, and some photos from the trip.';

  it('of a complete answer: the heard share of its own speaking rate, whole words only', () => {
    const total = 5000;
    expect(heardOfTranscript({ transcript: TEXT, heardMs: total, receivedMs: total, complete: true, speed: 1 })).toBe(TEXT);
    expect(heardOfTranscript({ transcript: TEXT, heardMs: 0, receivedMs: total, complete: true, speed: 1 })).toBe('');
    // 30 % of 72 characters = 21.6: "You have three files." (21) is whole, the next word is not reached.
    expect(heardOfTranscript({ transcript: TEXT, heardMs: 1500, receivedMs: total, complete: true, speed: 1 })).toBe('You have three files.');
    // 40 %: 28.8 characters: the first sentence and "A budget," (ends at 31) is not yet whole → "A".
    expect(heardOfTranscript({ transcript: TEXT, heardMs: 2000, receivedMs: total, complete: true, speed: 1 })).toBe('You have three files. A');
  });

  it('of an answer cut off mid-stream: the same typical rate, never more than arrived', () => {
    expect(TYPICAL_CHARS_PER_SECOND).toBe(15);
    // 1 s at 15 characters a second.
    expect(heardOfTranscript({ transcript: TEXT, heardMs: 1000, receivedMs: 2000, complete: false, speed: 1 })).toBe('You have three');
    expect(heardOfTranscript({ transcript: 'Short one.', heardMs: 9000, receivedMs: 9000, complete: false, speed: 1 })).toBe('Short one.');
  });
});
