/** The HTTP models' price table: each stage priced from what its API reports; unknown stays unknown. */
import { describe, expect, it } from 'vitest';
import { chatUsd, HTTP_PRICES_READ_ON, speechUsd, transcriptionUsd } from '../../../../main/voice/cost/http-prices.ts';

describe('http prices', () => {
  it('prices a cascaded turn stage by stage', () => {
    // 30 s of audio on gpt-transcribe at $0.0045 a minute.
    expect(transcriptionUsd('gpt-transcribe', { type: 'duration', seconds: 30 }, 30)).toBeCloseTo(0.00225, 10);
    // gpt-4o-mini-transcribe reports tokens: 300 in at $1.25/M, 10 out at $5/M.
    expect(transcriptionUsd('gpt-4o-mini-transcribe', { type: 'tokens', inputTokens: 300, outputTokens: 10 }, 30)).toBeCloseTo((300 * 1.25 + 10 * 5) / 1e6, 12);
    // gpt-4.1-mini: 1000 prompt tokens of which 400 cached, 50 completion.
    expect(chatUsd('gpt-4.1-mini', { promptTokens: 1000, cachedTokens: 400, completionTokens: 50 })).toBeCloseTo((600 * 0.4 + 400 * 0.1 + 50 * 1.6) / 1e6, 12);
    // gpt-4o-mini-tts: 20 text tokens in, 300 audio tokens out.
    expect(speechUsd('gpt-4o-mini-tts', { inputTokens: 20, outputTokens: 300 })).toBeCloseTo((20 * 0.6 + 300 * 12) / 1e6, 12);
    // A dated snapshot prices like its family.
    expect(speechUsd('gpt-4o-mini-tts-2025-12-15', { inputTokens: 20, outputTokens: 300 })).toBeGreaterThan(0);
    expect(HTTP_PRICES_READ_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('says unknown, never free, for a model not in the table or a speech server with no usage', () => {
    expect(chatUsd('llama3.1:8b', { promptTokens: 10, cachedTokens: 0, completionTokens: 10 })).toBeNull();
    expect(transcriptionUsd('whisper-1', { type: 'duration', seconds: 3 }, 3)).toBeNull();
    expect(speechUsd('gpt-4o-mini-tts', null)).toBeNull();
    expect(speechUsd('kokoro', { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });
});
