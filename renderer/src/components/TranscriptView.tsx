import type { Entry } from '../state/store.ts';

export function TranscriptView(props: { entries: Entry[] }): React.JSX.Element {
  if (props.entries.length === 0) {
    return <p className="empty">Press the hotkey and speak. Your conversation appears here.</p>;
  }
  return (
    <ol className="transcript" data-testid="transcript">
      {props.entries.map((entry) =>
        entry.kind === 'transcript' ? (
          <li key={entry.key} className={`bubble ${entry.transcript.role}`} data-role={entry.transcript.role}>
            <span className="text">{entry.transcript.text || '…'}</span>
            {entry.transcript.truncated ? <span className="cut" title="You interrupted here">✂ interrupted</span> : null}
          </li>
        ) : (
          <li key={entry.key} className={`tool tool-${entry.call.status}`} data-testid="tool-call">
            <span className="tool-name">{entry.call.name}</span>
            <span className="tool-status">{entry.call.status}</span>
            {entry.call.output ? <pre className="tool-output">{entry.call.output}</pre> : null}
          </li>
        ),
      )}
    </ol>
  );
}
