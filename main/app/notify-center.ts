/**
 * The app's desktop notifications, without Electron: approval requests whose buttons answer them
 * (through the same ApprovalService the window uses, handed in as `answer`), closed as soon as the
 * approval is settled anywhere (window, timeout, withdrawal); and errors that need the person,
 * notified once per condition (notify-once.ts). desktop-notifications.ts implements the port with
 * Electron's Notification; the unit tests implement it in memory.
 */
import type { ApprovalDecision, ApprovalRequest, Notice, Status, ViewName } from '../../preload/contract.ts';
import { approvalNotificationSpec, decisionForAction, type NotificationSpec } from './notify-approval.ts';
import { AttentionRule, attentionNotification } from './notify-once.ts';

export interface NotificationHandlers {
  /** The body was clicked (on Linux, the only interaction there is). */
  click(): void;
  /** A button was pressed (macOS, Windows): its index in `actions`. */
  action(actionIndex: number): void;
  /** It went away without an answer (closed by the person or the system), or could not be shown. */
  gone(reason: string): void;
}

export interface ShownNotification {
  close(): void;
}

export interface NotificationPort {
  /** Shows a notification; null where the system has none (Notification.isSupported() false). */
  show(spec: NotificationSpec, handlers: NotificationHandlers): ShownNotification | null;
}

export interface NotifyCenterOptions {
  port: NotificationPort;
  platform: string;
  isWindowVisible(): boolean;
  /** Bring the window forward on a view (the approval is shown on the transcript). */
  show(view: ViewName): void;
  log?(message: string, fields?: Record<string, unknown>): void;
}

export class NotifyCenter {
  private readonly options: NotifyCenterOptions;
  private readonly approvals = new Map<string, ShownNotification>();
  private readonly rule = new AttentionRule();

  constructor(options: NotifyCenterOptions) {
    this.options = options;
  }

  /** An approval waits while the window is hidden. `answer` returns false once it is settled. */
  notifyApproval(request: ApprovalRequest, answer: (decision: ApprovalDecision) => boolean): void {
    const spec = approvalNotificationSpec(request, this.options.platform);
    const forget = (): void => void this.approvals.delete(request.id);
    const shown = this.options.port.show(spec, {
      click: () => {
        forget();
        this.options.show('transcript');
      },
      action: (index) => {
        forget();
        const decision = decisionForAction(spec, index);
        if (decision === null) {
          this.options.log?.('approval notification: unknown action', { index });
          this.options.show('transcript');
          return;
        }
        if (!answer(decision)) this.options.log?.('approval notification answered too late', { id: request.id });
      },
      gone: (reason) => {
        forget();
        if (reason !== 'closed') this.options.log?.('approval notification not shown', { reason });
      },
    });
    if (shown) this.approvals.set(request.id, shown);
  }

  /** The approval was answered (anywhere), timed out or withdrawn: its notification goes away. */
  approvalSettled(id: string): void {
    const shown = this.approvals.get(id);
    if (!shown) return;
    this.approvals.delete(id);
    shown.close();
  }

  /** Every notice; the ones that need the person notify once per condition while the window is hidden. */
  noticed(notice: Notice): void {
    const condition = this.rule.noticed(notice, this.options.isWindowVisible());
    if (!condition) return;
    const { title, body, view } = attentionNotification(notice, condition);
    this.options.port.show(
      { title, body, actions: [] },
      {
        click: () => this.options.show(view),
        action: () => this.options.show(view),
        gone: (reason) => {
          if (reason !== 'closed') this.options.log?.('notification not shown', { reason });
        },
      },
    );
  }

  statusChanged(status: Pick<Status, 'state'>): void {
    this.rule.statusChanged(status);
  }

  /** Approval notifications still on screen (ids). */
  openApprovals(): string[] {
    return [...this.approvals.keys()];
  }

  dispose(): void {
    for (const shown of this.approvals.values()) shown.close();
    this.approvals.clear();
  }
}
