import { useCallback, useEffect, useRef, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { RequestOutput } from '../../../preload/contract.ts';
import { costWords, usd } from '../wording/metrics-words.ts';
import { UndoBar } from './UndoBar.tsx';

type Conversations = RequestOutput<'listConversations'>;
type Opened = NonNullable<RequestOutput<'getConversation'>>;

/** How long a deleted conversation can be brought back before it is really deleted. */
export const UNDO_MS = 8000;

/** An opened conversation: its entries as a conversation, its cost ("≈ … (estimated)" when part of it is an estimate). */
export function OpenedConversation(props: { conversation: Opened; onSave: () => void; onClose: () => void; onContinue: () => void }): React.JSX.Element {
  const { conversation } = props;
  return (
    <article className="history-open" aria-labelledby="opened-title" data-testid="history-open">
      <h3 id="opened-title">{conversation.title}</h3>
      <p className="hint">
        {new Date(conversation.startedAt).toLocaleString()} · <ConversationCost conversation={conversation} />
      </p>
      <ol className="transcript">
        {conversation.entries.map((entry, index) =>
          entry.kind === 'transcript' ? (
            <li key={index} className={`bubble ${entry.role}`} data-role={entry.role}>
              <span className="speaker">{entry.role === 'user' ? 'You' : 'Earshot'}</span>
              {entry.picture !== undefined ? <p className="mark">Showed: {entry.picture}</p> : null}
              {entry.text || entry.picture === undefined ? <p className="text">{entry.text || '(nothing heard)'}</p> : null}
              {entry.truncated ? <p className="mark">Interrupted: you heard up to here</p> : null}
            </li>
          ) : entry.kind === 'tool' ? (
            <li key={index} className="card tool">
              <p className="card-title">{entry.name.replace(/_/g, ' ')}</p>
              <p className="card-meta">
                <span className={`outcome-${entry.status}`}>{entry.status === 'done' ? 'done' : entry.status === 'denied' ? 'not allowed' : 'failed'}</span> ·{' '}
                {(entry.durationMs / 1000).toFixed(1)} s
              </p>
            </li>
          ) : entry.kind === 'image' ? (
            <li key={index} className="card tool" data-testid="history-image">
              <p className="card-title">Picture: {entry.label}</p>
              <p className="card-meta">
                {entry.width}×{entry.height}, detail {entry.detail} · {entry.imageTokens == null ? 'image tokens not reported' : `${entry.imageTokens} image tokens`} ·{' '}
                {entry.costUsd == null ? 'cost unknown' : usd(entry.costUsd)}
              </p>
            </li>
          ) : (
            <li key={index} className={`notice notice-${entry.level}`}>
              <p className="notice-message">{entry.message}</p>
            </li>
          ),
        )}
      </ol>
      <div className="field-row">
        <button type="button" onClick={props.onContinue} data-testid="continue-conversation">
          Continue this conversation
        </button>
        <button type="button" onClick={props.onSave}>
          Export as Markdown…
        </button>
        <button type="button" className="quiet" onClick={props.onClose}>
          Close
        </button>
      </div>
    </article>
  );
}

/** A listed conversation's cost, marked when part of it is an estimate (a turn cut off before its usage was reported). */
export function ConversationCost(props: { conversation: Pick<Conversations[number], 'costUsd' | 'costEstimated'> }): React.JSX.Element {
  const { costUsd, costEstimated } = props.conversation;
  return (
    <span className={costEstimated ? 'cost estimated' : 'cost'} title={costEstimated ? 'Part of this is an estimate: an answer was cut off before the service reported what it used.' : undefined}>
      {costWords(costUsd, costEstimated)}
    </span>
  );
}

/**
 * Past conversations: search, open (shown as a conversation), export, and delete with undo — a
 * deleted conversation is hidden at once and removed only when the undo time has passed.
 */
export function HistoryView(props: {
  bridge: EarshotBridge;
  onError: (message: string) => void;
  onInfo: (message: string) => void;
  /** The conversation now continues in the main view. */
  onResumed: (conversation: Opened) => void;
}): React.JSX.Element {
  const { bridge, onError, onInfo, onResumed } = props;
  const [query, setQuery] = useState('');
  const [list, setList] = useState<Conversations>([]);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [pending, setPending] = useState<{ id: string; title: string } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const refresh = useCallback(() => {
    bridge.request
      .listConversations(query.trim() ? { query: query.trim() } : {})
      .then(setList)
      .catch((error: unknown) => onError(String(error)));
  }, [bridge, query, onError]);

  useEffect(refresh, [refresh]);

  const commitDelete = useCallback(
    (id: string) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      setPending(null);
      bridge.request
        .deleteConversation({ id })
        .then(refresh)
        .catch((error: unknown) => onError(String(error)));
    },
    [bridge, refresh, onError],
  );

  // Leaving the view carries out a pending delete rather than forgetting it.
  useEffect(
    () => () => {
      const waiting = pendingRef.current;
      if (timer.current) clearTimeout(timer.current);
      if (waiting) void bridge.request.deleteConversation({ id: waiting.id }).catch(() => undefined);
    },
    [bridge],
  );

  const remove = (id: string, title: string): void => {
    if (pending) commitDelete(pending.id);
    if (opened?.id === id) setOpened(null);
    setPending({ id, title });
    timer.current = setTimeout(() => commitDelete(id), UNDO_MS);
  };

  const undo = (): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setPending(null);
  };

  const open = (id: string): void => {
    bridge.request
      .getConversation({ id })
      .then((conversation) => (conversation ? setOpened(conversation) : onError('That conversation no longer exists.')))
      .catch((error: unknown) => onError(String(error)));
  };

  const shown = list.filter((c) => c.id !== pending?.id);
  return (
    <section className="history" data-testid="history" aria-labelledby="history-title">
      <h2 id="history-title" className="visually-hidden">
        History
      </h2>
      <label>
        Search conversations
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {pending ? <UndoBar message={`Deleted “${pending.title}”.`} onUndo={undo} testId="undo-bar" buttonTestId="undo-delete" /> : null}
      {opened ? (
        <OpenedConversation
          conversation={opened}
          onClose={() => setOpened(null)}
          onContinue={() =>
            void bridge.request
              .resumeConversation({ id: opened.id })
              .then((result) => (result.ok ? onResumed(opened) : onError(result.reason ?? 'That conversation cannot be continued.')))
              .catch((error: unknown) => onError(String(error)))
          }
          onSave={() =>
            void bridge.request
              .saveConversationExport({ id: opened.id })
              .then(({ path }) => path && onInfo(`Saved to ${path}`))
              .catch((error: unknown) => onError(String(error)))
          }
        />
      ) : null}
      <ul aria-label="Conversations">
        {shown.map((c) => (
          <li key={c.id} className="history-item" data-testid="history-item">
            <button type="button" className="title" onClick={() => open(c.id)}>
              {c.title || 'Untitled conversation'}
            </button>
            <button type="button" className="danger" onClick={() => remove(c.id, c.title)} aria-label={`Delete “${c.title}”`}>
              Delete
            </button>
            <span className="hint when">
              {new Date(c.startedAt).toLocaleString()} · {c.turns} {c.turns === 1 ? 'turn' : 'turns'} · <ConversationCost conversation={c} />
            </span>
          </li>
        ))}
        {shown.length === 0 ? <li className="hint">No conversations{query ? ' match' : ' yet'}.</li> : null}
      </ul>
    </section>
  );
}
