/** Which Realtime server error codes are harmless; the account-level fatal ones are shared by every engine (../fatal-errors.ts). */

export const BENIGN_CODES = new Set([
  'input_audio_buffer_commit_empty',
  'conversation_already_has_active_response',
  'response_cancel_not_active',
]);

export function isBenignCode(code: string | null | undefined): boolean {
  return typeof code === 'string' && BENIGN_CODES.has(code);
}

export const SESSION_EXPIRED_CODE = 'session_expired';
