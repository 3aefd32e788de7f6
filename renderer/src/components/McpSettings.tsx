import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { McpServerLive } from '../../../preload/contract.ts';
import type { SettingsForm } from '../state/settings-form.ts';
import {
  EMPTY_DRAFT,
  POLICY_WORDS,
  effectWords,
  problemsForEntry,
  serverFromDraft,
  stateWords,
  type DraftField,
  type McpDraft,
  type McpPolicy,
  type McpServerEntry,
  type PairRow,
} from '../state/mcp-form.ts';
import { UndoBar } from './UndoBar.tsx';

/** How long a removed server can be brought back before the removal is saved (as History's delete). */
export const REMOVE_UNDO_MS = 8000;

const POLICIES: McpPolicy[] = ['ask', 'allow', 'deny'];

type Note = { kind: 'saved' | 'error'; text: string };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function NoteLine(props: { id: string; note: Note | undefined }): React.JSX.Element {
  return (
    <span id={props.id} className={props.note?.kind === 'error' ? 'field-error' : 'saved'} role="status" data-testid={`note-${props.id}`}>
      {props.note?.text ?? ''}
    </span>
  );
}

/**
 * Settings → "Tools from other apps (MCP)": the configured MCP servers with their live state, last
 * error and tools; add one (a program on this computer or a URL), turn it on or off, choose what
 * happens when the model calls its tools (per server and per tool), hand a remote one to the
 * Realtime service, and remove one with undo. Header and environment values are write-only here:
 * main sends them as "[redacted]" and the window shows only that one is set.
 */
export function McpSettings(props: { bridge: EarshotBridge; settings: SettingsForm }): React.JSX.Element {
  const { bridge, settings } = props;
  const servers = settings.view.mcpServers;
  const [live, setLive] = useState<{ list: McpServerLive[]; at: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [notes, setNotes] = useState<Record<string, Note>>({});
  const [pending, setPending] = useState<McpServerEntry | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The newest list and pending removal, for the timer and for leaving the view.
  const latest = useRef({ servers, pending });
  latest.current = { servers, pending };

  useEffect(() => {
    let alive = true;
    const apply = (list: McpServerLive[]): void => {
      if (alive) setLive({ list, at: Date.now() });
    };
    const off = bridge.on.mcpServers(apply);
    bridge.request.getMcpServers({}).then(apply, (error: unknown) => setNotes((n) => ({ ...n, list: { kind: 'error', text: messageOf(error) } })));
    return () => {
      alive = false;
      off();
    };
  }, [bridge]);

  // The countdown to the next attempt of a server that is retrying.
  const retrying = live?.list.some((s) => s.state === 'retrying') ?? false;
  useEffect(() => {
    if (!retrying) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [retrying]);

  const note = (key: string, value: Note): void => setNotes((n) => ({ ...n, [key]: value }));

  /** Sends the whole list (main restores the hidden values of the servers it already has). */
  const saveList = useCallback(
    (next: readonly unknown[]): Promise<void> => bridge.request.updateSettings({ patch: { mcpServers: next } }).then(() => undefined),
    [bridge],
  );

  const change = (server: McpServerEntry, key: string, edit: (s: McpServerEntry) => McpServerEntry, saved = 'Saved'): void => {
    const index = servers.findIndex((s) => s.id === server.id);
    const next = servers.map((s) => (s.id === server.id ? edit(s) : s));
    saveList(next)
      .then(() => note(key, { kind: 'saved', text: saved }))
      .catch((error: unknown) => {
        const problems = problemsForEntry(messageOf(error), index);
        note(key, { kind: 'error', text: Object.values(problems).join('; ') || messageOf(error) });
      });
  };

  const commitRemoval = useCallback(
    (id: string) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      setPending(null);
      saveList(latest.current.servers.filter((s) => s.id !== id)).catch((error: unknown) => note('list', { kind: 'error', text: messageOf(error) }));
    },
    [saveList],
  );

  // Leaving Settings carries out a pending removal rather than forgetting it.
  useEffect(
    () => () => {
      const waiting = latest.current.pending;
      if (timer.current) clearTimeout(timer.current);
      if (waiting) void saveList(latest.current.servers.filter((s) => s.id !== waiting.id)).catch(() => undefined);
    },
    [saveList],
  );

  const remove = (server: McpServerEntry): void => {
    if (pending) commitRemoval(pending.id);
    setPending(server);
    timer.current = setTimeout(() => commitRemoval(server.id), REMOVE_UNDO_MS);
  };

  const undo = (): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setPending(null);
  };

  const shown = servers.filter((s) => s.id !== pending?.id);
  return (
    <fieldset className="mcp" data-testid="mcp-settings">
      <legend>Tools from other apps (MCP)</legend>
      <p className="hint">
        MCP servers give the assistant more tools: a program on this computer, or a server on the web. Their tools ask before they act, like
        Earshot&apos;s own, unless you choose otherwise.
      </p>
      {pending ? <UndoBar message={`Removed “${pending.name}”.`} onUndo={undo} testId="mcp-undo-bar" buttonTestId="mcp-undo-remove" /> : null}
      <ul className="mcp-servers" aria-label="MCP servers">
        {shown.map((server) => (
          <ServerItem
            key={server.id}
            server={server}
            live={live?.list.find((s) => s.id === server.id) ?? null}
            liveAt={live?.at ?? now}
            now={now}
            engine={settings.view.engine}
            notes={notes}
            change={change}
            onRemove={() => remove(server)}
          />
        ))}
        {shown.length === 0 ? <li className="hint">No servers yet.</li> : null}
      </ul>
      <NoteLine id="mcp-list" note={notes.list} />
      <AddServer
        taken={servers.map((s) => s.id)}
        onAdd={(entry) => saveList([...servers, entry])}
        index={servers.length}
      />
    </fieldset>
  );
}

function ServerItem(props: {
  server: McpServerEntry;
  live: McpServerLive | null;
  liveAt: number;
  now: number;
  engine: SettingsForm['view']['engine'];
  notes: Record<string, Note>;
  change: (server: McpServerEntry, key: string, edit: (s: McpServerEntry) => McpServerEntry, saved?: string) => void;
  onRemove: () => void;
}): React.JSX.Element {
  const { server, live, notes, change } = props;
  const base = `mcp-${server.id}`;
  const retryLeft = live?.retryInMs == null ? null : live.retryInMs - Math.max(0, props.now - props.liveAt);
  const state = stateWords(server, live, props.engine, retryLeft);
  const t = server.transport;
  const secretNames = t.type === 'http' ? Object.keys(t.headers) : Object.keys(t.env);
  const error = live?.lastError && server.enabled && !server.native && live.state !== 'ready' ? live.lastError : null;
  const tools = server.enabled && !server.native ? (live?.tools ?? []) : [];
  return (
    <li className="mcp-server" data-testid="mcp-server" data-server-id={server.id} aria-labelledby={`${base}-name`}>
      <h3 className="card-title" id={`${base}-name`}>
        {server.name}
      </h3>
      <p className="card-path" data-testid="mcp-where">
        {t.type === 'stdio' ? [t.command, ...t.args].join(' ') : t.url}
      </p>
      {secretNames.length > 0 ? (
        <p className="hint" data-testid="mcp-secrets">
          {t.type === 'http' ? 'Headers' : 'Environment'}: {secretNames.map((name) => `${name} (set)`).join(', ')}
        </p>
      ) : null}
      <p className={`mcp-state mcp-state-${state.tone}`} data-testid="mcp-state" data-state={server.enabled ? (live?.state ?? 'unknown') : 'off'}>
        {state.text}
      </p>
      {error ? (
        <p className="mcp-error" data-testid="mcp-error">
          {error}
        </p>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={server.enabled}
          aria-describedby={`${base}-enabled`}
          onChange={(e) => {
            const enabled = e.target.checked;
            change(server, `${base}-enabled`, (s) => ({ ...s, enabled }), enabled ? 'Turned on' : 'Turned off');
          }}
        />
        Use this server
      </label>
      <NoteLine id={`${base}-enabled`} note={notes[`${base}-enabled`]} />
      <label htmlFor={`${base}-policy-select`}>When the assistant wants to use its tools</label>
      <select
        id={`${base}-policy-select`}
        value={server.policy}
        aria-describedby={`${base}-policy-hint ${base}-policy`}
        onChange={(e) => {
          const policy = e.target.value as McpPolicy;
          change(server, `${base}-policy`, (s) => ({ ...s, policy }));
        }}
      >
        {POLICIES.map((p) => (
          <option key={p} value={p}>
            {POLICY_WORDS[p]}
          </option>
        ))}
      </select>
      <p className="hint" id={`${base}-policy-hint`}>
        {server.policy === 'ask'
          ? 'Tools that say they only read run without asking.'
          : server.policy === 'allow'
            ? 'Tools that say they delete or overwrite still ask.'
            : 'None of its tools run; the assistant is told they are not allowed.'}
      </p>
      <NoteLine id={`${base}-policy`} note={notes[`${base}-policy`]} />
      {t.type === 'http' ? (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={server.native}
              aria-describedby={`${base}-native-hint ${base}-native`}
              onChange={(e) => {
                const native = e.target.checked;
                change(server, `${base}-native`, (s) => ({ ...s, native }));
              }}
            />
            Let the Realtime service call it directly (native)
          </label>
          <p className="hint" id={`${base}-native-hint`}>
            OpenAI&apos;s servers then reach this URL themselves, with its headers; approvals still appear here. Only the Realtime engine does this.
          </p>
          <NoteLine id={`${base}-native`} note={notes[`${base}-native`]} />
        </>
      ) : null}
      {tools.length > 0 ? (
        <details className="mcp-tools" data-testid="mcp-tools">
          <summary>
            {tools.length} {tools.length === 1 ? 'tool' : 'tools'}: {tools.map((tool) => tool.name).join(', ')}
          </summary>
          <ul>
            {tools.map((tool, i) => {
              const id = `${base}-tool-${i}`;
              const chosen = Object.hasOwn(server.toolPolicies, tool.name) ? server.toolPolicies[tool.name] : undefined;
              return (
                <li key={tool.name} className="mcp-tool" data-testid="mcp-tool" data-tool={tool.name}>
                  <label htmlFor={id} className="mcp-tool-name">
                    <code>{tool.name}</code>
                    {tool.readOnly ? <span className="hint"> · only reads</span> : null}
                  </label>
                  <select
                    id={id}
                    value={chosen ?? ''}
                    aria-describedby={`${id}-about ${id}-note`}
                    data-testid="mcp-tool-policy"
                    onChange={(e) => {
                      const value = e.target.value;
                      change(server, `${id}-note`, (s) => {
                        const others = Object.entries(s.toolPolicies).filter(([name]) => name !== tool.name);
                        const toolPolicies = Object.fromEntries(value === '' ? others : [...others, [tool.name, value as McpPolicy]]);
                        return { ...s, toolPolicies };
                      });
                    }}
                  >
                    <option value="">As the server is set</option>
                    {POLICIES.map((p) => (
                      <option key={p} value={p}>
                        {POLICY_WORDS[p]}
                      </option>
                    ))}
                  </select>
                  <p className="hint" id={`${id}-about`} data-testid="mcp-tool-effect">
                    {tool.description ? `${tool.description} ` : ''}Now it {effectWords(tool.policy)}.
                  </p>
                  <NoteLine id={`${id}-note`} note={notes[`${id}-note`]} />
                </li>
              );
            })}
          </ul>
        </details>
      ) : null}
      <div className="field-row">
        <button type="button" className="danger" onClick={props.onRemove} aria-label={`Remove the server “${server.name}”`} data-testid="mcp-remove">
          Remove
        </button>
      </div>
    </li>
  );
}

/** Name = value rows (environment variables or headers). Values are typed, never shown back. */
function PairRows(props: {
  label: string;
  noun: string;
  rows: PairRow[];
  onChange: (rows: PairRow[]) => void;
  describedBy: string;
  namePlaceholder: string;
}): React.JSX.Element {
  const { rows, onChange, noun } = props;
  const set = (i: number, row: PairRow): void => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="mcp-pairs" role="group" aria-label={props.label} aria-describedby={props.describedBy}>
      <span className="mcp-pairs-label">{props.label}</span>
      {rows.map((row, i) => (
        <div className="mcp-pair" key={i}>
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
            placeholder="value"
            value={row.value}
            onChange={(e) => set(i, { ...row, value: e.target.value })}
          />
          <button type="button" className="quiet" aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add {noun.toLowerCase()}
      </button>
    </div>
  );
}

/** The add form: main validates the new entry, and each of its messages appears beside its field. */
function AddServer(props: { taken: string[]; index: number; onAdd: (entry: Record<string, unknown>) => Promise<void> }): React.JSX.Element {
  const [draft, setDraft] = useState<McpDraft>(EMPTY_DRAFT);
  const [problems, setProblems] = useState<Partial<Record<DraftField, string>>>({});
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const f = (field: DraftField): string => `${uid}-${field}`;
  const edit = (changes: Partial<McpDraft>): void => setDraft((d) => ({ ...d, ...changes }));
  const problem = (field: DraftField): React.JSX.Element => (
    <span id={f(field)} className="field-error" role="status" data-testid={`mcp-add-error-${field}`}>
      {problems[field] ?? ''}
    </span>
  );

  const submit = (): void => {
    setBusy(true);
    setAdded(null);
    const entry = serverFromDraft(draft, props.taken);
    props
      .onAdd(entry)
      .then(() => {
        setProblems({});
        setAdded(`Added “${draft.name.trim()}”. It starts now; its state shows above.`);
        setDraft(EMPTY_DRAFT);
      })
      .catch((error: unknown) => setProblems(problemsForEntry(messageOf(error), props.index)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="mcp-add" role="group" aria-labelledby={`${uid}-title`} data-testid="mcp-add">
      <h3 className="card-title" id={`${uid}-title`}>
        Add a server
      </h3>
      <label htmlFor={`${uid}-kind`}>Kind</label>
      <select id={`${uid}-kind`} value={draft.kind} onChange={(e) => edit({ kind: e.target.value === 'http' ? 'http' : 'stdio' })} data-testid="mcp-add-kind">
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
      <p className="hint">Values of variables and headers are kept by Earshot and never shown here again.</p>
      <div className="field-row">
        <button type="button" className="primary" disabled={busy} onClick={submit} data-testid="mcp-add-submit">
          {busy ? 'Adding…' : 'Add server'}
        </button>
      </div>
      {problem('general')}
      <span className="saved" role="status" data-testid="mcp-added">
        {added ?? ''}
      </span>
    </div>
  );
}
