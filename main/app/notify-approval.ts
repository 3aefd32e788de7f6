/**
 * What an approval notification says and what its buttons answer, per platform, as plain data so
 * it is unit-tested without Electron (desktop-notifications.ts turns it into Electron's
 * Notification).
 *
 * Buttons exist on macOS and Windows only: Electron 45's `NotificationAction` of type `button` is
 * supported on "macOS, Windows" (docs/api/structures/notification-action.md, "Platform / Action
 * Support"); on Windows Electron builds the toast's <actions> itself and its toast activator emits
 * the `action` event with `actionIndex` (shell/browser/notifications/win/windows_toast_activator.cc,
 * shell/browser/api/electron_api_notification.cc `NotificationAction`), so no hand-written toastXml
 * is needed. On Linux Electron's libnotify notification has one "default" action, which is the
 * click (shell/browser/notifications/linux/libnotify_notification.cc): there a click opens the
 * approval in the window.
 */
import type { ApprovalDecision, ApprovalRequest } from '../../preload/contract.ts';

export interface NotificationButton {
  type: 'button';
  text: string;
}

/** One desktop notification, as Electron's Notification options take it (only what we use). */
export interface NotificationSpec {
  title: string;
  body: string;
  /** macOS and Windows only; empty elsewhere. */
  actions: NotificationButton[];
  /** Linux and Windows only (docs/api/notification.md `timeoutType`): 'never' keeps it until answered. */
  timeoutType?: 'default' | 'never';
}

export interface ApprovalNotificationSpec extends NotificationSpec {
  /** What the button at each index answers. */
  decisions: ApprovalDecision[];
}

/** Platforms whose notifications carry buttons (docs/api/structures/notification-action.md). */
export function hasNotificationButtons(platform: string): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** What each tool's approval does, as a verb, an object when the tool has no path, and its refusal. */
const WORDING: Record<string, { verb: string; object?: string; refuse: string }> = {
  write_file: { verb: 'Write', refuse: "Don't write" },
  append_file: { verb: 'Add to', refuse: "Don't add" },
  create_directory: { verb: 'Create', refuse: "Don't create" },
  write_clipboard: { verb: 'Copy', object: 'to clipboard', refuse: "Don't copy" },
  read_clipboard: { verb: 'Read', object: 'clipboard', refuse: "Don't read" },
};

/** Notification buttons are narrow (a macOS alert button shows about 20 characters). */
const MAX_NAME = 24;

function shortName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const name = parts[parts.length - 1] ?? path;
  if (name.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : '';
  return `${name.slice(0, MAX_NAME - 1 - ext.length)}…${ext}`;
}

/** The two button labels: the action and its object ("Write note.txt"), and its refusal ("Don't write"). */
export function approvalButtonLabels(request: Pick<ApprovalRequest, 'tool' | 'path'>): { allow: string; deny: string } {
  const wording = WORDING[request.tool];
  if (!wording) return { allow: `Allow ${request.tool}`, deny: "Don't allow" };
  const object = request.path !== undefined ? shortName(request.path) : wording.object;
  return { allow: object ? `${wording.verb} ${object}` : wording.verb, deny: wording.refuse };
}

export function approvalNotificationSpec(request: ApprovalRequest, platform: string): ApprovalNotificationSpec {
  const { allow, deny } = approvalButtonLabels(request);
  const buttons = hasNotificationButtons(platform);
  const lines = [request.summary];
  if (!buttons) lines.push('Click to answer in Earshot.');
  return {
    title: `Earshot asks: ${allow}?`,
    body: lines.join('\n'),
    actions: buttons ? [{ type: 'button', text: allow }, { type: 'button', text: deny }] : [],
    decisions: buttons ? ['allow-once', 'deny'] : [],
    // The request waits 60 s for an answer: the notification stays until then (it is closed when
    // the approval is settled). timeoutType exists on Linux and Windows only.
    ...(platform === 'linux' || platform === 'win32' ? { timeoutType: 'never' as const } : {}),
  };
}

/** The decision a button answers, or null for an index the notification does not have. */
export function decisionForAction(spec: Pick<ApprovalNotificationSpec, 'decisions'>, actionIndex: number): ApprovalDecision | null {
  return Number.isInteger(actionIndex) && actionIndex >= 0 ? (spec.decisions[actionIndex] ?? null) : null;
}
