import { useEffect, useState } from 'react';
import type { Status } from '../../../preload/contract.ts';

const LABELS: Record<Status['state'], string> = {
  idle: 'Ready',
  connecting: 'Connecting…',
  listening: 'Listening',
  thinking: 'Thinking…',
  speaking: 'Speaking',
  reconnecting: 'Reconnecting…',
  error: 'Needs attention',
};

function hintFor(status: Status, hotkey: string): string {
  if (status.state === 'idle') {
    if (status.turnMode === 'hold') return `Hold ${hotkey} (or Talk) while you speak.`;
    if (status.turnMode === 'toggle') return `Press ${hotkey} (or Talk) to speak, again to send.`;
    return `Press ${hotkey} (or Talk) to start a hands-free conversation.`;
  }
  if (status.state === 'speaking') return 'Press Escape or the hotkey to stop.';
  if (status.state === 'listening') return status.turnMode === 'hold' ? 'Release to send.' : 'Press again to send.';
  return '';
}

function useSecondsSince(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/**
 * The window's main visual: the session state, large, in the window's one polite live region (the
 * state and main's hint are announced; the timer and the live transcript are not, so a screen reader
 * is not talked over every second).
 */
export function Stage(props: {
  status: Status;
  hotkey: string;
  listeningSince: number | null;
  /** The user's words as they are transcribed, while their turn is in progress. */
  partial: string | null;
  /** A status message to show (null when a notice or card already says it). */
  message: string | null;
  onHotkey: (phase: 'down' | 'up') => void;
  compact?: boolean;
}): React.JSX.Element {
  const { status, onHotkey } = props;
  const elapsed = useSecondsSince(props.listeningSince);
  const talkLabel = status.state === 'speaking' ? 'Stop' : status.state === 'listening' ? 'Send' : 'Talk';
  const hint = hintFor(status, props.hotkey);
  return (
    <section className={`stage stage-${status.state}${props.compact ? ' compact' : ''}`} aria-label="Assistant state" data-testid="stage">
      <div className="stage-main">
        <span className="stage-orb" aria-hidden="true" />
        <div className="stage-text">
          <p className="stage-live" role="status" aria-live="polite" aria-atomic="true" data-testid="live">
            <span className="stage-label" data-testid="state" data-state={status.state}>
              {LABELS[status.state]}
            </span>
            {props.message ? (
              <span className="stage-message" data-testid="status-message">
                {' '}
                {props.message}
              </span>
            ) : null}
          </p>
          {status.state === 'listening' ? (
            <p className="stage-sub" data-testid="timer">
              {Math.floor(elapsed / 60)}:{String(elapsed % 60).padStart(2, '0')}
              {props.partial ? <span className="stage-partial"> · “{props.partial}”</span> : null}
            </p>
          ) : hint && !props.compact ? (
            <p className="stage-sub">{hint}</p>
          ) : null}
        </div>
      </div>
      <button
        type="button"
        className="talk primary"
        data-testid="talk"
        onPointerDown={() => onHotkey('down')}
        onPointerUp={() => onHotkey('up')}
        onKeyDown={(event) => {
          if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
            event.preventDefault();
            onHotkey('down');
          }
        }}
        onKeyUp={(event) => {
          if (event.key === ' ' || event.key === 'Enter') onHotkey('up');
        }}
      >
        {talkLabel}
      </button>
    </section>
  );
}
