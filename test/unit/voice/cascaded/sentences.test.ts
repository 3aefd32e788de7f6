/** Sentence cutting for pipelined speech, and what a cut-off answer keeps as heard. */
import { describe, expect, it } from 'vitest';
import { SentenceSplitter } from '../../../../main/voice/engine/cascaded/sentence-splitter.ts';
import { heardText, wholeWordsWithin } from '../../../../main/voice/engine/cascaded/heard-text.ts';
import type { SpokenSentence } from '../../../../main/voice/engine/cascaded/heard-text.ts';

/** Feed `text` in pieces of `size` characters, as a model streams it. */
function split(text: string, size: number): string[] {
  const s = new SentenceSplitter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  const rest = s.flush();
  return rest ? [...out, rest] : out;
}

describe('SentenceSplitter', () => {
  it('cuts at . ! ? … and line breaks, whatever the chunking', () => {
    const text = 'Hello there! Is it 3.5 or 4? I think… it is four.\nNext line without a stop\nDone.';
    const want = ['Hello there!', 'Is it 3.5 or 4?', 'I think…', 'it is four.', 'Next line without a stop', 'Done.'];
    for (const size of [1, 2, 3, 7, 100]) expect(split(text, size), `chunks of ${size}`).toEqual(want);
  });

  it('does not cut after abbreviations, initials or inside numbers', () => {
    expect(split('Use a tool, e.g. grep, i.e. a search. Dr. Smith and J. R. R. Tolkien met at 3.30 p.m. today. Fine.', 4)).toEqual([
      'Use a tool, e.g. grep, i.e. a search.',
      'Dr. Smith and J. R. R. Tolkien met at 3.30 p.m. today.',
      'Fine.',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(split('He said "stop." Then (quietly.) he left.', 3)).toEqual(['He said "stop."', 'Then (quietly.)', 'he left.']);
  });

  it('holds an unfinished sentence until more text or the end', () => {
    const s = new SentenceSplitter();
    expect(s.push('The answer is 3.')).toEqual([]);
    expect(s.push('5 today. And')).toEqual(['The answer is 3.5 today.']);
    expect(s.flush()).toBe('And');
    expect(s.flush()).toBe('');
  });
});

describe('heardText', () => {
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
    expect(heardText(s, 0)).toBe('');
    expect(heardText(s, 1400)).toBe('One two three.');
    // Half of sentence 2 (20 chars → 10 chars: "Four five ").
    expect(heardText(s, 1400 + 1000)).toBe('One two three. Four five');
    expect(heardText(s, 1400 + 2000)).toBe('One two three. Four five six seven.');
    expect(heardText(s, 99_999)).toBe('One two three. Four five six seven.');
  });

  it('estimates a sentence still arriving from the rate of the finished ones', () => {
    const s = sentences(['Aaaa bbbb.', 'Cccc dddd eeee ffff.'], 50);
    const last = s[1] as SpokenSentence;
    last.complete = false;
    last.samples = 200; // only 200 of its 1000 samples arrived
    // Heard 500 (sentence 1) + 500 of sentence 2: half of it by the estimate, not "all that arrived".
    expect(heardText(s, 1000)).toBe('Aaaa bbbb. Cccc dddd');
  });

  it('never cuts inside a word', () => {
    expect(wholeWordsWithin('alpha beta gamma', 8)).toBe('alpha');
    expect(wholeWordsWithin('alpha beta gamma', 10)).toBe('alpha beta');
    expect(wholeWordsWithin('alpha beta gamma', 3)).toBe('');
  });
});
