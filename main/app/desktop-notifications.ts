/**
 * Desktop notifications. Each one is kept referenced until it is closed or clicked: a Notification
 * held in no variable may be garbage-collected together with its click handler
 * (docs/api/notification.md: "Keep references so events continue to fire"; docs/faq.md). On Windows a toast needs the app's
 * AppUserModelID (set at start, see index.ts) to appear at all.
 */
import { Notification } from 'electron';

export class DesktopNotifications {
  private readonly live = new Set<Notification>();

  show(title: string, body: string, onClick: () => void): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, silent: false });
    this.live.add(notification);
    const forget = (): void => {
      this.live.delete(notification);
    };
    notification.on('click', () => {
      forget();
      onClick();
    });
    notification.on('close', forget);
    notification.on('failed', forget);
    notification.show();
  }

  dispose(): void {
    for (const notification of this.live) notification.close();
    this.live.clear();
  }
}
