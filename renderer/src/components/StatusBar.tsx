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

export function StatusBar(props: { status: Status; onHotkey: (phase: 'down' | 'up') => void }): React.JSX.Element {
  const { status, onHotkey } = props;
  const talkLabel = status.state === 'speaking' ? 'Stop' : status.state === 'listening' ? 'Send' : 'Talk';
  return (
    <header className="status-bar">
      <span className={`state-pill state-${status.state}`} data-testid="state" data-state={status.state}>
        {LABELS[status.state]}
      </span>
      <button
        type="button"
        className="talk"
        data-testid="talk"
        onPointerDown={() => onHotkey('down')}
        onPointerUp={() => onHotkey('up')}
        onKeyDown={(event) => {
          if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) onHotkey('down');
        }}
        onKeyUp={(event) => {
          if (event.key === ' ' || event.key === 'Enter') onHotkey('up');
        }}
      >
        {talkLabel}
      </button>
      {status.message ? (
        <p className="status-message" role="status" data-testid="status-message">
          {status.message}
        </p>
      ) : null}
    </header>
  );
}
