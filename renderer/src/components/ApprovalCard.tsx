import { useEffect, useRef, useState } from 'react';
import type { ApprovalDecision, ApprovalRequest } from '../../../preload/contract.ts';
import { approvalWords, outcomeWords, type ApprovalOutcome } from '../wording/approval-words.ts';

function useRemainingSeconds(expiresAt: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

/**
 * One approval, shown once, in the thread where it was asked. While open it takes focus (on the
 * action button, so Enter allows and Escape — handled by the window — declines) and counts down;
 * once answered its outcome stays in place.
 */
export function ApprovalCard(props: {
  approval: ApprovalRequest;
  outcome: ApprovalOutcome | null;
  onAnswer: (id: string, decision: ApprovalDecision) => void;
}): React.JSX.Element {
  const { approval, outcome } = props;
  const words = approvalWords(approval);
  const open = outcome === null;
  const remaining = useRemainingSeconds(approval.expiresAt, open);
  const allowRef = useRef<HTMLButtonElement | null>(null);
  const [answered, setAnswered] = useState(false);
  useEffect(() => {
    if (open) allowRef.current?.focus();
  }, [open]);
  const titleId = `approval-title-${approval.id}`;
  const countdownId = `approval-countdown-${approval.id}`;
  const answer = (decision: ApprovalDecision): void => {
    setAnswered(true);
    props.onAnswer(approval.id, decision);
  };
  return (
    <li className={`card approval${open ? ' open' : ''}`} data-testid="approval" data-outcome={outcome ?? 'open'} aria-labelledby={titleId}>
      <p className="card-kicker">{open ? 'Earshot asks first' : 'Earshot asked'}</p>
      <h3 className="card-title" id={titleId}>
        {words.title}
      </h3>
      {approval.path && !words.title.includes(approval.path) ? <p className="card-path">{approval.path}</p> : null}
      {approval.preview && open ? (
        <pre className="card-preview" tabIndex={0} aria-label="What will be written">
          {approval.preview}
        </pre>
      ) : null}
      {open ? (
        <>
          <div className="card-actions">
            <button ref={allowRef} type="button" className="primary" disabled={answered} onClick={() => answer('allow-once')} aria-describedby={countdownId} data-testid="approve-once">
              {words.allow}
            </button>
            <button type="button" disabled={answered} onClick={() => answer('deny')} data-testid="deny">
              {words.deny}
            </button>
            <button type="button" className="quiet" disabled={answered} onClick={() => answer('always')} data-testid="approve-always">
              {words.always}
            </button>
          </div>
          <p className="card-meta" id={countdownId} data-testid="countdown">
            Declined automatically in {remaining} s · Enter allows, Escape declines
          </p>
        </>
      ) : (
        <p className={`card-outcome outcome-${outcome}`} data-testid="approval-outcome">
          {outcomeWords(outcome)}
        </p>
      )}
    </li>
  );
}
