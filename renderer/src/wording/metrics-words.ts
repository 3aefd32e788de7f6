/**
 * Turn metrics in words. "Answered in" is `latency.totalMs`: from releasing the key to the first
 * sound of the answer played (main/voice/turn.ts), which is what a person waits through.
 */
import type { TurnMetrics } from '../../../preload/contract.ts';

/** Seconds with one decimal, for every latency figure ("0.6 s"). */
export function seconds(ms: number | null): string {
  return ms === null ? 'not measured' : `${(ms / 1000).toFixed(1)} s`;
}

/** Dollars with two decimals; under a cent says so rather than printing $0.00. */
export function usd(value: number): string {
  if (value > 0 && value < 0.005) return 'under $0.01';
  return `$${value.toFixed(2)}`;
}

/**
 * A cost that is (partly) an estimate — a request cut off by a barge-in, a stop or a failure reported
 * no usage and was priced from what it sent and received (TurnMetrics.costEstimated) — says so:
 * "≈ $0.03 (estimated)", "under $0.01 (estimated)".
 */
export function costWords(value: number, estimated: boolean): string {
  if (!estimated) return usd(value);
  const figure = usd(value);
  return `${figure.startsWith('$') ? `≈ ${figure}` : figure} (estimated)`;
}

export function turnSummary(metrics: TurnMetrics, todayUsd: number | null): string {
  const parts = [metrics.latency.totalMs === null ? 'Answered' : `Answered in ${seconds(metrics.latency.totalMs)}`];
  parts.push(metrics.costUnknown ? 'cost unknown' : costWords(metrics.costUsd, metrics.costEstimated));
  if (todayUsd !== null) parts.push(`today ${usd(todayUsd)}`);
  return parts.join(' · ');
}

/** The engine as the figures name it (DESIGN §2). */
const ENGINE_WORDS: Record<NonNullable<TurnMetrics['engine']>, string> = {
  realtime: 'Realtime (speech to speech)',
  cascaded: 'Cascaded (transcribe → text → speech)',
  'chat-audio': 'Chat audio (one request per turn)',
};

/** Why a turn's cost is an estimate, for the figures behind the metrics line. */
export const ESTIMATE_REASON = 'the answer was cut off before the service reported what it used, so it is priced from what was sent and received';

export function latencyDetails(metrics: TurnMetrics): { label: string; value: string }[] {
  const estimate = metrics.costEstimated && !metrics.costUnknown ? [{ label: 'This turn', value: `${costWords(metrics.costUsd, true)}: ${ESTIMATE_REASON}` }] : [];
  return [
    { label: 'Key released → audio sent', value: seconds(metrics.latency.keyUpToCommitMs) },
    { label: 'Audio sent → first answer audio', value: seconds(metrics.latency.commitToFirstAudioMs) },
    { label: 'First answer audio → first sound played', value: seconds(metrics.latency.firstAudioToFirstSampleMs) },
    { label: 'Key released → first sound played', value: seconds(metrics.latency.totalMs) },
    ...estimate,
    { label: 'This conversation so far', value: metrics.costUnknown ? 'cost unknown' : usd(metrics.sessionCostUsd) },
    { label: 'Engine', value: metrics.engine ? ENGINE_WORDS[metrics.engine] : 'Realtime' },
    { label: 'Model', value: metrics.model },
  ];
}
