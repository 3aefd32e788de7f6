/** The approval flow: ApprovalService on its own and behind the ToolHost (allow once, always, deny, timeout). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalService, createToolHost } from '../../../main/tools/index.ts';
import type { ApprovalSettled, ToolAuditRecord } from '../../../main/tools/index.ts';
import type { ApprovalRequest, ToolCallView } from '../../../preload/contract.ts';
import { ApprovalRequestSchema } from '../../../preload/contract.ts';
import type { Clock } from '../../../main/base/clock.ts';
import { call, makeTempDir } from './tool-test-kit.ts';

/** A clock whose timers fire only when the test advances it. */
class ManualClock implements Clock {
  private t = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  now(): number {
    return this.t;
  }
  epochMs(): number {
    return 1_750_000_000_000 + this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }
  advance(ms: number): void {
    this.t += ms;
    for (const timer of this.timers.filter((x) => x.live && x.at <= this.t)) {
      timer.live = false;
      timer.fn();
    }
  }
}

let base: string;
let root: string;

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, 'notes');
  await fs.mkdir(root);
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

function setup(timeoutMs = 60_000) {
  const clock = new ManualClock();
  let n = 0;
  const approvals = new ApprovalService({ clock, timeoutMs, newId: () => `ap_${(n += 1)}` });
  const requests: ApprovalRequest[] = [];
  const settled: ApprovalSettled[] = [];
  approvals.onRequest((r) => requests.push(r));
  approvals.onSettled((s) => settled.push(s));
  const host = createToolHost({ roots: [root], approvals, sandbox: { homeDir: base } });
  const views: ToolCallView[] = [];
  const audits: ToolAuditRecord[] = [];
  host.onCallUpdate((v) => views.push(v));
  host.onAudit((a) => audits.push(a));
  return { clock, approvals, requests, settled, host, views, audits };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition not reached');
}

describe('ApprovalService', () => {
  it('builds a request with id, summary, path, preview and expiry, and resolves on the answer', async () => {
    const { approvals, requests, settled, clock } = setup(30_000);
    clock.advance(1234);
    const pending = approvals.request({ tool: 'write_file', summary: 'Write 5 B to ~/notes/a.txt', path: '~/notes/a.txt', preview: 'hello' });
    expect(requests).toEqual([
      { id: 'ap_1', tool: 'write_file', summary: 'Write 5 B to ~/notes/a.txt', path: '~/notes/a.txt', preview: 'hello', expiresAt: 1_750_000_000_000 + 1234 + 30_000 },
    ]);
    expect(() => ApprovalRequestSchema.parse(requests[0])).not.toThrow();
    expect(approvals.pending().map((r) => r.id)).toEqual(['ap_1']);
    expect(approvals.answer('ap_1', 'allow-once')).toBe(true);
    expect(await pending).toEqual({ decision: 'allow-once' });
    expect(approvals.answer('ap_1', 'deny')).toBe(false);
    expect(approvals.answer('nope', 'deny')).toBe(false);
    expect(settled).toEqual([{ id: 'ap_1', tool: 'write_file', decision: 'allow-once' }]);
    expect(approvals.pending()).toEqual([]);
  });

  it('times out after the configured time, and a late answer is refused', async () => {
    const { approvals, clock, settled } = setup(5_000);
    const pending = approvals.request({ tool: 'write_file', summary: 's' });
    clock.advance(4_999);
    clock.advance(1);
    expect(await pending).toEqual({ decision: 'timeout' });
    expect(approvals.answer('ap_1', 'allow-once')).toBe(false);
    expect(settled[0]?.decision).toBe('timeout');
  });

  it('defaults to a 60 s timeout', async () => {
    const { approvals, requests } = setup(undefined);
    void approvals.request({ tool: 'write_file', summary: 's' });
    expect(requests[0]?.expiresAt).toBe(1_750_000_000_000 + 60_000);
    approvals.cancelAll();
  });

  it('remembers "always" per tool, and can forget it', async () => {
    const { approvals, requests } = setup();
    const first = approvals.request({ tool: 'append_file', summary: 's' });
    approvals.answer('ap_1', 'always');
    expect(await first).toEqual({ decision: 'always' });
    expect(await approvals.request({ tool: 'append_file', summary: 's2' })).toEqual({ decision: 'always' });
    expect(requests).toHaveLength(1);
    expect(approvals.isAlwaysAllowed('append_file')).toBe(true);
    expect(approvals.isAlwaysAllowed('write_file')).toBe(false);
    approvals.forgetAlways('append_file');
    void approvals.request({ tool: 'append_file', summary: 's3' });
    expect(requests).toHaveLength(2);
    approvals.cancelAll();
  });

  it('an aborted call withdraws its request', async () => {
    const { approvals, settled } = setup();
    const controller = new AbortController();
    const pending = approvals.request({ tool: 'write_file', summary: 's' }, controller.signal);
    controller.abort();
    expect(await pending).toEqual({ decision: 'deny', reason: 'the call was cancelled' });
    expect(settled[0]?.decision).toBe('deny');
  });
});

describe('approvals through the ToolHost', () => {
  it('allow once: shows awaiting-approval, writes after the yes, and asks again next time', async () => {
    const { approvals, requests, host, views, audits } = setup();
    const result = call(host, 'write_file', { path: 'once.txt', content: 'first' });
    await until(() => requests.length === 1);
    expect(requests[0]).toMatchObject({ tool: 'write_file', summary: 'Write 5 B to ~/notes/once.txt', path: '~/notes/once.txt', preview: 'first' });
    expect(views.at(-1)?.status).toBe('awaiting-approval');
    await expect(fs.stat(path.join(root, 'once.txt'))).rejects.toThrow();
    approvals.answer(requests[0]?.id ?? '', 'allow-once');
    expect((await result).output).toBe('Created ~/notes/once.txt: 5 B, 1 line.');
    expect(audits[0]?.decision).toBe('allowed-once');
    const second = call(host, 'write_file', { path: 'once.txt', content: 'second', overwrite: true });
    await until(() => requests.length === 2);
    approvals.answer(requests[1]?.id ?? '', 'allow-once');
    expect((await second).status).toBe('done');
    expect(await fs.readFile(path.join(root, 'once.txt'), 'utf8')).toBe('second');
  });

  it('always: later calls of that tool run without asking, other tools still ask', async () => {
    const { approvals, requests, host, audits } = setup();
    const first = call(host, 'append_file', { path: 'log.txt', content: 'a\n' });
    await until(() => requests.length === 1);
    approvals.answer(requests[0]?.id ?? '', 'always');
    expect((await first).status).toBe('done');
    expect((await call(host, 'append_file', { path: 'log.txt', content: 'b\n' })).status).toBe('done');
    expect(requests).toHaveLength(1);
    expect(audits.map((a) => a.decision)).toEqual(['allowed-always', 'allowed-always']);
    expect(await fs.readFile(path.join(root, 'log.txt'), 'utf8')).toBe('a\nb\n');
    const other = call(host, 'create_directory', { path: 'sub' });
    await until(() => requests.length === 2);
    approvals.answer(requests[1]?.id ?? '', 'deny');
    expect((await other).status).toBe('denied');
  });

  it('deny: nothing is written and the model hears why', async () => {
    const { approvals, requests, host, views, audits } = setup();
    const result = call(host, 'write_file', { path: 'no.txt', content: 'x' });
    await until(() => requests.length === 1);
    approvals.answer(requests[0]?.id ?? '', 'deny');
    expect(await result).toMatchObject({ status: 'denied', output: 'The user declined: Write 1 B to ~/notes/no.txt. Nothing was done.' });
    expect(views.at(-1)).toMatchObject({ status: 'denied' });
    expect(audits[0]).toMatchObject({ decision: 'denied', status: 'denied' });
    await expect(fs.stat(path.join(root, 'no.txt'))).rejects.toThrow();
    expect((await call(host, 'list_directory', { path: root })).status).toBe('done');
  });

  it('timeout: nothing is written and the model hears that nobody answered', async () => {
    const { clock, requests, host, audits } = setup(10_000);
    const result = call(host, 'write_file', { path: 'late.txt', content: 'x' });
    await until(() => requests.length === 1);
    clock.advance(10_000);
    expect(await result).toMatchObject({
      status: 'denied',
      output: 'The user did not answer within the time limit, so this was not done: Write 1 B to ~/notes/late.txt.',
    });
    expect(audits[0]).toMatchObject({ decision: 'timeout', status: 'denied' });
    await expect(fs.stat(path.join(root, 'late.txt'))).rejects.toThrow();
  });

  it('a path outside the shared folders is refused before the user is asked', async () => {
    const { requests, host } = setup();
    const r = await call(host, 'write_file', { path: path.join(base, 'escape.txt'), content: 'x' });
    expect(r.status).toBe('error');
    expect(requests).toHaveLength(0);
  });

  it('a target that changes while waiting for approval is refused', async () => {
    const { approvals, requests, host } = setup();
    await fs.mkdir(path.join(root, 'real-a'));
    await fs.mkdir(path.join(root, 'real-b'));
    await fs.symlink('real-a', path.join(root, 'pointer'));
    const result = call(host, 'write_file', { path: 'pointer/x.txt', content: 'x' });
    await until(() => requests.length === 1);
    expect(requests[0]?.path).toBe('~/notes/real-a/x.txt');
    await fs.rm(path.join(root, 'pointer'));
    await fs.symlink('real-b', path.join(root, 'pointer'));
    approvals.answer(requests[0]?.id ?? '', 'allow-once');
    const r = await result;
    expect(r.status).toBe('error');
    expect(r.output).toContain('now points somewhere other than what was approved');
    await expect(fs.stat(path.join(root, 'real-b', 'x.txt'))).rejects.toThrow();
  });
});
