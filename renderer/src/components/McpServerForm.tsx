import { useEffect, useId, useRef, useState } from 'react';
import { problemsForEntry, type DraftField, type McpDraft, type PairRow } from '../state/mcp-form.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Name = value rows (environment variables or headers). Values are typed, never shown back: a row
 * whose value Earshot already keeps (edit form) says so, and left empty it keeps it.
 */
function PairRows(props: {
  label: string;
  noun: string;
  rows: PairRow[];
  onChange: (rows: PairRow[]) => void;
  describedBy: string;
  namePlaceholder: string;
}): React.JSX.Element {
  const { rows, onChange, noun } = props;
  const uid = useId();
  const set = (i: number, row: PairRow): void => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="mcp-pairs" role="group" aria-label={props.label} aria-describedby={props.describedBy}>
      <span className="mcp-pairs-label">{props.label}</span>
      {rows.map((row, i) => {
        const kept = row.keepFrom !== undefined;
        return (
          <div className="mcp-pair" key={i} data-testid="mcp-pair">
            <input
              aria-label={`${noun} ${i + 1} name`}
              placeholder={props.namePlaceholder}
              spellCheck={false}
              value={row.name}
              onChange={(e) => set(i, { ...row, name: e.target.value })}
            />
            <input
              type="password"
              autoComplete="off"
              aria-label={`${noun} ${i + 1} value`}
              aria-describedby={kept ? `${uid}-kept-${i}` : undefined}
              placeholder={kept ? 'set — leave empty to keep' : 'value'}
              value={row.value}
              onChange={(e) => set(i, { ...row, value: e.target.value })}
            />
            <button type="button" className="quiet" aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              ✕
            </button>
            {kept ? (
              <span className="hint mcp-pair-kept" id={`${uid}-kept-${i}`} data-testid="mcp-pair-kept">
                {row.value === '' ? 'Set — leave empty to keep it, or type a new value. ✕ removes it.' : 'The new value replaces the one set.'}
              </span>
            ) : null}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add {noun.toLowerCase()}
      </button>
    </div>
  );
}

export interface McpServerFormProps {
  /** "add": a new server (the form empties itself when it is added); "edit": one already added. */
  mode: 'add' | 'edit';
  title: string;
  /** What the form starts with (EMPTY_DRAFT, or draftFromServer of the server edited). */
  initial: McpDraft;
  /** Where the entry is (or will be) in the list: main's messages name it by its index. */
  index: number;
  /** "mcp-add" / "mcp-edit": the prefix of the form's test ids. */
  testId: string;
  /** Saves; rejects with main's refusal, whose messages then appear beside their fields. */
  onSubmit: (draft: McpDraft) => Promise<void>;
  /** Edit form: leave without saving (also Escape). */
  onCancel?: () => void;
  /** Add form: the line said once a server is added. */
  doneText?: (draft: McpDraft) => string;
}

/**
 * The form of one server, for adding and for editing: kind, name, then the command, its arguments and
 * variables, or the URL, its headers and "native". Main validates; each of its messages appears
 * beside its field, named by the field's aria-describedby. The edit form takes focus on its first
 * field when it opens.
 */
export function McpServerForm(props: McpServerFormProps): React.JSX.Element {
  const { mode, testId } = props;
  const [draft, setDraft] = useState<McpDraft>(props.initial);
  const [problems, setProblems] = useState<Partial<Record<DraftField, string>>>({});
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const uid = useId();
  const f = (field: DraftField): string => `${uid}-${field}`;
  const edit = (changes: Partial<McpDraft>): void => setDraft((d) => ({ ...d, ...changes }));
  const problem = (field: DraftField): React.JSX.Element => (
    <span id={f(field)} className="field-error" role="status" data-testid={`${testId}-error-${field}`}>
      {problems[field] ?? ''}
    </span>
  );

  useEffect(() => {
    if (mode === 'edit') first.current?.focus();
  }, [mode]);

  const submit = (): void => {
    setBusy(true);
    setDone(null);
    props
      .onSubmit(draft)
      .then(() => {
        setProblems({});
        if (mode === 'add') {
          setDone(props.doneText?.(draft) ?? null);
          setDraft(props.initial);
        }
      })
      .catch((error: unknown) => setProblems(problemsForEntry(messageOf(error), props.index)))
      .finally(() => setBusy(false));
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    // Escape leaves the edit form (and is taken, so the window does not hide: state/use-escape.ts).
    if (event.key !== 'Escape' || !props.onCancel || event.defaultPrevented) return;
    event.preventDefault();
    props.onCancel();
  };

  return (
    <div className={`mcp-add${mode === 'edit' ? ' mcp-edit' : ''}`} role="group" aria-labelledby={`${uid}-title`} data-testid={testId} onKeyDown={onKeyDown}>
      <h3 className="card-title" id={`${uid}-title`}>
        {props.title}
      </h3>
      <label htmlFor={`${uid}-kind`}>Kind</label>
      <select ref={first} id={`${uid}-kind`} value={draft.kind} onChange={(e) => edit({ kind: e.target.value === 'http' ? 'http' : 'stdio' })} data-testid={`${testId}-kind`}>
        <option value="stdio">A program on this computer (local)</option>
        <option value="http">A server on the web (remote URL)</option>
      </select>
      <label>
        Name
        <input value={draft.name} placeholder="Notes" aria-describedby={f('name')} onChange={(e) => edit({ name: e.target.value })} />
      </label>
      {problem('name')}
      {draft.kind === 'stdio' ? (
        <>
          <label>
            Command
            <input value={draft.command} placeholder="npx" spellCheck={false} aria-describedby={f('command')} onChange={(e) => edit({ command: e.target.value })} />
          </label>
          {problem('command')}
          <label>
            Arguments, one per line
            <textarea rows={3} value={draft.argsText} placeholder={'-y\nnotes-mcp'} spellCheck={false} aria-describedby={`${uid}-args-hint ${f('args')}`} onChange={(e) => edit({ argsText: e.target.value })} />
          </label>
          <p className="hint" id={`${uid}-args-hint`}>
            The program is started directly, without a shell, so write each argument on its own line and leave out quotes.
          </p>
          {problem('args')}
          <PairRows label="Environment variables (optional)" noun="Variable" namePlaceholder="NAME" rows={draft.env} onChange={(env) => edit({ env })} describedBy={f('env')} />
          {problem('env')}
        </>
      ) : (
        <>
          <label>
            URL
            <input value={draft.url} inputMode="url" placeholder="https://mcp.example.com/mcp" spellCheck={false} aria-describedby={f('url')} onChange={(e) => edit({ url: e.target.value })} />
          </label>
          {problem('url')}
          <PairRows label="Headers (optional)" noun="Header" namePlaceholder="Authorization" rows={draft.headers} onChange={(headers) => edit({ headers })} describedBy={f('headers')} />
          {problem('headers')}
          <label className="check">
            <input type="checkbox" checked={draft.native} aria-describedby={f('native')} onChange={(e) => edit({ native: e.target.checked })} />
            Let the Realtime service call it directly (native)
          </label>
          {problem('native')}
        </>
      )}
      <p className="hint">
        {mode === 'edit'
          ? 'Values of variables and headers stay hidden: leave one empty to keep it. Saving restarts the server if its command, URL, headers or variables changed.'
          : 'Values of variables and headers are kept by Earshot and never shown here again.'}
      </p>
      <div className="field-row">
        <button type="button" className="primary" disabled={busy} onClick={submit} data-testid={`${testId}-submit`}>
          {mode === 'edit' ? (busy ? 'Saving…' : 'Save') : busy ? 'Adding…' : 'Add server'}
        </button>
        {props.onCancel ? (
          <button type="button" onClick={props.onCancel} data-testid={`${testId}-cancel`}>
            Cancel
          </button>
        ) : null}
      </div>
      {problem('general')}
      {mode === 'add' ? (
        <span className="saved" role="status" data-testid="mcp-added">
          {done ?? ''}
        </span>
      ) : null}
    </div>
  );
}
