/**
 * Errors that need the person — the API key rejected, the daily budget reached, the microphone
 * refused — also go to a desktop notification when the window is hidden, but once per condition:
 * pressing the hotkey ten times against a rejected key gives one notification, not ten. The
 * condition is armed again only once it is resolved, which the app sees in the status: a turn the
 * service answered (`thinking`/`speaking`) proves the key and the microphone work, and a turn that
 * started at all (`connecting`/`listening`) proves the budget allowed it.
 *
 * Plain data and logic, no Electron: notify-center.ts shows what this decides.
 */
import type { Notice, Status, ViewName } from '../../preload/contract.ts';
import { FATAL_ACTIONS } from '../voice/engine/fatal-errors.ts';

export type AttentionCondition = 'key-rejected' | 'budget-reached' | 'microphone-refused';

/** The notice main/index.ts gives when macOS refuses the microphone (classified below). */
export const MICROPHONE_REFUSED_MESSAGE = 'Earshot cannot hear you: macOS has not given it the microphone.';

/** The prefix of both budget notices (main/history/cost-ledger.ts: the ledger's notice and canStartTurn). */
const BUDGET_REACHED_PREFIX = 'Daily budget reached:';

/** Which condition a notice reports, or null when it needs no notification. */
export function attentionCondition(notice: Notice): AttentionCondition | null {
  if (notice.level !== 'error') return null;
  if (notice.message === FATAL_ACTIONS.invalid_api_key?.message) return 'key-rejected';
  if (notice.message.startsWith(BUDGET_REACHED_PREFIX)) return 'budget-reached';
  if (notice.message === MICROPHONE_REFUSED_MESSAGE) return 'microphone-refused';
  return null;
}

/** What the notification says, and where a click on it leads. */
export function attentionNotification(notice: Notice, condition: AttentionCondition): { title: string; body: string; view: ViewName } {
  const titles: Record<AttentionCondition, string> = {
    'key-rejected': 'Earshot: the API key was rejected',
    'budget-reached': 'Earshot: daily budget reached',
    'microphone-refused': 'Earshot cannot hear you',
  };
  const view: ViewName = condition === 'microphone-refused' ? 'transcript' : 'settings';
  return { title: titles[condition], body: notice.action ? `${notice.message}\n${notice.action}` : notice.message, view };
}

/** Which states show that a condition is over. */
const RESOLVED_BY: Record<AttentionCondition, ReadonlySet<Status['state']>> = {
  'key-rejected': new Set(['thinking', 'speaking']),
  'microphone-refused': new Set(['thinking', 'speaking']),
  'budget-reached': new Set(['connecting', 'listening', 'thinking', 'speaking']),
};

export class AttentionRule {
  private readonly notified = new Set<AttentionCondition>();

  /**
   * A notice arrived. Returns the condition to notify about now, or null: not one that needs the
   * person, already notified and not resolved since, or the window is on screen (it shows the
   * notice itself, and the next occurrence while hidden still notifies).
   */
  noticed(notice: Notice, windowVisible: boolean): AttentionCondition | null {
    const condition = attentionCondition(notice);
    if (!condition || windowVisible || this.notified.has(condition)) return null;
    this.notified.add(condition);
    return condition;
  }

  /** The session's status changed: conditions it shows to be over may notify again later. */
  statusChanged(status: Pick<Status, 'state'>): void {
    for (const condition of [...this.notified]) if (RESOLVED_BY[condition].has(status.state)) this.notified.delete(condition);
  }

  /** Conditions notified and not yet resolved. */
  pending(): AttentionCondition[] {
    return [...this.notified];
  }
}
