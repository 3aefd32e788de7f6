import { describe, expect, it } from 'vitest';
import { costOf, usageFromResponse } from '../../../main/voice/cost/usage.ts';
import { PRICES_READ_ON } from '../../../main/voice/cost/price-table.ts';
import { MODELS_READ_ON, modelReasons, REALTIME_MODEL_NAMES } from '../../../main/voice/cost/models.ts';
import { validateServerEvent } from '../../support/fake-realtime/index.ts';

describe('usage and cost', () => {
  const wire = {
    total_tokens: 1700,
    input_tokens: 1200,
    output_tokens: 500,
    input_token_details: {
      text_tokens: 200,
      audio_tokens: 1000,
      cached_tokens: 600,
      cached_tokens_details: { text_tokens: 100, audio_tokens: 500 },
    },
    output_token_details: { text_tokens: 100, audio_tokens: 400 },
  };
  /** The same turn with an image in the conversation: 300 image tokens, 200 of them cached. */
  const withImage = {
    total_tokens: 2000,
    input_tokens: 1500,
    output_tokens: 500,
    input_token_details: {
      text_tokens: 200,
      audio_tokens: 1000,
      image_tokens: 300,
      cached_tokens: 800,
      cached_tokens_details: { text_tokens: 100, audio_tokens: 500, image_tokens: 200 },
    },
    output_token_details: { text_tokens: 100, audio_tokens: 400 },
  };
  // text: 100×in + 100×cached + 100×out; audio: 500×in + 500×cached + 400×out (per 1M tokens)
  const base = (t: [number, number, number], a: [number, number, number]): number =>
    (100 * t[0] + 100 * t[1] + 100 * t[2] + 500 * a[0] + 500 * a[1] + 400 * a[2]) / 1e6;

  it('the usage shape the tests price is the one the SDK types describe (response.done usage)', () => {
    const done = {
      type: 'response.done',
      event_id: 'event_1',
      response: { id: 'resp_1', object: 'realtime.response', status: 'completed', output: [], usage: withImage },
    };
    expect(validateServerEvent(done)).toEqual([]);
  });

  it('reads tokens by kind; cached tokens are part of the input tokens', () => {
    expect(usageFromResponse(wire)).toEqual({
      inputTextTokens: 200,
      inputAudioTokens: 1000,
      cachedTextTokens: 100,
      cachedAudioTokens: 500,
      outputTextTokens: 100,
      outputAudioTokens: 400,
      inputImageTokens: 0,
      cachedImageTokens: 0,
    });
    expect(usageFromResponse(withImage)).toMatchObject({ inputImageTokens: 300, cachedImageTokens: 200 });
  });

  it('the table carries the date it was read: 2026-11-25 for prices and capabilities', () => {
    expect(PRICES_READ_ON).toBe('2026-11-25');
    expect(MODELS_READ_ON).toBe(PRICES_READ_ON);
    expect(costOf(usageFromResponse(wire), 'gpt-realtime-2.1').pricesReadOn).toBe('2026-11-25');
  });

  it('prices gpt-realtime-2.1 and gpt-realtime-2: output text at 24 $/M', () => {
    const u = usageFromResponse(wire);
    const expected = base([4, 0.4, 24], [32, 0.4, 64]);
    expect(costOf(u, 'gpt-realtime-2.1').usd).toBeCloseTo(expected, 12);
    expect(costOf(u, 'gpt-realtime-2').usd).toBeCloseTo(expected, 12);
    // One million output text tokens alone cost exactly 24 dollars.
    const oneMillionOut = { ...u, inputTextTokens: 0, inputAudioTokens: 0, cachedTextTokens: 0, cachedAudioTokens: 0, outputAudioTokens: 0, outputTextTokens: 1_000_000 };
    expect(costOf(oneMillionOut, 'gpt-realtime-2.1').usd).toBeCloseTo(24, 9);
  });

  it('prices image tokens: 5 $/M in, 0.50 $/M cached on 2.1; 0.80 / 0.08 on 2.1-mini', () => {
    const u = usageFromResponse(withImage);
    expect(costOf(u, 'gpt-realtime-2.1').usd).toBeCloseTo(base([4, 0.4, 24], [32, 0.4, 64]) + (100 * 5 + 200 * 0.5) / 1e6, 12);
    expect(costOf(u, 'gpt-realtime-2.1-mini').usd).toBeCloseTo(base([0.6, 0.06, 2.4], [10, 0.3, 20]) + (100 * 0.8 + 200 * 0.08) / 1e6, 12);
  });

  it('the older names keep their own prices (gpt-realtime output text 16 $/M) and dated snapshots price like their family', () => {
    const u = usageFromResponse(wire);
    const expected = base([4, 0.4, 16], [32, 0.4, 64]);
    expect(costOf(u, 'gpt-realtime').usd).toBeCloseTo(expected, 12);
    expect(costOf(u, 'gpt-realtime-2025-08-28').usd).toBeCloseTo(expected, 12);
    const mini = base([0.6, 0.06, 2.4], [10, 0.3, 20]);
    expect(costOf(u, 'gpt-realtime-mini').usd).toBeCloseTo(mini, 12);
    expect(costOf(u, 'gpt-realtime-mini-2025-10-06').usd).toBeCloseTo(mini, 12);
  });

  it('an unknown model, gpt-realtime-1.5 (no price read) and images on a model without an image price are unknown cost, never free', () => {
    expect(costOf(usageFromResponse(wire), 'gpt-realtime-9000').usd).toBeNull();
    expect(costOf(usageFromResponse(wire), 'gpt-realtime-1.5').usd).toBeNull();
    expect(costOf(usageFromResponse(withImage), 'gpt-realtime').usd).toBeNull();
    expect(costOf(usageFromResponse(wire), 'gpt-realtime').usd).not.toBeNull();
  });

  it('treats a missing usage (before completion) as zero tokens', () => {
    expect(costOf(usageFromResponse(null), 'gpt-realtime-2.1').usd).toBe(0);
  });

  it('reasoning is claimed for gpt-realtime-2.1 and -2 (and their snapshots) only', () => {
    expect(REALTIME_MODEL_NAMES.filter(modelReasons)).toEqual(['gpt-realtime-2.1', 'gpt-realtime-2']);
    expect(modelReasons('gpt-realtime-2.1-2026-10-01')).toBe(true);
    expect(modelReasons('gpt-realtime-2.1-mini')).toBe(false);
    expect(modelReasons('gpt-realtime-1.5')).toBe(false);
    expect(modelReasons('some-future-model')).toBe(false);
  });
});
