import { useId, useState } from 'react';
import { useEarshotState } from '../state/use-earshot.ts';
import { sendBlocked } from '../state/send-blocked.ts';

/** The same bound as the contract's `sendText` (preload/contract.ts). */
const MAX_CHARS = 4000;

/**
 * Type instead of talking: Enter sends, Shift+Enter starts a new line, "Text only" asks for a written
 * answer to this message. Sending while Earshot speaks interrupts it, like the hotkey does. "Ask about
 * my screen…" beside it opens the screen picker (ScreenPicker.tsx).
 */
export function TextBox(props: { onAskScreen?: () => void }): React.JSX.Element {
  const { status, store } = useEarshotState();
  const [text, setText] = useState('');
  const [textOnly, setTextOnly] = useState(false);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const id = useId();
  const blocked = sendBlocked(status);
  const hint = blocked?.reason ?? refusal;
  const empty = text.trim().length === 0;

  const send = (): void => {
    const body = text.trim();
    if (body.length === 0 || blocked || sending) return;
    setSending(true);
    store.bridge.request
      .sendText({ text: body, replyAs: textOnly ? 'text' : 'voice' })
      .then((result) => {
        if (result.sent) {
          setText('');
          setRefusal(null);
        } else setRefusal(result.reason ?? 'The message was not sent.');
      })
      .catch((error: unknown) => setRefusal(error instanceof Error ? error.message : String(error)))
      .finally(() => setSending(false));
  };

  return (
    <form
      className="textbox"
      aria-label="Type a message"
      data-testid="text-box"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        Message to Earshot
      </label>
      <textarea
        id={`${id}-text`}
        data-testid="text-input"
        rows={Math.min(5, Math.max(1, text.split('\n').length))}
        maxLength={MAX_CHARS}
        value={text}
        placeholder="Type instead of talking…"
        disabled={blocked?.field === true}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setRefusal(null);
        }}
        onKeyDown={(event) => {
          // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <div className="textbox-actions">
        <label className="check">
          <input type="checkbox" data-testid="text-only" checked={textOnly} onChange={(event) => setTextOnly(event.target.checked)} />
          Text only
        </label>
        {props.onAskScreen ? (
          <button type="button" className="quiet" data-testid="ask-screen" disabled={status.apiKey === 'not-set'} onClick={props.onAskScreen}>
            Ask about my screen…
          </button>
        ) : null}
        <button type="submit" className="primary" data-testid="text-send" disabled={blocked !== null || sending || empty}>
          Send
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="hint textbox-hint" data-testid="text-hint">
          {hint}
        </p>
      ) : null}
    </form>
  );
}
