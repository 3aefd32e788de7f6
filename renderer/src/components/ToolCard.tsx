import type { ToolCallView } from '../../../preload/contract.ts';
import { baseName } from '../wording/approval-words.ts';
import { seconds } from '../wording/metrics-words.ts';

const WHAT: Record<string, string> = {
  read_file: 'Read a file',
  list_directory: 'Listed a folder',
  search_files: 'Searched files',
  file_info: 'Looked at a file',
  write_file: 'Wrote a file',
  append_file: 'Added to a file',
  create_directory: 'Created a folder',
  read_clipboard: 'Read the clipboard',
  write_clipboard: 'Copied to the clipboard',
};

const OUTCOME: Record<ToolCallView['status'], string> = {
  'awaiting-approval': 'waiting for you',
  running: 'running…',
  done: 'done',
  denied: 'not allowed',
  error: 'failed',
};

function whereOf(argumentsJson: string): string | null {
  try {
    const args: unknown = JSON.parse(argumentsJson);
    if (typeof args === 'object' && args !== null) {
      const record = args as Record<string, unknown>;
      for (const field of ['path', 'folder', 'directory', 'query']) {
        const value = record[field];
        if (typeof value === 'string' && value) return field === 'query' ? `“${value}”` : baseName(value);
      }
    }
  } catch {
    // Arguments that are not JSON are shown without a place.
  }
  return null;
}

function summaryOf(output: string | undefined): string | null {
  if (!output) return null;
  const line = output.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** A tool call as a card: what, where, how long, a one-line result and the outcome; full output on demand. */
export function ToolCard(props: { call: ToolCallView }): React.JSX.Element {
  const { call } = props;
  const where = whereOf(call.arguments);
  const summary = summaryOf(call.output);
  return (
    <li className={`card tool tool-${call.status}`} data-testid="tool-call">
      <p className="card-title">
        {WHAT[call.name] ?? call.name.replace(/_/g, ' ')}
        {where ? <span className="card-where"> · {where}</span> : null}
      </p>
      <p className="card-meta">
        <span className={`outcome-${call.status}`}>{OUTCOME[call.status]}</span>
        {call.durationMs !== undefined ? ` · ${seconds(call.durationMs)}` : ''}
        {summary ? ` · ${summary}` : ''}
      </p>
      {call.output && call.output.trim() !== summary ? (
        <details>
          <summary>Result</summary>
          <pre className="card-preview" tabIndex={0}>
            {call.output}
          </pre>
        </details>
      ) : null}
    </li>
  );
}
