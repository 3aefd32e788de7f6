/**
 * The notification rules without Electron: what an approval notification says and what its buttons
 * answer per platform; that the answer goes through the real ApprovalService (the one the window
 * answers through) and the notification closes when the approval is settled anywhere else; and that
 * errors needing the person notify once per condition until the status shows it resolved — with the
 * notices the real producers (Realtime error table, cost ledger) emit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest, Notice, Status, TurnMetrics, ViewName } from '../../../preload/contract.ts';
import { approvalButtonLabels, approvalNotificationSpec, decisionForAction, type NotificationSpec } from '../../../main/app/notify-approval.ts';
import { NotifyCenter, type NotificationHandlers, type NotificationPort } from '../../../main/app/notify-center.ts';
import { AttentionRule, attentionCondition, MICROPHONE_REFUSED_MESSAGE } from '../../../main/app/notify-once.ts';
import { ApprovalService } from '../../../main/tools/approval-service.ts';
import { CostLedger } from '../../../main/history/cost-ledger.ts';
import { FATAL_ACTIONS } from '../../../main/voice/engine/fatal-errors.ts';

const write: ApprovalRequest = { id: 'a1', tool: 'write_file', summary: 'Write 12 B to ~/Documents/note.txt', path: '~/Documents/note.txt', expiresAt: 0 };

describe('what an approval notification says', () => {
  it('names the action and its object on each button', () => {
    expect(approvalButtonLabels(write)).toEqual({ allow: 'Write note.txt', deny: "Don't write" });
    expect(approvalButtonLabels({ tool: 'append_file', path: 'C:\\Users\\ana\\journal.md' })).toEqual({ allow: 'Add to journal.md', deny: "Don't add" });
    expect(approvalButtonLabels({ tool: 'create_directory', path: '~/Documents/Trips/' })).toEqual({ allow: 'Create Trips', deny: "Don't create" });
    expect(approvalButtonLabels({ tool: 'write_clipboard' })).toEqual({ allow: 'Copy to clipboard', deny: "Don't copy" });
    expect(approvalButtonLabels({ tool: 'mystery_tool' })).toEqual({ allow: 'Allow mystery_tool', deny: "Don't allow" });
    // A long name is cut in the middle, keeping its extension.
    const long = approvalButtonLabels({ tool: 'write_file', path: '/tmp/a-very-long-file-name-for-a-button.txt' }).allow;
    expect(long).toBe('Write a-very-long-file-na….txt');
  });

  it('has buttons on macOS and Windows, and a click on Linux', () => {
    for (const platform of ['darwin', 'win32']) {
      const spec = approvalNotificationSpec(write, platform);
      expect(spec.actions).toEqual([
        { type: 'button', text: 'Write note.txt' },
        { type: 'button', text: "Don't write" },
      ]);
      expect(spec.title).toBe('Earshot asks: Write note.txt?');
      expect(spec.body).toBe(write.summary);
    }
    const linux = approvalNotificationSpec(write, 'linux');
    expect(linux.actions).toEqual([]);
    expect(linux.body).toBe(`${write.summary}\nClick to answer in Earshot.`);
    // It stays until answered where the option exists (Linux, Windows), and is closed on settling.
    expect(linux.timeoutType).toBe('never');
    expect(approvalNotificationSpec(write, 'win32').timeoutType).toBe('never');
    expect(approvalNotificationSpec(write, 'darwin').timeoutType).toBeUndefined();
  });

  it('the macOS package asks for alert-style notifications, without which macOS shows no buttons', () => {
    // docs/api/structures/notification-action.md, "Button support on macOS". Read the way
    // electron-builder reads its config (js-yaml's load, app-builder-lib/out/util/config/load.js).
    const root = join(import.meta.dirname, '..', '..', '..');
    const yaml = createRequire(join(root, 'node_modules', 'app-builder-lib', 'out', 'util', 'config', 'load.js'))('js-yaml') as { load(text: string): unknown };
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { mac?: { extendInfo?: Record<string, unknown> } };
    expect(config.mac?.extendInfo?.NSUserNotificationAlertStyle).toBe('alert');
  });

  it('maps button indexes to approval decisions, and nothing else', () => {
    const spec = approvalNotificationSpec(write, 'darwin');
    expect(decisionForAction(spec, 0)).toBe('allow-once');
    expect(decisionForAction(spec, 1)).toBe('deny');
    expect(decisionForAction(spec, 2)).toBeNull();
    expect(decisionForAction(spec, -1)).toBeNull();
    expect(decisionForAction(approvalNotificationSpec(write, 'linux'), 0)).toBeNull();
  });
});

/** An in-memory notification system: what was shown, and the person's hands. */
function memoryNotifications(): NotificationPort & { shown: { spec: NotificationSpec; handlers: NotificationHandlers; closed: boolean }[] } {
  const shown: { spec: NotificationSpec; handlers: NotificationHandlers; closed: boolean }[] = [];
  return {
    shown,
    show(spec, handlers) {
      const entry = { spec, handlers, closed: false };
      shown.push(entry);
      return { close: () => void (entry.closed = true) };
    },
  };
}

function center(platform: string, visible = false) {
  const port = memoryNotifications();
  const views: ViewName[] = [];
  const logs: string[] = [];
  const window = { visible };
  const notify = new NotifyCenter({ port, platform, isWindowVisible: () => window.visible, show: (v) => views.push(v), log: (m) => logs.push(m) });
  return { port, views, logs, notify, window };
}

/** The core's wiring (start-core.ts): request → notification with the service's answer; settled → close. */
function wire(service: ApprovalService, notify: NotifyCenter): void {
  service.onRequest((request) => notify.notifyApproval(request, (decision) => service.answer(request.id, decision)));
  service.onSettled((settled) => notify.approvalSettled(settled.id));
}

describe('approval notifications answered through the ApprovalService', () => {
  it('a button press answers the approval: "Write note.txt" allows once, "Don’t write" denies', async () => {
    for (const [index, decision] of [[0, 'allow-once'], [1, 'deny']] as const) {
      const service = new ApprovalService({ timeoutMs: 5_000 });
      const c = center('darwin');
      wire(service, c.notify);
      const answer = service.request({ tool: 'write_file', summary: write.summary, path: write.path });
      expect(c.port.shown).toHaveLength(1);
      c.port.shown[0]?.handlers.action(index);
      await expect(answer).resolves.toEqual({ decision });
      expect(service.pending()).toEqual([]);
      expect(c.notify.openApprovals()).toEqual([]);
    }
  });

  it('answered in the window, the notification closes; a late button press changes nothing', async () => {
    const service = new ApprovalService({ timeoutMs: 5_000 });
    const c = center('win32');
    wire(service, c.notify);
    const answer = service.request({ tool: 'write_file', summary: write.summary, path: write.path });
    const id = service.pending()[0]?.id ?? '';
    expect(service.answer(id, 'deny')).toBe(true); // the window's answerApproval
    await expect(answer).resolves.toEqual({ decision: 'deny' });
    expect(c.port.shown[0]?.closed).toBe(true);
    c.port.shown[0]?.handlers.action(0);
    expect(c.logs).toContain('approval notification answered too late');
  });

  it('a timeout closes it too', async () => {
    const service = new ApprovalService({ timeoutMs: 30 });
    const c = center('darwin');
    wire(service, c.notify);
    await expect(service.request({ tool: 'write_file', summary: write.summary, path: write.path })).resolves.toEqual({ decision: 'timeout' });
    expect(c.port.shown[0]?.closed).toBe(true);
  });

  it('on Linux a click opens the approval in the window and leaves it waiting there', async () => {
    const service = new ApprovalService({ timeoutMs: 5_000 });
    const c = center('linux');
    wire(service, c.notify);
    const answer = service.request({ tool: 'write_file', summary: write.summary, path: write.path });
    c.port.shown[0]?.handlers.click();
    expect(c.views).toEqual(['transcript']);
    expect(service.pending()).toHaveLength(1);
    service.answer(service.pending()[0]?.id ?? '', 'allow-once');
    await expect(answer).resolves.toEqual({ decision: 'allow-once' });
    expect(c.port.shown[0]?.closed).toBe(false); // already gone with the click: nothing to close
  });
});

const status = (state: Status['state']): Pick<Status, 'state'> => ({ state });
const keyRejected: Notice = { level: 'error', message: FATAL_ACTIONS.invalid_api_key?.message ?? '?', action: FATAL_ACTIONS.invalid_api_key?.action ?? '' };

describe('errors that need the person notify once per condition', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('recognises the notices the real producers emit', async () => {
    expect(attentionCondition(keyRejected)).toBe('key-rejected');
    expect(attentionCondition({ level: 'error', message: MICROPHONE_REFUSED_MESSAGE })).toBe('microphone-refused');
    // The cost ledger's own notices: at the limit, and when a turn is refused for it.
    dir = mkdtempSync(join(tmpdir(), 'earshot-notify-'));
    const notices: Notice[] = [];
    const ledger = await CostLedger.open({ file: join(dir, 'cost-ledger.jsonl'), clock: { epochMs: () => Date.UTC(2025, 0, 15, 15) }, dailyBudgetUsd: () => 1, notice: (n) => notices.push(n) });
    const metrics: TurnMetrics = {
      conversationId: 'c',
      turnId: 't',
      model: 'gpt-realtime',
      latency: { keyUpToCommitMs: null, commitToFirstAudioMs: null, firstAudioToFirstSampleMs: null, totalMs: null },
      usage: { inputTextTokens: 0, inputAudioTokens: 0, cachedTextTokens: 0, cachedAudioTokens: 0, outputTextTokens: 0, outputAudioTokens: 0 },
      costUsd: 0.85,
      sessionCostUsd: 0.85,
      costEstimated: false,
    };
    await ledger.record(metrics); // 85 %: the warning
    await ledger.record({ ...metrics, turnId: 't2', costUsd: 0.35 }); // 120 %: the limit
    const limit = notices.find((n) => n.level === 'error');
    expect(limit && attentionCondition(limit)).toBe('budget-reached');
    const refused = ledger.canStartTurn();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(attentionCondition({ level: 'error', message: refused.message })).toBe('budget-reached');
    // The 80 % warning and ordinary errors are not notified.
    expect(notices.filter((n) => n.level === 'warning').map(attentionCondition)).toEqual([null]);
    expect(attentionCondition({ level: 'error', message: 'Lost the connection.' })).toBeNull();
  });

  it('the same condition ten times gives one notification, until a turn shows it resolved', () => {
    const rule = new AttentionRule();
    const fired = Array.from({ length: 10 }, () => rule.noticed(keyRejected, false));
    expect(fired.filter(Boolean)).toEqual(['key-rejected']);
    rule.statusChanged(status('connecting'));
    rule.statusChanged(status('error'));
    expect(rule.noticed(keyRejected, false)).toBeNull(); // connecting proves nothing about the key
    rule.statusChanged(status('speaking')); // the service answered a turn: the key works
    expect(rule.noticed(keyRejected, false)).toBe('key-rejected');
  });

  it('budget: resolved as soon as a turn may start; conditions are independent', () => {
    const rule = new AttentionRule();
    const budget: Notice = { level: 'error', message: 'Daily budget reached: $1.20 spent today of your $1.00 budget.' };
    expect(rule.noticed(budget, false)).toBe('budget-reached');
    expect(rule.noticed(keyRejected, false)).toBe('key-rejected');
    expect(rule.noticed(budget, false)).toBeNull();
    rule.statusChanged(status('listening'));
    expect(rule.pending()).toEqual(['key-rejected']);
    expect(rule.noticed(budget, false)).toBe('budget-reached');
  });

  it('while the window is on screen it shows the notice itself: no notification, and the next hidden one still notifies', () => {
    const rule = new AttentionRule();
    expect(rule.noticed(keyRejected, true)).toBeNull();
    expect(rule.noticed(keyRejected, false)).toBe('key-rejected');
  });

  it('through the center: one notification for repeated errors, whose click opens Settings', () => {
    const c = center('linux');
    for (let i = 0; i < 5; i++) c.notify.noticed(keyRejected);
    expect(c.port.shown).toHaveLength(1);
    expect(c.port.shown[0]?.spec).toEqual({ title: 'Earshot: the API key was rejected', body: `${keyRejected.message}\n${keyRejected.action}`, actions: [] });
    c.port.shown[0]?.handlers.click();
    expect(c.views).toEqual(['settings']);
    c.notify.statusChanged(status('thinking'));
    c.notify.noticed(keyRejected);
    expect(c.port.shown).toHaveLength(2);
  });
});
