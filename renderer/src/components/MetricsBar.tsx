import type { TurnMetrics } from '../../../preload/contract.ts';
import type { CostSummary } from '../state/store.ts';

const ms = (value: number | null): string => (value === null ? '–' : `${Math.round(value)} ms`);
export const usd = (value: number): string => (value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);

export function MetricsBar(props: { metrics: TurnMetrics | null; cost: CostSummary | null }): React.JSX.Element {
  const { metrics, cost } = props;
  return (
    <footer className="metrics" data-testid="metrics">
      {metrics ? (
        <span title="key up → request sent · model's first audio · first sound played · whole turn">
          Last turn: {ms(metrics.latency.keyUpToCommitMs)} · {ms(metrics.latency.commitToFirstAudioMs)} ·{' '}
          {ms(metrics.latency.firstAudioToFirstSampleMs)} · {ms(metrics.latency.totalMs)} — {usd(metrics.costUsd)}
          {' '}(session {usd(metrics.sessionCostUsd)})
        </span>
      ) : (
        <span>No turns yet</span>
      )}
      {cost ? (
        <span className="spend">
          Today {usd(cost.todayUsd)}
          {cost.dailyBudgetUsd !== null ? ` of ${usd(cost.dailyBudgetUsd)}` : ''} · Month {usd(cost.monthUsd)}
        </span>
      ) : null}
    </footer>
  );
}
