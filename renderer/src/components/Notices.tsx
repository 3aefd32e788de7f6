import type { NoticeItem } from '../state/store.ts';

/**
 * Notices, one per subject (the store replaces rather than stacks). They sit outside the live
 * region on purpose: errors are announced with role="alert", the rest are read when reached.
 */
export function Notices(props: {
  notices: NoticeItem[];
  onDismiss: (id: number) => void;
  onOpenSettings: () => void;
  /** macOS refused screen recording: System Settings → Privacy & Security → Screen Recording. */
  onOpenScreenSettings: () => void;
  /** A failed turn's "Try again": starts listening, as the Talk button does. */
  onTryAgain: () => void;
}): React.JSX.Element | null {
  if (props.notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {props.notices.map((notice) => (
        <li key={notice.id} className={`notice notice-${notice.level}`} data-testid="notice" data-subject={notice.subject} role={notice.level === 'error' ? 'alert' : undefined}>
          <div className="notice-body">
            <p className="notice-message">{notice.message}</p>
            {notice.hint && notice.action === null ? <p className="notice-hint">{notice.hint}</p> : null}
            {notice.details ? (
              <details>
                <summary>Details</summary>
                <p className="notice-details">{notice.details}</p>
              </details>
            ) : null}
          </div>
          <div className="notice-actions">
            {notice.action === 'open-settings' ? (
              <button
                type="button"
                onClick={() => {
                  props.onOpenSettings();
                  props.onDismiss(notice.id);
                }}
              >
                Open settings
              </button>
            ) : null}
            {notice.action === 'open-screen-settings' ? (
              // Kept after the click: the notice says what to do there (allow, then reopen Earshot).
              <button type="button" data-testid="open-screen-settings" onClick={props.onOpenScreenSettings}>
                Open System Settings
              </button>
            ) : null}
            {notice.action === 'try-again' ? (
              <button
                type="button"
                data-testid="try-again"
                onClick={() => {
                  props.onDismiss(notice.id);
                  props.onTryAgain();
                }}
              >
                Try again
              </button>
            ) : null}
            <button type="button" className="quiet" aria-label={`Dismiss: ${notice.message}`} onClick={() => props.onDismiss(notice.id)}>
              ×
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
