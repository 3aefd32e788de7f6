/**
 * Notifications per platform under the strict stand-in Electron: first the stand-in's own model of
 * Notification and nativeTheme (pinned to docs/api/notification.md, docs/api/native-theme.md and
 * the Electron sources named in electron-standin.cjs), then the app's Electron adapter
 * (main/app/desktop-notifications.ts) with the notify center and the real ApprovalService on each
 * platform's stand-in: buttons answer on macOS and Windows, a click opens the approval on Linux,
 * and a notification closed by the app is let go even where Electron reports no 'close' (Linux).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Electron from 'electron';
import type { ViewName } from '../../../preload/contract.ts';
import { NotifyCenter } from '../../../main/app/notify-center.ts';
import { ApprovalService } from '../../../main/tools/approval-service.ts';

const require = createRequire(import.meta.url);
const standinPath = require.resolve('../../support/electron-standin/electron-standin.cjs');

interface StandinNotification extends Electron.Notification {
  shown: boolean;
  ended: boolean;
  options: Electron.NotificationConstructorOptions;
}
interface Hands {
  clickNotification(n: StandinNotification): void;
  pressNotificationButton(n: StandinNotification, index: number): void;
  dismissNotification(n: StandinNotification, reason?: string): void;
  setSystemTheme(theme: { dark: boolean; systemDark?: boolean }): void;
  notifications: StandinNotification[];
}
const hands = (): Hands => (globalThis as unknown as { __standin: Hands }).__standin;

/** A fresh copy of the stand-in modelling one OS's Electron, ready (app 'ready' fired). */
async function standin(platform: string, env: Record<string, string> = {}): Promise<typeof Electron> {
  const cache = require.cache;
  const cached = cache[standinPath];
  Reflect.deleteProperty(cache, standinPath);
  const saved = { ...process.env };
  Object.assign(process.env, { STANDIN_PLATFORM: platform, ...env });
  let electron: typeof Electron;
  try {
    electron = require(standinPath) as typeof Electron;
  } finally {
    for (const key of ['STANDIN_PLATFORM', ...Object.keys(env)]) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    if (cached) cache[standinPath] = cached;
  }
  await electron.app.whenReady();
  return electron;
}

describe('the stand-in’s Notification, per platform', () => {
  it('macOS: buttons emit action (details.actionIndex, then the deprecated positional index); the notification is then gone', async () => {
    const { Notification } = await standin('darwin');
    const n = new Notification({ title: 'T', actions: [{ type: 'button', text: 'Yes' }, { type: 'button', text: 'No' }] }) as StandinNotification;
    const seen: unknown[] = [];
    n.on('action', (details, index, selection) => seen.push([details.actionIndex, index, selection]));
    n.on('close', () => seen.push('close'));
    expect(() => hands().pressNotificationButton(n, 0)).toThrow('never shown');
    n.show();
    expect(() => hands().pressNotificationButton(n, 2)).toThrow('has no button 2');
    hands().pressNotificationButton(n, 1);
    n.close(); // already gone: nothing more
    expect(seen).toEqual([[1, 1, -1]]);
  });

  it('macOS and Windows report our own close(); Linux does not', async () => {
    for (const [platform, closes] of [['darwin', true], ['win32', true], ['linux', false]] as const) {
      const { Notification } = await standin(platform);
      const n = new Notification({ title: 'T' });
      let closed = 0;
      n.on('close', () => closed++);
      n.show();
      n.close();
      expect(closed, platform).toBe(closes ? 1 : 0);
    }
  });

  it('Linux has no buttons, only the click', async () => {
    const { Notification } = await standin('linux');
    const n = new Notification({ title: 'T', actions: [{ type: 'button', text: 'Yes' }] }) as StandinNotification;
    let clicks = 0;
    n.on('click', () => clicks++);
    n.show();
    expect(() => hands().pressNotificationButton(n, 0)).toThrow('no buttons on linux');
    hands().clickNotification(n);
    expect(clicks).toBe(1);
  });

  it('nativeTheme: Windows can have a dark taskbar with light apps; updated fires on a change; nothing unmodelled', async () => {
    const { nativeTheme } = await standin('win32', { STANDIN_DARK: '0', STANDIN_SYSTEM_DARK: '1' });
    expect(nativeTheme.shouldUseDarkColors).toBe(false);
    expect(nativeTheme.shouldUseDarkColorsForSystemIntegratedUI).toBe(true);
    let updates = 0;
    nativeTheme.on('updated', () => updates++);
    nativeTheme.themeSource = 'dark';
    expect(nativeTheme.shouldUseDarkColors).toBe(true);
    expect(updates).toBe(1);
    expect(() => (nativeTheme as unknown as Record<string, unknown>).shouldUseMagicColors).toThrow('does not model nativeTheme.shouldUseMagicColors');
    const linux = (await standin('linux', { STANDIN_DARK: '1' })).nativeTheme;
    expect(linux.shouldUseDarkColorsForSystemIntegratedUI).toBe(linux.shouldUseDarkColors);
  });
});

describe('the app’s notification adapter on each platform’s stand-in', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
  });

  async function setUp(platform: string) {
    const electron = await standin(platform);
    vi.resetModules();
    vi.doMock('electron', () => ({ Notification: electron.Notification, default: electron }));
    const { DesktopNotifications } = await import('../../../main/app/desktop-notifications.ts');
    const port = new DesktopNotifications(platform);
    const views: ViewName[] = [];
    const approvals = new ApprovalService({ timeoutMs: 5_000 });
    const center = new NotifyCenter({ port, platform, isWindowVisible: () => false, show: (v) => views.push(v) });
    approvals.onRequest((r) => center.notifyApproval(r, (d) => approvals.answer(r.id, d)));
    approvals.onSettled((s) => center.approvalSettled(s.id));
    const before = hands().notifications.length;
    const ask = (): Promise<unknown> => approvals.request({ tool: 'write_file', summary: 'Write 9 B to ~/notes/todo.txt', path: '~/notes/todo.txt' });
    const latest = (): StandinNotification => {
      const n = hands().notifications.at(-1);
      if (!n || hands().notifications.length <= before) throw new Error('no notification');
      return n;
    };
    return { port, views, approvals, ask, latest };
  }

  for (const platform of ['darwin', 'win32']) {
    it(`${platform}: the buttons say what they do, and "Write todo.txt" allows the write`, async () => {
      const s = await setUp(platform);
      const answer = s.ask();
      const n = s.latest();
      expect(n.options.actions).toEqual([
        { type: 'button', text: 'Write todo.txt' },
        { type: 'button', text: "Don't write" },
      ]);
      expect(n.options.timeoutType).toBe(platform === 'win32' ? 'never' : undefined);
      hands().pressNotificationButton(n, 0);
      await expect(answer).resolves.toEqual({ decision: 'allow-once' });
      expect(s.port.size).toBe(0);
    });
  }

  it('darwin: "Don\'t write" denies', async () => {
    const s = await setUp('darwin');
    const answer = s.ask();
    hands().pressNotificationButton(s.latest(), 1);
    await expect(answer).resolves.toEqual({ decision: 'deny' });
  });

  it('linux: no buttons; a click opens the approval in the window', async () => {
    const s = await setUp('linux');
    const answer = s.ask();
    const n = s.latest();
    expect(n.options.actions).toBeUndefined();
    expect(n.options.timeoutType).toBe('never');
    hands().clickNotification(n);
    expect(s.views).toEqual(['transcript']);
    expect(s.approvals.pending()).toHaveLength(1);
    s.approvals.answer(s.approvals.pending()[0]?.id ?? '', 'deny');
    await expect(answer).resolves.toEqual({ decision: 'deny' });
  });

  it('win32: a toast that timed out into Action Center still answers with its button', async () => {
    const s = await setUp('win32');
    const answer = s.ask();
    const n = s.latest();
    hands().dismissNotification(n, 'timedOut');
    expect(s.port.size).toBe(1);
    hands().pressNotificationButton(n, 1);
    await expect(answer).resolves.toEqual({ decision: 'deny' });
  });

  it('a notification the person dismissed leaves the approval waiting in the window', async () => {
    const s = await setUp('darwin');
    void s.ask();
    hands().dismissNotification(s.latest());
    expect(s.port.size).toBe(0);
    expect(s.approvals.pending()).toHaveLength(1);
    s.approvals.cancelAll();
  });

  for (const platform of ['darwin', 'win32', 'linux']) {
    it(`${platform}: answered in the window, the notification closes and is let go`, async () => {
      const s = await setUp(platform);
      const answer = s.ask();
      const n = s.latest();
      expect(s.port.size).toBe(1);
      s.approvals.answer(s.approvals.pending()[0]?.id ?? '', 'allow-once');
      await answer;
      expect(n.ended).toBe(true); // closed on screen
      expect(s.port.size).toBe(0); // and no longer referenced, even on Linux where no 'close' event comes
    });
  }
});
