/**
 * Account-level errors that end every engine's session (the same codes on the Realtime socket and the
 * HTTP APIs), and what the user can do about each. Anything else leaves the session usable.
 */

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
