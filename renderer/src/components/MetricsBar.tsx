import type { TurnMetrics } from '../../../preload/contract.ts';
import type { CostSummary } from '../state/store.ts';
import { latencyDetails, turnSummary, usd } from '../wording/metrics-words.ts';

export { usd };

/** The last turn in words ("Answered in 0.6 s · $0.02 · today $0.05"), the figures behind it on demand. */
export function MetricsBar(props: { metrics: TurnMetrics | null; cost: CostSummary | null }): React.JSX.Element {
  const { metrics, cost } = props;
  const today = cost ? cost.todayUsd : null;
  return (
    <footer className="metrics" data-testid="metrics">
      {metrics ? (
        <details>
          <summary data-testid="metrics-summary">{turnSummary(metrics, today)}</summary>
          <dl className="metrics-details">
            {latencyDetails(metrics).map((row) => (
              <div key={row.label}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
            {cost ? (
              <div>
                <dt>This month</dt>
                <dd>
                  {usd(cost.monthUsd)}
                  {cost.dailyBudgetUsd !== null ? ` · daily budget ${usd(cost.dailyBudgetUsd)}` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
        </details>
      ) : (
        <p>{cost ? `No answers yet · today ${usd(cost.todayUsd)}` : 'No answers yet'}</p>
      )}
    </footer>
  );
}
