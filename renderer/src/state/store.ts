/**
 * The renderer's view of the session, fed by bridge events. Plain TypeScript so the React hook is
 * a thin useSyncExternalStore over it.
 */
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type {
  ApprovalRequest,
  Notice,
  Status,
  ToolCallView,
  Transcript,
  TurnMetrics,
} from '../../../preload/contract.ts';

export type Entry =
  | { kind: 'transcript'; key: string; transcript: Transcript }
  | { kind: 'tool'; key: string; call: ToolCallView };

export interface CostSummary {
  todayUsd: number;
  monthUsd: number;
  dailyBudgetUsd: number | null;
}

export interface ViewState {
  status: Status;
  entries: Entry[];
  approvals: ApprovalRequest[];
  lastMetrics: TurnMetrics | null;
  notices: (Notice & { id: number; at: number })[];
  cost: CostSummary | null;
  connected: boolean;
}

const MAX_ENTRIES = 400;
const MAX_NOTICES = 5;

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
  };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private noticeId = 0;

  readonly bridge: EarshotBridge;

  constructor(bridge: EarshotBridge) {
    this.bridge = bridge;
  }

  start(): void {
    const { on, request } = this.bridge;
    this.unsubscribers.push(
      on.status((status) => this.set({ status })),
      on.transcript((t) => this.upsert({ kind: 'transcript', key: `t:${t.itemId}`, transcript: t })),
      on.toolCall((call) => this.upsert({ kind: 'tool', key: `c:${call.callId}`, call })),
      on.approval((approval) => this.set({ approvals: [...this.state.approvals.filter((a) => a.id !== approval.id), approval] })),
      on.approvalSettled(({ id }) => this.set({ approvals: this.state.approvals.filter((a) => a.id !== id) })),
      on.turnMetrics((metrics) => {
        this.set({ lastMetrics: metrics });
        void this.refreshCost();
      }),
      on.notice((notice) => this.pushNotice(notice)),
    );
    void request
      .getStatus({})
      .then((status) => this.set({ status, connected: true }))
      .catch((error: unknown) => this.pushNotice({ level: 'error', message: `Cannot reach Earshot's main process: ${String(error)}` }));
    void this.refreshCost();
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off();
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

  dismissNotice(id: number): void {
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  pushNotice(notice: Notice): void {
    const entry = { ...notice, id: ++this.noticeId, at: Date.now() };
    this.set({ notices: [...this.state.notices, entry].slice(-MAX_NOTICES) });
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
