import { useEffect, useRef, useState } from 'react';
import type { McpServerEdit, McpServerLive } from '../../../preload/contract.ts';
import type { SettingsForm } from '../state/settings-form.ts';
import { POLICY_WORDS, draftFromServer, editFromDraft, effectWords, stateWords, type McpPolicy, type McpServerEntry } from '../state/mcp-form.ts';
import { McpServerForm } from './McpServerForm.tsx';
import { NoteLine, type Note } from './McpNoteLine.tsx';

const POLICIES: McpPolicy[] = ['ask', 'allow', 'deny'];

/**
 * One configured MCP server in Settings: where it runs, which variables or headers are set (names
 * only), its live state and last error, on/off, its policy and each tool's, "native" for a remote
 * one, and Edit / Remove. Edit opens the server's form in place, filled with what it has now (values
 * stay hidden: an empty one keeps what is stored); Save or Cancel closes it and focus returns to Edit.
 */
export function McpServerItem(props: {
  server: McpServerEntry;
  live: McpServerLive | null;
  liveAt: number;
  now: number;
  engine: SettingsForm['view']['engine'];
  notes: Record<string, Note>;
  change: (server: McpServerEntry, key: string, edit: (s: McpServerEntry) => McpServerEntry, saved?: string) => void;
  onRemove: () => void;
  /** Where the server is in the list (main's messages name it by index). */
  index: number;
  /** Sends the edit (editMcpServer); rejects with main's refusal. */
  onEdit: (edit: McpServerEdit) => Promise<void>;
}): React.JSX.Element {
  const { server, live } = props;
  const base = `mcp-${server.id}`;
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<Note | undefined>(undefined);
  const editButton = useRef<HTMLButtonElement>(null);
  // Closing the form (Save or Cancel) puts focus back on the Edit button that opened it.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (editing || !returnFocus.current) return;
    returnFocus.current = false;
    editButton.current?.focus();
  }, [editing]);
  const open = (): void => {
    setSaved(undefined);
    setEditing(true);
  };
  const close = (): void => {
    returnFocus.current = true;
    setEditing(false);
  };
  const retryLeft = live?.retryInMs == null ? null : live.retryInMs - Math.max(0, props.now - props.liveAt);
  const state = stateWords(server, live, props.engine, retryLeft);
  const t = server.transport;
  const secretNames = t.type === 'http' ? Object.keys(t.headers) : Object.keys(t.env);
  const error = live?.lastError && server.enabled && !server.native && live.state !== 'ready' ? live.lastError : null;
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
      {editing ? (
        <McpServerForm
          mode="edit"
          title={`Edit “${server.name}”`}
          initial={draftFromServer(server)}
          index={props.index}
          testId="mcp-edit"
          onSubmit={(draft) =>
            props.onEdit(editFromDraft(draft, server.id, server)).then(() => {
              setSaved({ kind: 'saved', text: `Saved “${draft.name.trim()}”.` });
              close();
            })
          }
          onCancel={close}
        />
      ) : (
        <ServerControls {...props} base={base} />
      )}
      <NoteLine id={`${base}-edit`} note={saved} />
      {editing ? null : (
        <div className="field-row">
          <button type="button" ref={editButton} onClick={open} aria-label={`Edit ${server.name}`} data-testid="mcp-edit-open">
            Edit
          </button>
          <button type="button" className="danger" onClick={props.onRemove} aria-label={`Remove the server “${server.name}”`} data-testid="mcp-remove">
            Remove
          </button>
        </div>
      )}
    </li>
  );
}

/** On/off, the policies, "native" and the tools: what the card offers while it is not being edited. */
function ServerControls(props: {
  server: McpServerEntry;
  live: McpServerLive | null;
  notes: Record<string, Note>;
  change: (server: McpServerEntry, key: string, edit: (s: McpServerEntry) => McpServerEntry, saved?: string) => void;
  base: string;
}): React.JSX.Element {
  const { server, live, notes, change, base } = props;
  const t = server.transport;
  const tools = server.enabled && !server.native ? (live?.tools ?? []) : [];
  return (
    <>
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
    </>
  );
}

