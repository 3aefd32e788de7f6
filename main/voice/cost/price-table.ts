/**
 * Realtime prices, USD per 1M tokens. DATA ONLY: update the date when you check the prices again.
 * Source: the models and prices read on 2026-11-25, as quoted in DESIGN §3 ("re-check before
 * shipping; keep names and prices in one dated table"). A model that is not here has an unknown
 * cost (usage.ts → usd: null), never a zero one.
 */
export const PRICES_READ_ON = '2026-11-25';

export interface ModelPrices {
  text: { input: number; cachedInput: number; output: number };
  audio: { input: number; cachedInput: number; output: number };
  /** Image input (usage: input_token_details.image_tokens); absent when no price was read for it. */
  image?: { input: number; cachedInput: number };
}

const GPT_REALTIME_2: ModelPrices = {
  text: { input: 4, cachedInput: 0.4, output: 24 },
  audio: { input: 32, cachedInput: 0.4, output: 64 },
  image: { input: 5, cachedInput: 0.5 },
};

/**
 * gpt-realtime-1.5 is a current model, but DESIGN §3 gives no price for it: it is deliberately not
 * listed, so its turns are reported as unknown cost.
 */
export const REALTIME_PRICES: Record<string, ModelPrices> = {
  'gpt-realtime-2.1': GPT_REALTIME_2,
  'gpt-realtime-2': GPT_REALTIME_2,
  'gpt-realtime-2.1-mini': {
    text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
    audio: { input: 10, cachedInput: 0.3, output: 20 },
    image: { input: 0.8, cachedInput: 0.08 },
  },
  // Older names, still accepted by the service (DESIGN §3 prices them separately; no image price read).
  'gpt-realtime': {
    text: { input: 4, cachedInput: 0.4, output: 16 },
    audio: { input: 32, cachedInput: 0.4, output: 64 },
  },
  'gpt-realtime-mini': {
    text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
    audio: { input: 10, cachedInput: 0.3, output: 20 },
  },
};
