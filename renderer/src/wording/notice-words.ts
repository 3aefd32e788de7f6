/**
 * Notices from main carry a level, a message, an action sentence, and (where main made them) a
 * subject and a button. The window shows one notice per subject (a new one replaces the old:
 * "reconnecting" → "reconnected"), shows the button, and translates provider error text into what
 * the user can do, keeping the raw text behind "details". A notice without a subject (one made in the
 * window, or recorded by an older version) falls back to a guess from its text.
 */
import type { Notice, NoticeSubject as MainSubject } from '../../../preload/contract.ts';

export type NoticeSubject = MainSubject | 'other';

export type NoticeAction = NonNullable<Notice['button']> | null;

export interface ShownNotice {
  subject: NoticeSubject;
  level: Notice['level'];
  message: string;
  /** The action sentence when it is not turned into a button. */
  hint: string | null;
  action: NoticeAction;
  /** Provider text, shown behind a "details" disclosure. */
  details: string | null;
  /** Dismissed on its own after this many ms (null: stays until resolved or dismissed). */
  autoDismissMs: number | null;
}

const PROVIDER_PREFIX = 'The voice service reported: ';

/** The fallback for notices that carry no subject. */
export function subjectOf(message: string): NoticeSubject {
  const m = message.toLowerCase();
  if (m.includes('reconnect') || m.includes('connection')) return 'connection';
  if (m.includes('waiting for your approval')) return 'approval';
  if (m.includes('microphone') || m.includes('mic ')) return 'microphone';
  if (m.includes('hotkey') || m.includes('taken by another') || m.includes('hold-to-talk')) return 'hotkey';
  if (m.includes('api key') || m.includes('key ')) return 'api-key';
  if (m.includes('budget')) return 'budget';
  if (m.includes('too short')) return 'turn';
  if (m.startsWith(PROVIDER_PREFIX.toLowerCase()) || m.includes('voice service')) return 'service';
  if (m.includes('cost unknown')) return 'cost';
  if (m.startsWith('saved') || m.includes('settings') || m.includes('folder')) return 'settings';
  return 'other';
}

export function showNotice(notice: Notice): ShownNotice {
  const subject = notice.subject ?? subjectOf(notice.message);
  let message = notice.message;
  let details: string | null = null;
  if (message.startsWith(PROVIDER_PREFIX)) {
    details = message.slice(PROVIDER_PREFIX.length);
    message = /rate limit/i.test(details)
      ? 'OpenAI is limiting requests for this key. Wait a moment, then try again.'
      : /quota|billing|insufficient/i.test(details)
        ? 'Your OpenAI account is out of credit. Add credit on platform.openai.com, then try again.'
        : 'OpenAI could not answer that request. Press the hotkey to try again.';
  }
  // Main says which button a notice gets; only a notice without a subject is guessed from its text.
  const action: NoticeAction = notice.subject ? (notice.button ?? null) : notice.action && /settings/i.test(notice.action) ? 'open-settings' : null;
  const hint = notice.action ?? null;
  const resolvedOnItsOwn = notice.level === 'info' || message === 'Reconnected.';
  return {
    subject,
    level: notice.level,
    message,
    hint,
    action,
    details,
    autoDismissMs: resolvedOnItsOwn ? 6000 : notice.level === 'warning' && subject === 'service' ? 15000 : null,
  };
}
