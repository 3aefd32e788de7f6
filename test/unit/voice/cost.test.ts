import { describe, expect, it } from 'vitest';
import { costOf, usageFromResponse } from '../../../main/voice/cost/usage.ts';
import { PRICES_READ_ON } from '../../../main/voice/cost/price-table.ts';

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

  it('reads tokens by kind; cached tokens are part of the input tokens', () => {
    const u = usageFromResponse(wire);
    expect(u).toEqual({
      inputTextTokens: 200,
      inputAudioTokens: 1000,
      cachedTextTokens: 100,
      cachedAudioTokens: 500,
      outputTextTokens: 100,
      outputAudioTokens: 400,
    });
  });

  it('prices gpt-realtime per 1M tokens, cached input at the cached rate', () => {
    const { usd, pricesReadOn } = costOf(usageFromResponse(wire), 'gpt-realtime');
    // text: 100×4 + 100×0.40 + 100×16; audio: 500×32 + 500×0.40 + 400×64  (per 1M)
    const expected = (400 + 40 + 1600 + 16000 + 200 + 25600) / 1e6;
    expect(usd).toBeCloseTo(expected, 10);
    expect(pricesReadOn).toBe(PRICES_READ_ON);
  });

  it('prices gpt-realtime-mini and dated snapshots of it', () => {
    const u = usageFromResponse(wire);
    const expected = (100 * 0.6 + 100 * 0.06 + 100 * 2.4 + 500 * 10 + 500 * 0.3 + 400 * 20) / 1e6;
    expect(costOf(u, 'gpt-realtime-mini').usd).toBeCloseTo(expected, 10);
    expect(costOf(u, 'gpt-realtime-mini-2025-10-06').usd).toBeCloseTo(expected, 10);
  });

  it('flags an unknown model as unknown cost, not zero', () => {
    expect(costOf(usageFromResponse(wire), 'gpt-realtime-9000').usd).toBeNull();
  });

  it('treats a missing usage (before completion) as zero tokens', () => {
    expect(costOf(usageFromResponse(null), 'gpt-realtime').usd).toBe(0);
  });
});
