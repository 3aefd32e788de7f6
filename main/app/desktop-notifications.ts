/**
 * Electron's Notification behind the NotificationPort of notify-center.ts. Each one is kept
 * referenced until it is clicked, answered, closed or failed: a Notification held in no variable
 * may be garbage-collected together with its handlers (docs/api/notification.md: "Keep references
 * so events continue to fire"; docs/faq.md). On Windows a toast needs the app's AppUserModelID (set
 * at start, see index.ts) to appear at all.
 *
 * Per platform (docs/api/notification.md, Electron 45):
 * - `actions` (buttons) and the `action` event exist on macOS and Windows; the event's first
 *   argument carries `actionIndex` (the positional index is deprecated);
 * - `timeoutType` exists on Linux and Windows;
 * - our own `close()` is not reported back everywhere: on Linux Electron drops the notification's
 *   delegate before libnotify's asynchronous "closed" signal arrives
 *   (shell/browser/api/electron_api_notification.cc `Notification::Close`), so no 'close' event
 *   follows. The reference is therefore dropped here, not in a 'close' handler.
 * - macOS shows notifications only for a signed app; an unsigned one emits `failed`.
 */
import { Notification, type NotificationConstructorOptions } from 'electron';
import type { NotificationSpec } from './notify-approval.ts';
import type { NotificationHandlers, NotificationPort, ShownNotification } from './notify-center.ts';

export class DesktopNotifications implements NotificationPort {
  private readonly live = new Set<Notification>();
  private readonly platform: string;

  constructor(platform: string) {
    this.platform = platform;
  }

  show(spec: NotificationSpec, handlers: NotificationHandlers): ShownNotification | null {
    if (!Notification.isSupported()) return null;
    const options: NotificationConstructorOptions = { title: spec.title, body: spec.body, silent: false };
    if (spec.actions.length > 0 && (this.platform === 'darwin' || this.platform === 'win32')) options.actions = spec.actions;
    if (spec.timeoutType && (this.platform === 'linux' || this.platform === 'win32')) options.timeoutType = spec.timeoutType;
    const notification = new Notification(options);
    this.live.add(notification);
    this.publish();
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      this.live.delete(notification);
      this.publish();
      return true;
    };
    notification.on('click', () => {
      if (finish()) handlers.click();
    });
    notification.on('action', (details) => {
      if (finish()) handlers.action(details.actionIndex);
    });
    notification.on('close', (details) => {
      // Windows: a toast that timed out moves to Action Center, where its buttons still work
      // (docs/api/notification.md, Event 'close', `reason`): keep it referenced and listening.
      if (this.platform === 'win32' && (details as { reason?: string } | undefined)?.reason === 'timedOut') return;
      if (finish()) handlers.gone('closed');
    });
    notification.on('failed', (_event, error) => {
      if (finish()) handlers.gone(`failed: ${error}`);
    });
    notification.show();
    return {
      close: () => {
        if (!finish()) return;
        notification.close();
      },
    };
  }

  /** Notifications still referenced (shown and not yet answered or closed). */
  get size(): number {
    return this.live.size;
  }

  /** The electron test tier reads the live notifications here, only when it asked for test hooks. */
  private publish(): void {
    if (process.env.EARSHOT_TEST_HOOKS === '1') (globalThis as { __earshotNotifications?: Notification[] }).__earshotNotifications = [...this.live];
  }

  dispose(): void {
    for (const notification of this.live) notification.close();
    this.live.clear();
  }
}
