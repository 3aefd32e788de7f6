/**
 * The renderer's view of the session, fed by bridge events. Plain TypeScript so the React hook is
 * a thin useSyncExternalStore over it.
 *
 * Entries stay in the order they were first placed: main places the user's item when their audio is
 * committed (an empty transcript, filled in later), so a question stands above its answer even when
 * its transcription arrives after the reply started.
 */
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { ApprovalRequest, HistoryEntry, Notice, Status, ToolCallView, Transcript, TurnMetrics } from '../../../preload/contract.ts';
import type { ApprovalOutcome } from '../wording/approval-words.ts';
import { showNotice, type ShownNotice } from '../wording/notice-words.ts';

export type Entry =
  | { kind: 'transcript'; key: string; transcript: Transcript }
  | { kind: 'tool'; key: string; call: ToolCallView }
  | { kind: 'approval'; key: string; approval: ApprovalRequest; outcome: ApprovalOutcome | null };

export interface CostSummary {
  todayUsd: number;
  monthUsd: number;
  dailyBudgetUsd: number | null;
}

export type NoticeItem = ShownNotice & { id: number; at: number };

export interface ViewState {
  status: Status;
  entries: Entry[];
  /** Approvals still waiting for an answer, oldest first. */
  approvals: ApprovalRequest[];
  lastMetrics: TurnMetrics | null;
  notices: NoticeItem[];
  cost: CostSummary | null;
  connected: boolean;
  /** Date.now() when the current listening phase began, for the timer. */
  listeningSince: number | null;
}

const MAX_ENTRIES = 400;

export const initialStatus: Status = {
  state: 'idle',
  turnMode: 'hold',
  micMuted: false,
  message: null,
  apiKey: 'not-set',
  holdAvailable: true,
};

export class EarshotStore {
  private state: ViewState = {
    status: initialStatus,
    entries: [],
    approvals: [],
    lastMetrics: null,
    notices: [],
    cost: null,
    connected: false,
    listeningSince: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private noticeId = 0;

  readonly bridge: EarshotBridge;

  constructor(bridge: EarshotBridge) {
    this.bridge = bridge;
  }

  start(): void {
    const { on, request } = this.bridge;
    this.unsubscribers.push(
      on.status((status) => this.setStatus(status)),
      on.transcript((t) => this.upsert({ kind: 'transcript', key: `t:${t.itemId}`, transcript: t })),
      on.toolCall((call) => this.upsert({ kind: 'tool', key: `c:${call.callId}`, call })),
      on.approval((approval) => {
        this.set({ approvals: [...this.state.approvals.filter((a) => a.id !== approval.id), approval] });
        this.upsert({ kind: 'approval', key: `a:${approval.id}`, approval, outcome: null });
      }),
      on.approvalSettled(({ id, decision }) => {
        const entry = this.state.entries.find((e) => e.key === `a:${id}`);
        this.set({ approvals: this.state.approvals.filter((a) => a.id !== id) });
        if (entry?.kind === 'approval') this.upsert({ ...entry, outcome: decision });
      }),
      on.turnMetrics((metrics) => {
        this.set({ lastMetrics: metrics });
        void this.refreshCost();
      }),
      on.notice((notice) => this.pushNotice(notice)),
    );
    void request
      .getStatus({})
      .then((status) => {
        this.setStatus(status);
        this.set({ connected: true });
      })
      .catch((error: unknown) => this.pushNotice({ level: 'error', message: `Cannot reach Earshot's main process: ${String(error)}` }));
    void this.refreshCost();
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  async refreshCost(): Promise<void> {
    try {
      this.set({ cost: await this.bridge.request.getCostSummary({}) });
    } catch {
      // The cost figure is informative; a failure here is shown by the next notice from main.
    }
  }

  clearConversation(): void {
    this.set({ entries: [], approvals: [], lastMetrics: null });
  }

  /** A conversation picked back up from history: its words stand above the new turns. */
  showResumed(conversationId: string, entries: readonly HistoryEntry[]): void {
    const shown: Entry[] = [];
    entries.forEach((e, index) => {
      if (e.kind !== 'transcript') return;
      const transcript: Transcript = { conversationId, itemId: `earlier-${index}`, role: e.role, text: e.text, final: true, truncated: e.truncated };
      shown.push({ kind: 'transcript', key: `t:earlier-${index}`, transcript });
    });
    this.set({ entries: shown.slice(-MAX_ENTRIES), approvals: [], lastMetrics: null });
  }

  dismissNotice(id: number): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  /** One notice per subject: a new one replaces the old in place. */
  pushNotice(notice: Notice): void {
    const shown = showNotice(notice);
    const entry: NoticeItem = { ...shown, id: ++this.noticeId, at: Date.now() };
    const previous = this.state.notices.find((n) => n.subject === shown.subject && shown.subject !== 'other');
    if (previous) this.dismissTimer(previous.id);
    const notices = previous ? this.state.notices.map((n) => (n.id === previous.id ? entry : n)) : [...this.state.notices, entry];
    this.set({ notices: notices.slice(-4) });
    if (shown.autoDismissMs !== null) this.timers.set(entry.id, setTimeout(() => this.dismissNotice(entry.id), shown.autoDismissMs));
  }

  private dismissTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  /** Notices whose cause is gone leave on their own. */
  private setStatus(status: Status): void {
    const was = this.state.status;
    const resolved = (n: NoticeItem): boolean =>
      (n.subject === 'microphone' && !status.micMuted && n.message.includes('muted')) ||
      (n.subject === 'api-key' && status.apiKey !== 'not-set') ||
      (n.subject === 'approval' && status.state !== 'thinking') ||
      // An error is resolved once a turn gets going again, not merely when the state leaves 'error'.
      (n.level === 'error' && n.subject !== 'hotkey' && n.subject !== 'settings' && was.state !== 'listening' && status.state === 'listening');
    const listeningSince = status.state === 'listening' ? (was.state === 'listening' ? this.state.listeningSince : Date.now()) : null;
    this.set({ status, listeningSince, notices: this.state.notices.filter((n) => !resolved(n)) });
  }

  private upsert(entry: Entry): void {
    const entries = this.state.entries.slice();
    const index = entries.findIndex((e) => e.key === entry.key);
    if (index >= 0) entries[index] = entry;
    else entries.push(entry);
    this.set({ entries: entries.slice(-MAX_ENTRIES) });
  }

  private set(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  getSnapshot = (): ViewState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
