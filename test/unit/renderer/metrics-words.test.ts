/**
 * The metrics line and the figures behind it (renderer/src/wording/metrics-words.ts): a turn whose cost
 * is partly an estimate — cut off before the service reported its usage — says so; an exact one and
 * an unknown one read as before.
 */
import { describe, expect, it } from 'vitest';
import type { TurnMetrics } from '../../../preload/contract.ts';
import { costWords, latencyDetails, turnSummary } from '../../../renderer/src/wording/metrics-words.ts';

function metrics(over: Partial<TurnMetrics> = {}): TurnMetrics {
  return {
    conversationId: 'c',
    turnId: 't',
    model: 'gpt-transcribe → gpt-4.1-mini → gpt-4o-mini-tts',
    engine: 'cascaded',
    latency: { keyUpToCommitMs: 20, commitToFirstAudioMs: 900, firstAudioToFirstSampleMs: 30, totalMs: 1250 },
    usage: { inputTextTokens: 90, inputAudioTokens: 0, cachedTextTokens: 0, cachedAudioTokens: 0, outputTextTokens: 0, outputAudioTokens: 0 },
    costUsd: 0.0312,
    sessionCostUsd: 0.05,
    costEstimated: false,
    ...over,
  };
}

describe('the metrics line', () => {
  it('shows an exact cost as a figure, an estimated one as "≈ … (estimated)"', () => {
    expect(turnSummary(metrics(), 0.12)).toBe('Answered in 1.3 s · $0.03 · today $0.12');
    expect(turnSummary(metrics({ costEstimated: true }), 0.12)).toBe('Answered in 1.3 s · ≈ $0.03 (estimated) · today $0.12');
    // Under a cent there is no figure to qualify with "≈": the words still say it is an estimate.
    expect(turnSummary(metrics({ costEstimated: true, costUsd: 0.00023 }), null)).toBe('Answered in 1.3 s · under $0.01 (estimated)');
    // Unknown stays unknown, whether or not a part was estimated.
    expect(turnSummary(metrics({ costEstimated: true, costUnknown: true, costUsd: 0 }), null)).toBe('Answered in 1.3 s · cost unknown');
  });

  it('says why in the figures behind the line, only for an estimated turn', () => {
    const rows = latencyDetails(metrics({ costEstimated: true }));
    expect(rows.find((r) => r.label === 'This turn')?.value).toBe(
      '≈ $0.03 (estimated): the answer was cut off before the service reported what it used, so it is priced from what was sent and received',
    );
    expect(latencyDetails(metrics()).some((r) => r.label === 'This turn')).toBe(false);
    expect(costWords(1.5, false)).toBe('$1.50');
  });
});
