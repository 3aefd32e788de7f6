/** Sentence cutting for pipelined speech. */
import { describe, expect, it } from 'vitest';
import { SentenceSplitter } from '../../../../main/voice/engine/cascaded/sentence-splitter.ts';

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
