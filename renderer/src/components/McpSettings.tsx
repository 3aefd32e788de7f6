import { useCallback, useEffect, useRef, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { McpServerEdit, McpServerLive } from '../../../preload/contract.ts';
import type { SettingsForm } from '../state/settings-form.ts';
import { EMPTY_DRAFT, problemsForEntry, serverFromDraft, type McpServerEntry } from '../state/mcp-form.ts';
import { McpServerForm } from './McpServerForm.tsx';
import { McpServerItem } from './McpServerItem.tsx';
import { NoteLine, messageOf, type Note } from './McpNoteLine.tsx';
import { UndoBar } from './UndoBar.tsx';

/** How long a removed server can be brought back before the removal is saved (as History's delete). */
export const REMOVE_UNDO_MS = 8000;

/**
 * Settings → "Tools from other apps (MCP)": the configured MCP servers with their live state, last
 * error and tools; add one (a program on this computer or a URL), turn it on or off, choose what
 * happens when the model calls its tools (per server and per tool), hand a remote one to the
 * Realtime service, edit one (McpServerItem.tsx: its id, state and policies stay), and remove one
 * with undo. Header and environment values are write-only here: main sends them as "[redacted]",
 * the window shows only that one is set, and an edit sends a new value or "keep the stored one".
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

  /** One server's edit form: main merges it with what the window never sees (its values) and saves. */
  const edit = useCallback((change: McpServerEdit): Promise<void> => bridge.request.editMcpServer(change).then(() => undefined), [bridge]);

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
          <McpServerItem
            key={server.id}
            index={servers.findIndex((s) => s.id === server.id)}
            onEdit={edit}
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
      <McpServerForm
        mode="add"
        title="Add a server"
        initial={EMPTY_DRAFT}
        index={servers.length}
        testId="mcp-add"
        onSubmit={(draft) => saveList([...servers, serverFromDraft(draft, servers.map((s) => s.id))])}
        doneText={(draft) => `Added “${draft.name.trim()}”. It starts now; its state shows above.`}
      />
    </fieldset>
  );
}
