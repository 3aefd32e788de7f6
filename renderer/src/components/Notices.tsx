import type { ViewState } from '../state/store.ts';

export function Notices(props: { notices: ViewState['notices']; onDismiss: (id: number) => void }): React.JSX.Element | null {
  if (props.notices.length === 0) return null;
  return (
    <ul className="notices" aria-live="polite">
      {props.notices.map((notice) => (
        <li key={notice.id} className={`notice notice-${notice.level}`} data-testid="notice">
          <span>
            {notice.message}
            {notice.action ? <em className="notice-action"> {notice.action}</em> : null}
          </span>
          <button type="button" aria-label="Dismiss" onClick={() => props.onDismiss(notice.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
