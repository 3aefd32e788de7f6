import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { ScreenSource } from '../../../preload/contract.ts';
import { useEarshotState } from '../state/use-earshot.ts';
import { sendBlocked } from '../state/send-blocked.ts';

/** The same bound as the contract's `askAboutScreen` text (preload/contract.ts). */
const MAX_CHARS = 4000;

type Listing =
  | { kind: 'loading' }
  | { kind: 'problem'; problem: string; canOpenSettings: boolean }
  | { kind: 'ready'; sources: ScreenSource[] };

/**
 * How the picker ended: `sent` (the capture went out as a turn), `cancelled`, or `noticed` (main
 * refused and already says why in a screen notice, with its button: the window says it once).
 */
export type PickerOutcome = 'sent' | 'cancelled' | 'noticed';

const GROUPS: { kind: ScreenSource['kind']; label: string }[] = [
  { kind: 'screen', label: 'Screens' },
  { kind: 'window', label: 'Windows' },
];

/** Screens first, then windows: the order the options are shown and the arrow keys move in. */
const ordered = (sources: ScreenSource[]): ScreenSource[] => GROUPS.flatMap((g) => sources.filter((s) => s.kind === g.kind));

/**
 * "Ask about my screen": a modal dialog that lists the screens and windows main can capture, with
 * thumbnails (taken only now that the person asked, main/tools/screen/screen-looker.ts), lets the
 * person pick one with the mouse or the keyboard (a listbox: arrows move, Enter picks and moves to
 * the question, Escape cancels), and sends it with an optional question as one turn
 * (`askAboutScreen`). Main shows the capture itself (the tray's indicator and the notice "Earshot
 * looked at …"); nothing is captured until "Show and ask".
 */
export function ScreenPicker(props: { onClose: (outcome: PickerOutcome) => void }): React.JSX.Element {
  const { status, store } = useEarshotState();
  const { bridge } = store;
  const { onClose } = props;
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement | null>(null);
  const listRef = useRef<HTMLDivElement | null>(null);
  const questionRef = useRef<HTMLTextAreaElement | null>(null);
  const problemRef = useRef<HTMLDivElement | null>(null);
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [selected, setSelected] = useState(0);
  const [question, setQuestion] = useState('');
  const [textOnly, setTextOnly] = useState(false);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const sources = listing.kind === 'ready' ? listing.sources : [];
  const blocked = sendBlocked(status, 'the screen');
  const hint = blocked?.reason ?? refusal;
  const optionId = (index: number): string => `${id}-option-${index}`;

  // A refreshed list keeps the picked source when it is still there (by id; ids are only valid briefly).
  const load = useCallback(
    (keepId: string | null) => {
      bridge.request
        .listScreenSources({})
        .then((result) => {
          if (result.problem !== null) {
            setListing({ kind: 'problem', problem: result.problem, canOpenSettings: result.permission === 'denied' });
            return;
          }
          const list = ordered(result.sources);
          setListing({ kind: 'ready', sources: list });
          setSelected(Math.max(0, list.findIndex((s) => s.id === keepId)));
        })
        .catch((error: unknown) => setListing({ kind: 'problem', problem: error instanceof Error ? error.message : String(error), canOpenSettings: false }));
    },
    [bridge],
  );

  useEffect(() => {
    const dialog = dialogRef.current;
    // showModal makes the rest of the window inert and keeps Tab inside (HTML "dialog" element).
    if (dialog && !dialog.open) dialog.showModal();
    load(null);
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, [load]);

  // Focus goes where the next step is: the list once it arrived, or the way out of a problem.
  const ready = listing.kind === 'ready' && listing.sources.length > 0;
  const problem = listing.kind === 'problem';
  useEffect(() => {
    if (ready) listRef.current?.focus();
  }, [ready]);
  useEffect(() => {
    if (problem) problemRef.current?.querySelector('button')?.focus();
  }, [problem]);

  const move = (to: number): void => {
    if (sources.length === 0) return;
    const index = Math.max(0, Math.min(sources.length - 1, to));
    setSelected(index);
    document.getElementById(optionId(index))?.scrollIntoView({ block: 'nearest' });
  };

  const onListKey = (event: ReactKeyboardEvent<HTMLDivElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        move(selected + 1);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        move(selected - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(sources.length - 1);
        break;
      case 'Enter':
        // Picks the source: the question is next (Enter there sends).
        questionRef.current?.focus();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const send = (): void => {
    const source = sources[selected];
    if (!source || blocked || sending) return;
    const text = question.trim();
    setSending(true);
    setRefusal(null);
    bridge.request
      .askAboutScreen({ sourceId: source.id, ...(text ? { text } : {}), replyAs: textOnly ? 'text' : 'voice' })
      .then((result) => {
        if (result.sent) {
          onClose('sent');
          return;
        }
        const reason = result.reason ?? 'Nothing was sent.';
        // Main already put it in a screen notice with a button (a refused permission): close and let that notice say it.
        const noticed = store.getSnapshot().notices.some((n) => n.subject === 'screen' && n.action !== null && n.message === reason);
        if (noticed) {
          onClose('noticed');
          return;
        }
        setRefusal(reason);
        load(source.id); // the window may have closed since the list was made
      })
      .catch((error: unknown) => setRefusal(error instanceof Error ? error.message : String(error)))
      .finally(() => setSending(false));
  };

  const openSettings = (): void => {
    bridge.request.openScreenSettings({}).catch((error: unknown) => setRefusal(error instanceof Error ? error.message : String(error)));
  };

  const onDialogKey = (event: ReactKeyboardEvent<HTMLDialogElement>): void => {
    // Escape cancels the picker only: handled here first, so the window's Escape (stop, decline,
    // hide: state/use-escape.ts) sees it as taken.
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose('cancelled');
  };

  const titleId = `${id}-title`;
  const introId = `${id}-intro`;
  const hintId = `${id}-hint`;
  return (
    <dialog
      ref={dialogRef}
      className="picker"
      aria-labelledby={titleId}
      aria-describedby={introId}
      data-testid="screen-picker"
      onKeyDown={onDialogKey}
      onCancel={(event) => {
        event.preventDefault();
        onClose('cancelled');
      }}
    >
      <form
        className="picker-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <h2 id={titleId} className="picker-title">
          Ask about your screen
        </h2>
        <p id={introId} className="hint">
          Pick a screen or a window. Earshot takes one picture of it when you press Show and ask, and sends it to OpenAI with your question.
        </p>
        {listing.kind === 'loading' ? (
          <p className="picker-status" role="status">
            Looking for screens and windows…
          </p>
        ) : null}
        {listing.kind === 'problem' ? (
          <div className="picker-problem" role="alert" ref={problemRef} data-testid="picker-problem">
            <p>{listing.problem}</p>
            {listing.canOpenSettings ? (
              <button type="button" onClick={openSettings} data-testid="picker-open-screen-settings">
                Open System Settings
              </button>
            ) : null}
          </div>
        ) : null}
        {listing.kind === 'ready' && sources.length === 0 ? <p className="picker-status">No screen or window can be captured here.</p> : null}
        {sources.length > 0 ? (
          <div
            ref={listRef}
            className="picker-list"
            role="listbox"
            tabIndex={0}
            aria-label="Screens and windows"
            aria-activedescendant={optionId(selected)}
            onKeyDown={onListKey}
            data-testid="picker-list"
          >
            {GROUPS.map((group) => {
              const members = sources.map((source, index) => ({ source, index })).filter((m) => m.source.kind === group.kind);
              if (members.length === 0) return null;
              const groupId = `${id}-group-${group.kind}`;
              return (
                <div key={group.kind} role="group" aria-labelledby={groupId} className="picker-group">
                  <div role="presentation" id={groupId} className="picker-group-label">
                    {group.label}
                  </div>
                  {members.map(({ source, index }) => (
                    <div
                      key={source.id}
                      id={optionId(index)}
                      role="option"
                      aria-selected={index === selected}
                      className="picker-option"
                      data-testid="picker-option"
                      onClick={() => {
                        setSelected(index);
                        listRef.current?.focus();
                      }}
                    >
                      {source.thumbnailDataUrl ? (
                        <img className="picker-thumb" src={source.thumbnailDataUrl} alt="" />
                      ) : (
                        <span className="picker-thumb picker-thumb-empty" aria-hidden="true">
                          No preview
                        </span>
                      )}
                      <span className="picker-name">{source.name}</span>
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        ) : null}
        {sources.length > 0 ? (
          <>
            <label htmlFor={`${id}-question`}>Your question (optional)</label>
            <textarea
              id={`${id}-question`}
              ref={questionRef}
              data-testid="picker-question"
              rows={2}
              maxLength={MAX_CHARS}
              value={question}
              placeholder="What does this error mean?"
              aria-describedby={hint ? hintId : undefined}
              onChange={(event) => {
                setQuestion(event.target.value);
                setRefusal(null);
              }}
              onKeyDown={(event) => {
                // As in the text box: Enter sends, Shift+Enter is a new line, an IME's Enter is not a send.
                if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                  event.preventDefault();
                  send();
                }
              }}
            />
            <label className="check">
              <input type="checkbox" checked={textOnly} onChange={(event) => setTextOnly(event.target.checked)} />
              Text only
            </label>
          </>
        ) : null}
        {hint ? (
          <p id={hintId} className="field-error" role="alert" data-testid="picker-hint">
            {hint}
          </p>
        ) : null}
        <div className="picker-actions">
          <button type="button" onClick={() => onClose('cancelled')} data-testid="picker-cancel">
            {problem ? 'Close' : 'Cancel'}
          </button>
          {problem ? null : (
            <button type="submit" className="primary" disabled={!ready || blocked !== null || sending} data-testid="picker-send">
              {sending ? 'Looking…' : 'Show and ask'}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
