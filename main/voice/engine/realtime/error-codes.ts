/** Which server error codes end a session, which are harmless, and what the user can do about each. */

export const BENIGN_CODES = new Set([
  'input_audio_buffer_commit_empty',
  'conversation_already_has_active_response',
  'response_cancel_not_active',
]);

export const FATAL_ACTIONS: Record<string, { message: string; action: string }> = {
  invalid_api_key: {
    message: 'The OpenAI API key was rejected.',
    action: 'Open Settings and paste a valid API key (platform.openai.com → API keys).',
  },
  insufficient_quota: {
    message: 'Your OpenAI account has no quota left.',
    action: 'Add credit or raise the limit in your OpenAI billing settings, then try again.',
  },
  account_deactivated: {
    message: 'This OpenAI account is deactivated.',
    action: 'Contact OpenAI support or use a key from an active account.',
  },
  billing_hard_limit_reached: {
    message: 'Your OpenAI billing hard limit is reached.',
    action: 'Raise the hard limit in your OpenAI billing settings, then try again.',
  },
};

export function isFatalCode(code: string | null | undefined): code is string {
  return typeof code === 'string' && Object.hasOwn(FATAL_ACTIONS, code);
}

export function isBenignCode(code: string | null | undefined): boolean {
  return typeof code === 'string' && BENIGN_CODES.has(code);
}

export const SESSION_EXPIRED_CODE = 'session_expired';
