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

export function turnSummary(metrics: TurnMetrics, todayUsd: number | null): string {
  const parts = [metrics.latency.totalMs === null ? 'Answered' : `Answered in ${seconds(metrics.latency.totalMs)}`];
  parts.push(metrics.costUnknown ? 'cost unknown' : usd(metrics.costUsd));
  if (todayUsd !== null) parts.push(`today ${usd(todayUsd)}`);
  return parts.join(' · ');
}

/** The engine as the figures name it (DESIGN §2). */
const ENGINE_WORDS: Record<NonNullable<TurnMetrics['engine']>, string> = {
  realtime: 'Realtime (speech to speech)',
  cascaded: 'Cascaded (transcribe → text → speech)',
  'chat-audio': 'Chat audio (one request per turn)',
};

export function latencyDetails(metrics: TurnMetrics): { label: string; value: string }[] {
  return [
    { label: 'Key released → audio sent', value: seconds(metrics.latency.keyUpToCommitMs) },
    { label: 'Audio sent → first answer audio', value: seconds(metrics.latency.commitToFirstAudioMs) },
    { label: 'First answer audio → first sound played', value: seconds(metrics.latency.firstAudioToFirstSampleMs) },
    { label: 'Key released → first sound played', value: seconds(metrics.latency.totalMs) },
    { label: 'This conversation so far', value: metrics.costUnknown ? 'cost unknown' : usd(metrics.sessionCostUsd) },
    { label: 'Engine', value: metrics.engine ? ENGINE_WORDS[metrics.engine] : 'Realtime' },
    { label: 'Model', value: metrics.model },
  ];
}
