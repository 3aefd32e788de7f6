import type { ApprovalDecision, ApprovalRequest } from '../../../preload/contract.ts';

export function ApprovalPrompts(props: {
  approvals: ApprovalRequest[];
  onAnswer: (id: string, decision: ApprovalDecision) => void;
}): React.JSX.Element | null {
  if (props.approvals.length === 0) return null;
  return (
    <section className="approvals" aria-label="Waiting for your approval">
      {props.approvals.map((approval) => (
        <article key={approval.id} className="approval" data-testid="approval">
          <h2>Earshot wants to use {approval.tool}</h2>
          <p className="approval-summary">{approval.summary}</p>
          {approval.path ? <code className="approval-path">{approval.path}</code> : null}
          {approval.preview ? <pre className="approval-preview">{approval.preview}</pre> : null}
          <div className="approval-actions">
            <button type="button" onClick={() => props.onAnswer(approval.id, 'allow-once')} data-testid="approve-once">
              Allow once
            </button>
            <button type="button" onClick={() => props.onAnswer(approval.id, 'always')}>
              Always allow {approval.tool}
            </button>
            <button type="button" className="deny" onClick={() => props.onAnswer(approval.id, 'deny')} data-testid="deny">
              Deny
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}
