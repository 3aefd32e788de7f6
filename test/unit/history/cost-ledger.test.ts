import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice, TurnMetrics } from '../../../preload/contract.ts';
import { CostLedger } from '../../../main/history/cost-ledger.ts';

/** New York: UTC−5 in winter. Local midnight of 2025-01-31 → 2025-02-01 is 05:00 UTC. */
const TZ = 'America/New_York';
const BEFORE_MIDNIGHT = Date.UTC(2025, 1, 1, 4, 59, 0); // 2025-01-31 23:59 local
const AFTER_MIDNIGHT = Date.UTC(2025, 1, 1, 5, 1, 0); // 2025-02-01 00:01 local

let dir: string;
let now: number;
let budget: number | null;
let notices: Notice[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-ledger-'));
  now = Date.UTC(2025, 0, 15, 15, 0, 0);
  budget = 1;
  notices = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () =>
  CostLedger.open({
    file: join(dir, 'cost-ledger.jsonl'),
    clock: { epochMs: () => now },
    dailyBudgetUsd: () => budget,
    notice: (n) => notices.push(n),
    timeZone: TZ,
  });

function turn(costUsd: number, conversationId = 'conv-1', model = 'gpt-realtime', costEstimated = false): TurnMetrics {
  return {
    conversationId,
    turnId: `turn-${costUsd}-${now}`,
    model,
    latency: { keyUpToCommitMs: null, commitToFirstAudioMs: null, firstAudioToFirstSampleMs: null, totalMs: null },
    usage: { inputTextTokens: 0, inputAudioTokens: 0, cachedTextTokens: 0, cachedAudioTokens: 0, outputTextTokens: 0, outputAudioTokens: 0 },
    costUsd,
    sessionCostUsd: costUsd,
    costEstimated,
  };
}

describe('CostLedger budget', () => {
  it('warns once at 80 %, stops new turns at 100 %, and lets them start again when the budget is raised', async () => {
    const ledger = await open();
    await ledger.record(turn(0.5));
    expect(notices).toEqual([]);
    expect(ledger.canStartTurn()).toEqual({ ok: true });

    await ledger.record(turn(0.32)); // 0.82 → 82 %
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe('warning');
    expect(notices[0]?.message).toBe('You have spent $0.8200 today, 82 % of your $1.00 daily budget.');

    await ledger.record(turn(0.05)); // 87 %: no second warning
    expect(notices).toHaveLength(1);
    expect(ledger.canStartTurn()).toEqual({ ok: true });

    await ledger.record(turn(0.2)); // 1.07
    expect(notices).toHaveLength(2);
    expect(notices[1]?.level).toBe('error');
    const blocked = ledger.canStartTurn();
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) {
      expect(blocked.message).toContain('$1.07 spent today of your $1.00 budget');
      expect(blocked.message).toContain('raise the daily budget in Settings');
    }
    await ledger.record(turn(0.01)); // a turn already under way finishes: no repeated notice
    expect(notices).toHaveLength(2);

    budget = 2;
    expect(ledger.canStartTurn()).toEqual({ ok: true });
    expect(ledger.summary()).toEqual({ todayUsd: expect.closeTo(1.08, 10), monthUsd: expect.closeTo(1.08, 10), dailyBudgetUsd: 2 });
    await ledger.record(turn(0.6)); // 1.68 = 84 % of the new budget: warned once for it
    expect(notices).toHaveLength(3);
    expect(notices[2]?.message).toContain('of your $2.00 daily budget');

    budget = null;
    expect(ledger.canStartTurn()).toEqual({ ok: true });
    expect(ledger.summary().dailyBudgetUsd).toBeNull();
  });

  it('warns only once per day even across a restart, because the warning is persisted', async () => {
    const first = await open();
    await first.record(turn(0.9));
    expect(notices).toHaveLength(1);
    const second = await open();
    expect(second.todayUsd()).toBeCloseTo(0.9, 10);
    await second.record(turn(0.01));
    expect(notices).toHaveLength(1);
  });

  it('counts an estimated cost (a turn cut off before its usage came) toward the budget: it is money spent', async () => {
    const ledger = await open();
    await ledger.record(turn(0.7));
    await ledger.record(turn(0.35, 'conv-1', 'gpt-4o-mini-transcribe → gpt-4.1-mini → gpt-4o-mini-tts', true));
    expect(ledger.summary().todayUsd).toBeCloseTo(1.05, 10);
    expect(ledger.canStartTurn().ok).toBe(false);
  });

  it('goes straight to the limit notice when one turn crosses 80 % and 100 %', async () => {
    const ledger = await open();
    await ledger.record(turn(1.5));
    expect(notices.map((n) => n.level)).toEqual(['error']);
    expect(ledger.canStartTurn().ok).toBe(false);
  });
});

describe('CostLedger days in local time', () => {
  it('starts a new day at local midnight: the budget stop lifts and "today" resets, the month adds up', async () => {
    now = BEFORE_MIDNIGHT;
    const ledger = await open();
    await ledger.record(turn(1.2, 'late'));
    expect(ledger.canStartTurn().ok).toBe(false);
    expect(ledger.summary()).toEqual({ todayUsd: 1.2, monthUsd: 1.2, dailyBudgetUsd: 1 });

    now = AFTER_MIDNIGHT; // 2 minutes later, a new local day and a new month
    expect(ledger.canStartTurn()).toEqual({ ok: true });
    await ledger.record(turn(0.1, 'early'));
    expect(ledger.summary()).toEqual({ todayUsd: 0.1, monthUsd: 0.1, dailyBudgetUsd: 1 });
    expect(ledger.byDay()).toEqual([
      { day: '2025-01-31', usd: 1.2 },
      { day: '2025-02-01', usd: 0.1 },
    ]);
    // In UTC both turns fall on 2025-02-01: the local zone is what counts.
    const utc = await CostLedger.open({ file: join(dir, 'cost-ledger.jsonl'), clock: { epochMs: () => now }, dailyBudgetUsd: () => null, timeZone: 'UTC' });
    expect(utc.todayUsd()).toBeCloseTo(1.3, 10);
  });

  it('adds up month to date, per conversation and per model, and survives a torn last line', async () => {
    now = Date.UTC(2025, 0, 3, 15, 0, 0);
    let ledger = await open();
    await ledger.record(turn(0.3, 'a', 'gpt-realtime'));
    now = Date.UTC(2025, 0, 20, 15, 0, 0);
    await ledger.record(turn(0.1, 'b', 'gpt-realtime-mini'));
    await ledger.record(turn(0.2, 'b', 'gpt-realtime'));
    appendFileSync(join(dir, 'cost-ledger.jsonl'), '{"type":"turn","at":17');

    ledger = await open();
    expect(ledger.skippedLines).toBe(1);
    expect(ledger.summary()).toEqual({ todayUsd: expect.closeTo(0.3, 10), monthUsd: expect.closeTo(0.6, 10), dailyBudgetUsd: 1 });
    expect(ledger.conversationUsd('b')).toBeCloseTo(0.3, 10);
    expect(ledger.byModel('month')).toEqual({ 'gpt-realtime': expect.closeTo(0.5, 10), 'gpt-realtime-mini': expect.closeTo(0.1, 10) });
    expect(ledger.byModel('today')).toEqual({ 'gpt-realtime': expect.closeTo(0.2, 10), 'gpt-realtime-mini': expect.closeTo(0.1, 10) });

    await ledger.record(turn(0.05, 'c'));
    const reread = await open();
    expect(reread.skippedLines).toBe(1);
    expect(reread.turns()).toHaveLength(4);
    expect(readFileSync(join(dir, 'cost-ledger.jsonl'), 'utf8').endsWith('\n')).toBe(true);
  });
});
