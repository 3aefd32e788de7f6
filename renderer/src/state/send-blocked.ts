/**
 * Why a typed or shown turn cannot be sent right now, in words (the text box and the screen picker
 * say the same thing), or null when it can.
 */
import type { Status } from '../../../preload/contract.ts';

export interface SendBlocked {
  reason: string;
  /** True when typing itself is pointless (no key), not only sending. */
  field: boolean;
}

export function sendBlocked(status: Status, what: 'messages' | 'the screen' = 'messages'): SendBlocked | null {
  if (status.apiKey === 'not-set') return { reason: what === 'messages' ? 'Add an OpenAI API key in Settings to send messages.' : 'Add an OpenAI API key in Settings to show the screen.', field: true };
  // A spoken question is being recorded: a typed item would land before it. Hands-free listens all the time.
  if (status.state === 'listening' && status.turnMode !== 'hands-free') return { reason: 'Finish speaking first: your spoken question is being recorded.', field: false };
  return null;
}
