import { useEffect, useRef } from 'react';
import type { ApprovalDecision } from '../../../preload/contract.ts';
import type { EarshotHandle } from './use-earshot.ts';

/**
 * Escape has three meanings, tried in this order: stop the assistant's speech; decline the open
 * approval (the newest one); hide the window (as Spotlight and Raycast do). A control that uses
 * Escape itself (the hotkey recorder, an open <select>) calls preventDefault and is left alone.
 */
export function useEscape(earshot: EarshotHandle, answer: (id: string, decision: ApprovalDecision) => void): void {
  const latest = useRef(earshot);
  latest.current = earshot;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.repeat) return;
      const { status, approvals, bridge, store } = latest.current;
      const fail = (e: unknown): void => store.pushNotice({ level: 'error', message: String(e) });
      event.preventDefault();
      if (status.state === 'speaking') {
        bridge.request.stopSpeaking({}).catch(fail);
        return;
      }
      const open = approvals.at(-1);
      if (open) {
        answer(open.id, 'deny');
        return;
      }
      bridge.request.hideWindow({}).catch(fail);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [answer]);
}
