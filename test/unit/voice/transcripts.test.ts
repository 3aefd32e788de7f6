import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../../preload/contract.ts';
import { cutToFraction, TranscriptAssembler } from '../../../main/voice/transcripts.ts';

describe('transcript assembly', () => {
  it('assembles deltas per item and finalises with the done text', () => {
    const seen: Transcript[] = [];
    const a = new TranscriptAssembler((t) => seen.push(t), () => 'conv1');
    a.delta('assistant', 'item_a', 'Hello ');
    a.delta('user', 'item_u', 'Wha');
    a.delta('assistant', 'item_a', 'there');
    a.done('assistant', 'item_a', 'Hello there.');
    expect(a.text('item_a')).toBe('Hello there.');
    expect(a.text('item_u')).toBe('Wha');
    expect(seen.at(-1)).toEqual({ conversationId: 'conv1', itemId: 'item_a', role: 'assistant', text: 'Hello there.', final: true, truncated: false });
    expect(seen.filter((t) => t.itemId === 'item_a').map((t) => t.text)).toEqual(['Hello ', 'Hello there', 'Hello there.']);
  });

  it('keeps the heard part after truncation, marks it, and ignores later deltas', () => {
    const seen: Transcript[] = [];
    const a = new TranscriptAssembler((t) => seen.push(t), () => 'c');
    a.delta('assistant', 'i', 'The capital of France is Paris, a city on the Seine.');
    a.truncate('i', 0.6); // 31 of 52 characters: ends right after "Paris,"
    a.delta('assistant', 'i', ' More text.');
    a.done('assistant', 'i', 'The capital of France is Paris, a city on the Seine. More text.');
    expect(a.text('i')).toBe('The capital of France is Paris,');
    expect(seen.at(-1)).toMatchObject({ truncated: true, final: true, text: 'The capital of France is Paris,' });
  });

  it('places the user item at commit so a late transcription fills it in place, above the answer', () => {
    const seen: Transcript[] = [];
    const a = new TranscriptAssembler((t) => seen.push(t), () => 'c');
    a.place('user', 'item_u'); // input_audio_buffer.committed
    a.delta('assistant', 'item_a', 'Paris.'); // the reply starts before the transcription
    a.done('user', 'item_u', 'What is the capital of France?');
    a.place('user', 'item_u'); // placing again changes nothing
    expect(seen.map((t) => [t.itemId, t.text, t.final])).toEqual([
      ['item_u', '', false],
      ['item_a', 'Paris.', false],
      ['item_u', 'What is the capital of France?', true],
    ]);
  });

  it('cuts on word boundaries', () => {
    expect(cutToFraction('one two three four', 0)).toBe('');
    expect(cutToFraction('one two three four', 1)).toBe('one two three four');
    expect(cutToFraction('one two three four', 0.5)).toBe('one two'); // 2 of 5 letters of "three" heard: dropped
    expect(cutToFraction('one two three four', 0.7)).toBe('one two three'); // 4 of 5 heard: kept
    expect(cutToFraction('one two three four', 0.3)).toBe('one'); // 1 of 3 letters of "two"
    expect(cutToFraction('one two three four', 0.35)).toBe('one two'); // 2 of 3
  });
});
