/**
 * Realtime prices, USD per 1M tokens. DATA ONLY: update the date when you check the prices again.
 * Source: OpenAI pricing as quoted in DESIGN §3 ("check before shipping a table").
 */
export const PRICES_READ_ON = '2025-09-01';

export interface ModelPrices {
  text: { input: number; cachedInput: number; output: number };
  audio: { input: number; cachedInput: number; output: number };
}

export const REALTIME_PRICES: Record<string, ModelPrices> = {
  'gpt-realtime': {
    text: { input: 4, cachedInput: 0.4, output: 16 },
    audio: { input: 32, cachedInput: 0.4, output: 64 },
  },
  'gpt-realtime-mini': {
    text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
    audio: { input: 10, cachedInput: 0.3, output: 20 },
  },
};
