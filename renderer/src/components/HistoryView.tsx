import { useCallback, useEffect, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { RequestOutput } from '../../../preload/contract.ts';
import { usd } from './MetricsBar.tsx';

type Conversations = RequestOutput<'listConversations'>;

export function HistoryView(props: {
  bridge: EarshotBridge;
  onError: (message: string) => void;
  onInfo: (message: string) => void;
}): React.JSX.Element {
  const { bridge, onError, onInfo } = props;
  const [query, setQuery] = useState('');
  const [list, setList] = useState<Conversations>([]);
  const [opened, setOpened] = useState<{ id: string; markdown: string } | null>(null);

  const refresh = useCallback(() => {
    bridge.request
      .listConversations(query.trim() ? { query: query.trim() } : {})
      .then(setList)
      .catch((error: unknown) => onError(String(error)));
  }, [bridge, query, onError]);

  useEffect(refresh, [refresh]);

  return (
    <section className="history" data-testid="history">
      <input type="search" placeholder="Search conversations" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul>
        {list.map((c) => (
          <li key={c.id}>
            <button type="button" className="link" onClick={() => void bridge.request.exportConversation({ id: c.id }).then(({ markdown }) => setOpened({ id: c.id, markdown }))}>
              {c.title || 'Untitled conversation'}
            </button>
            <span className="hint">
              {new Date(c.startedAt).toLocaleString()} · {c.turns} turns · {usd(c.costUsd)}
            </span>
            <button
              type="button"
              className="deny"
              onClick={() =>
                void bridge.request.deleteConversation({ id: c.id }).then(() => {
                  if (opened?.id === c.id) setOpened(null);
                  refresh();
                })
              }
            >
              Delete
            </button>
          </li>
        ))}
        {list.length === 0 ? <li className="hint">No conversations{query ? ' match' : ' yet'}.</li> : null}
      </ul>
      {opened ? (
        <article className="export">
          <button
            type="button"
            onClick={() =>
              void bridge.request
                .saveConversationExport({ id: opened.id })
                .then(({ path }) => path && onInfo(`Saved to ${path}`))
                .catch((error: unknown) => onError(String(error)))
            }
          >
            Save as Markdown…
          </button>
          <pre>{opened.markdown}</pre>
        </article>
      ) : null}
    </section>
  );
}
