import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ApprovalDecision, Transcript } from '../../../preload/contract.ts';
import type { Entry } from '../state/store.ts';
import { ApprovalCard } from './ApprovalCard.tsx';
import { ToolCard } from './ToolCard.tsx';
import { TextBox } from './TextBox.tsx';

/** Within this many pixels of the bottom the view counts as "at the newest message". */
const NEAR_BOTTOM_PX = 48;

function Bubble(props: { transcript: Transcript; live: boolean }): React.JSX.Element {
  const { transcript, live } = props;
  // A message that showed a picture: what was looked at as a label of its own, the words as the message.
  const picture = transcript.role === 'user' ? (transcript.picture ?? null) : null;
  const who = transcript.role === 'user' ? 'You' : 'Earshot';
  const incomplete = transcript.role === 'assistant' && !transcript.final && !transcript.truncated && !live;
  return (
    <li className={`bubble ${transcript.role}`} data-role={transcript.role} data-item={transcript.itemId}>
      <span className="speaker">{who}</span>
      {picture !== null ? (
        <>
          <p className="mark" data-testid="picture-label">
            Showed: {picture}
          </p>
          {transcript.text ? <p className="text">{transcript.text}</p> : null}
        </>
      ) : (
        <p className="text">{transcript.text || (transcript.role === 'user' ? (live ? 'Transcribing…' : '(not transcribed)') : '…')}</p>
      )}
      {transcript.truncated ? (
        <p className="mark" data-testid="interrupted">
          Interrupted: you heard up to here
        </p>
      ) : null}
      {incomplete ? <p className="mark">Incomplete answer</p> : null}
    </li>
  );
}

/**
 * The conversation: bubbles in the order they were placed, tool calls and approvals as cards. It
 * follows the newest message unless the reader scrolled up; then a "Jump to latest" control appears.
 */
export function Conversation(props: {
  entries: Entry[];
  busy: boolean;
  onAnswer: (id: string, decision: ApprovalDecision) => void;
  emptyHint: string;
  /** Opens the screen picker (the control beside the text box). */
  onAskScreen?: () => void;
}): React.JSX.Element {
  const scroller = useRef<HTMLDivElement | null>(null);
  const following = useRef(true);
  const [behind, setBehind] = useState(false);

  const toBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    following.current = true;
    setBehind(false);
  }, []);

  useLayoutEffect(() => {
    if (following.current) toBottom();
    else setBehind(true);
  }, [props.entries, toBottom]);

  // The thread's own box changes too (the stage grows a line, the text box or "jump to latest"
  // comes and goes, the window is resized): a reader who follows stays at the newest message.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (following.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = (): void => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM_PX;
    following.current = atBottom;
    if (atBottom) setBehind(false);
  };

  const lastIndex = props.entries.length - 1;
  return (
    <div className="conversation">
      <div className="thread-area">
        <div className="thread" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label="Conversation" data-testid="thread">
          {props.entries.length === 0 ? (
            <p className="empty">{props.emptyHint}</p>
          ) : (
            <ol className="transcript" data-testid="transcript">
              {props.entries.map((entry, index) => {
                if (entry.kind === 'transcript') return <Bubble key={entry.key} transcript={entry.transcript} live={props.busy && index >= lastIndex - 2} />;
                if (entry.kind === 'tool') return entry.call.status === 'awaiting-approval' ? null : <ToolCard key={entry.key} call={entry.call} />;
                return <ApprovalCard key={entry.key} approval={entry.approval} outcome={entry.outcome} onAnswer={props.onAnswer} />;
              })}
            </ol>
          )}
        </div>
        {behind ? (
          <button type="button" className="jump" onClick={toBottom} data-testid="jump-to-latest">
            Jump to latest ↓
          </button>
        ) : null}
      </div>
      <TextBox onAskScreen={props.onAskScreen} />
    </div>
  );
}
