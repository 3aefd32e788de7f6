/**
 * What the window makes of a notice: main's subject and button win; only a notice without a subject
 * (one the window made itself, or one an older version recorded) is read from its text.
 */
import { describe, expect, it } from 'vitest';
import { showNotice } from '../../../renderer/src/wording/notice-words.ts';

describe('notice words', () => {
  it('uses the subject and the button main gave, not a guess from the text', () => {
    // The text mentions "settings" (OpenAI's billing settings): main gave it no button, so none is shown.
    const quota = showNotice({
      level: 'error',
      message: 'Your OpenAI account has no quota left.',
      action: 'Add credit or raise the limit in your OpenAI billing settings, then try again.',
      subject: 'service',
    });
    expect(quota).toMatchObject({ subject: 'service', action: null, hint: 'Add credit or raise the limit in your OpenAI billing settings, then try again.' });
    const lost = showNotice({ level: 'warning', message: 'The connection dropped during the reply; that answer is incomplete.', subject: 'turn', button: 'try-again' });
    expect(lost).toMatchObject({ subject: 'turn', action: 'try-again' });
  });

  it('falls back to the text for a notice without a subject', () => {
    expect(showNotice({ level: 'warning', message: 'Lost the connection to OpenAI; reconnecting…' }).subject).toBe('connection');
    expect(showNotice({ level: 'error', message: 'The hotkey could not be registered.', action: 'Choose another hotkey in Settings.' })).toMatchObject({
      subject: 'hotkey',
      action: 'open-settings',
    });
  });

  it('translates a provider error and keeps its text behind Details', () => {
    const shown = showNotice({ level: 'warning', message: 'The voice service reported: Rate limit reached for gpt-realtime', subject: 'service', button: 'try-again' });
    expect(shown.message).toMatch(/limiting requests/);
    expect(shown.details).toBe('Rate limit reached for gpt-realtime');
    expect(shown.action).toBe('try-again');
  });
});
