/**
 * What the assistant has cost: per turn, per conversation, per day (the user's local days) and per
 * model, kept in a JSON Lines file under user data so the figures survive restarts and history
 * retention. Enforces the daily budget: a warning at 80 % (once per day and budget), and no new
 * turns at 100 % until the user raises the budget or the day ends.
 */
import { z } from 'zod';
import type { Notice, TurnMetrics } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import { JsonLinesAppender, readJsonLines } from './jsonl.ts';
import { localDay, localMonth } from './local-time.ts';
import { usd } from './money.ts';

const TurnCostSchema = z.object({
  type: z.literal('turn'),
  at: z.number(),
  conversationId: z.string(),
  turnId: z.string(),
  model: z.string(),
  costUsd: z.number().nonnegative(),
});
const BudgetMarkSchema = z.object({
  type: z.literal('budget'),
  at: z.number(),
  day: z.string(),
  budgetUsd: z.number(),
  level: z.enum(['warning', 'limit']),
});
const LedgerRecordSchema = z.discriminatedUnion('type', [TurnCostSchema, BudgetMarkSchema]);
export type TurnCost = z.infer<typeof TurnCostSchema>;
type BudgetMark = z.infer<typeof BudgetMarkSchema>;
type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

export const BUDGET_WARNING_FRACTION = 0.8;

export interface CostLedgerOptions {
  /** The ledger file (e.g. <userData>/cost-ledger.jsonl). */
  file: string;
  clock: Pick<Clock, 'epochMs'>;
  /** The daily budget setting, read on every check so a raise applies at once. Null = no budget. */
  dailyBudgetUsd: () => number | null;
  notice?: (notice: Notice) => void;
  /** IANA time zone for "today"; the system's when absent. */
  timeZone?: string;
}

export interface CostSummary {
  todayUsd: number;
  monthUsd: number;
  dailyBudgetUsd: number | null;
}

export type TurnPermission = { ok: true } | { ok: false; message: string };

const RAISE_HINT = 'raise the daily budget in Settings (or clear it)';

export class CostLedger {
  readonly #options: CostLedgerOptions;
  readonly #appender: JsonLinesAppender;
  readonly #turns: TurnCost[] = [];
  readonly #marks: BudgetMark[] = [];
  #skippedLines = 0;
  #writeFailed = false;

  private constructor(options: CostLedgerOptions) {
    this.#options = options;
    this.#appender = new JsonLinesAppender(options.file);
  }

  /** Reads the ledger file (a torn or damaged line is skipped). */
  static async open(options: CostLedgerOptions): Promise<CostLedger> {
    const ledger = new CostLedger(options);
    const read = await readJsonLines(options.file, LedgerRecordSchema);
    if (read) {
      ledger.#skippedLines = read.skipped;
      for (const record of read.records) ledger.#remember(record);
    }
    return ledger;
  }

  get skippedLines(): number {
    return this.#skippedLines;
  }

  /** Adds a finished turn and warns when the day's spend crosses 80 % or 100 % of the budget. */
  async record(metrics: TurnMetrics): Promise<void> {
    const record: TurnCost = {
      type: 'turn',
      at: this.#options.clock.epochMs(),
      conversationId: metrics.conversationId,
      turnId: metrics.turnId,
      model: metrics.model,
      costUsd: metrics.costUsd,
    };
    this.#remember(record);
    try {
      await this.#appender.append(record);
    } catch (error) {
      // Fire-and-forget callers must never see this reject (a full disk would take the app down): the
      // record is counted in memory and kept by the appender, which writes it with the next one.
      if (!this.#writeFailed) {
        this.#writeFailed = true;
        this.#options.notice?.({
          level: 'warning',
          subject: 'cost',
          message: `The cost ledger could not be saved (${error instanceof Error ? error.message : String(error)}); today's spending is kept in memory and saved with the next turn.`,
          action: 'Free some disk space or check that the folder is writable.',
        });
      }
    }
    if (this.#appender.pending === 0) this.#writeFailed = false;
    await this.#checkBudget().catch(() => undefined);
  }

  canStartTurn(): TurnPermission {
    const budget = this.#budget();
    if (budget === null) return { ok: true };
    const today = this.todayUsd();
    if (today < budget) return { ok: true };
    return {
      ok: false,
      message:
        `Daily budget reached: ${usd(today)} spent today of your ${usd(budget)} budget. ` +
        `New turns are paused until midnight; to continue now, ${RAISE_HINT}.`,
    };
  }

  summary(): CostSummary {
    return { todayUsd: this.todayUsd(), monthUsd: this.monthUsd(), dailyBudgetUsd: this.#budget() };
  }

  todayUsd(): number {
    return this.dayUsd(localDay(this.#options.clock.epochMs(), this.#options.timeZone));
  }

  /** Month to date, in local time. */
  monthUsd(): number {
    const month = localMonth(this.#options.clock.epochMs(), this.#options.timeZone);
    return this.#sum((turn) => localMonth(turn.at, this.#options.timeZone) === month);
  }

  /** `day` as "YYYY-MM-DD" in local time. */
  dayUsd(day: string): number {
    return this.#sum((turn) => localDay(turn.at, this.#options.timeZone) === day);
  }

  conversationUsd(conversationId: string): number {
    return this.#sum((turn) => turn.conversationId === conversationId);
  }

  /** Spend per model, this month or today. */
  byModel(range: 'today' | 'month' = 'month'): Record<string, number> {
    const now = this.#options.clock.epochMs();
    const tz = this.#options.timeZone;
    const key = range === 'today' ? localDay : localMonth;
    const current = key(now, tz);
    const out: Record<string, number> = {};
    for (const turn of this.#turns) {
      if (key(turn.at, tz) === current) out[turn.model] = (out[turn.model] ?? 0) + turn.costUsd;
    }
    return out;
  }

  /** Spend per local day, oldest first. */
  byDay(): Array<{ day: string; usd: number }> {
    const totals = new Map<string, number>();
    for (const turn of this.#turns) {
      const day = localDay(turn.at, this.#options.timeZone);
      totals.set(day, (totals.get(day) ?? 0) + turn.costUsd);
    }
    return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, total]) => ({ day, usd: total }));
  }

  /** The recorded turns (oldest first). */
  turns(): readonly TurnCost[] {
    return this.#turns;
  }

  flush(): Promise<void> {
    return this.#appender.flush();
  }

  #budget(): number | null {
    const budget = this.#options.dailyBudgetUsd();
    return budget !== null && Number.isFinite(budget) && budget > 0 ? budget : null;
  }

  #sum(include: (turn: TurnCost) => boolean): number {
    let total = 0;
    for (const turn of this.#turns) if (include(turn)) total += turn.costUsd;
    return total;
  }

  #remember(record: LedgerRecord): void {
    if (record.type === 'turn') this.#turns.push(record);
    else this.#marks.push(record);
  }

  #marked(day: string, budget: number, level: BudgetMark['level']): boolean {
    return this.#marks.some((mark) => mark.day === day && mark.budgetUsd === budget && mark.level === level);
  }

  async #mark(day: string, budget: number, level: BudgetMark['level']): Promise<void> {
    const mark: BudgetMark = { type: 'budget', at: this.#options.clock.epochMs(), day, budgetUsd: budget, level };
    this.#marks.push(mark);
    await this.#appender.append(mark);
  }

  async #checkBudget(): Promise<void> {
    const budget = this.#budget();
    if (budget === null) return;
    const day = localDay(this.#options.clock.epochMs(), this.#options.timeZone);
    const today = this.dayUsd(day);
    if (today >= budget) {
      if (this.#marked(day, budget, 'limit')) return;
      if (!this.#marked(day, budget, 'warning')) await this.#mark(day, budget, 'warning');
      await this.#mark(day, budget, 'limit');
      this.#options.notice?.({
        level: 'error',
        subject: 'budget',
        button: 'open-settings',
        message: `Daily budget reached: ${usd(today)} spent today of your ${usd(budget)} budget. New turns are paused until midnight.`,
        action: `To continue now, ${RAISE_HINT}.`,
      });
    } else if (today >= budget * BUDGET_WARNING_FRACTION && !this.#marked(day, budget, 'warning')) {
      await this.#mark(day, budget, 'warning');
      this.#options.notice?.({
        level: 'warning',
        subject: 'budget',
        message: `You have spent ${usd(today)} today, ${Math.floor((today / budget) * 100)} % of your ${usd(budget)} daily budget.`,
        action: `New turns stop at ${usd(budget)}; ${RAISE_HINT} if you need more.`,
      });
    }
  }
}
