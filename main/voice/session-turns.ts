/**
 * The session's turn ledger: the turns in flight and how each ends (completed, interrupted, failed,
 * dropped), the record of finished turns, the conversation's cost and the per-turn metrics, the
 * responses in flight (the active one, the ones a barge-in cancelled), and the text history a renewed
 * session replays.
 */
import { randomUUID } from 'node:crypto';
import type { Notice, TurnMetrics } from '../../preload/contract.ts';
import type { SessionEvents } from './ports.ts';
import type { HistoryEntry, ResponseSummary, VoiceEngine } from './engine/engine.ts';
import type { ShownImage } from './session-api.ts';
import type { TranscriptAssembler } from './transcripts.ts';
import { userLineForModel } from './transcripts.ts';
import type { ActiveTurn, TurnRecord } from './turn.ts';
import { ImageCostTracker } from './image-costs.ts';
import { PRICES_READ_ON } from './cost/price-table.ts';
import { addUsage } from './cost/usage.ts';
import { latencyOf } from './turn.ts';

export interface TurnLedgerDeps {
  events: Pick<SessionEvents, 'notice' | 'turnMetrics' | 'turnEnded' | 'imageCost'>;
  engine(): VoiceEngine;
  transcripts: TranscriptAssembler;
  /** The player's view of a turn's audio items. */
  playback: {
    playing(turn: ActiveTurn): boolean;
    forget(turn: ActiveTurn): void;
    abandon(turn: ActiveTurn, which: 'all'): void;
  };
  conversationId(): string;
  epochMs(): number;
  changed(): void;
}

export class TurnLedger {
  #d: TurnLedgerDeps;
  #turns: ActiveTurn[] = [];
  #log: TurnRecord[] = [];
  /** Given to the engine by reference (setHistory): finished turns are appended to this same array. */
  #history: HistoryEntry[] = [];
  #sessionCost = 0;
  #costUnknownWarned = false;
  #activeResponseId: string | null = null;
  #cancelled = new Set<string>();
  #imageCosts = new ImageCostTracker();

  constructor(deps: TurnLedgerDeps) {
    this.#d = deps;
  }

  // ---------- turns in flight ----------

  add(turn: ActiveTurn): void {
    this.#turns.push(turn);
  }

  some(test: (t: ActiveTurn) => boolean): boolean {
    return this.#turns.some(test);
  }

  find(test: (t: ActiveTurn) => boolean): ActiveTurn | undefined {
    return this.#turns.find(test);
  }

  /** The newest turn that passes `test`. */
  findLast(test: (t: ActiveTurn) => boolean): ActiveTurn | undefined {
    return this.#turns.findLast(test);
  }

  byId(id: string): ActiveTurn | undefined {
    return this.#turns.find((t) => t.id === id);
  }

  byResponse(responseId: string): ActiveTurn | undefined {
    return this.#turns.find((t) => t.responseIds.has(responseId));
  }

  /** The turn a tool call of `responseId` belongs to: that response's turn, else the newest unfinished one. */
  forTool(responseId: string): ActiveTurn | undefined {
    return this.byResponse(responseId) ?? this.findLast((t) => !t.finished);
  }

  // ---------- responses in flight ----------

  get activeResponseId(): string | null {
    return this.#activeResponseId;
  }

  responseStarted(responseId: string): void {
    this.#activeResponseId = responseId;
  }

  /** A barge-in cancelled this response: its remaining audio and text are ignored. */
  cancel(responseId: string): void {
    this.#cancelled.add(responseId);
  }

  isCancelled(responseId: string): boolean {
    return this.#cancelled.has(responseId);
  }

  /**
   * response.done: prices the response into its turn and returns that turn (if any). Turns still
   * waiting on another open response are closed and finished when they can be.
   */
  responseDone(summary: ResponseSummary): ActiveTurn | undefined {
    if (this.#activeResponseId === summary.responseId) this.#activeResponseId = null;
    this.#cancelled.delete(summary.responseId);
    const t = this.byResponse(summary.responseId);
    for (const cost of this.#imageCosts.responseDone(summary.usage, summary.model)) this.#d.events.imageCost?.(cost);
    // A conversation has one response at a time: once one is done, no other can still be open. A
    // stray or replayed response.created must not keep a turn "thinking" for ever (found by fuzzing).
    const stale = this.#turns.filter((x) => x !== t && x.openResponses.size > 0);
    for (const x of this.#turns) x.openResponses.clear();
    if (!this.#d.engine().responseActive()) this.#activeResponseId = null;
    for (const x of stale) {
      x.finalResponseDone = true;
      this.maybeFinish(x);
    }
    if (!t) return undefined;
    t.usage = addUsage(t.usage, summary.usage);
    t.pricesReadOn = summary.cost.pricesReadOn;
    if (summary.cost.usd == null) t.costUnknown = true;
    else t.costUsd += summary.cost.usd;
    // An estimated cost is still money spent: it is added like any other (and the ledger counts it).
    if (summary.cost.estimated) t.costEstimated = true;
    t.model = summary.model;
    return t;
  }

  /** A picture went to the model in `turnId`: it is priced when the response that read it is done. */
  noteImage(shown: ShownImage, turnId: string): void {
    this.#imageCosts.shown({
      conversationId: this.#d.conversationId(),
      turnId,
      label: shown.label,
      width: shown.width,
      height: shown.height,
      detail: shown.image.detail,
      estimatedTokens: shown.estimatedTokens,
      at: this.#d.epochMs(),
    });
  }

  // ---------- how turns end ----------

  /** A turn that never reached the model (too short, or cancelled): recorded, with no metrics. */
  drop(id: string, outcome: 'too-short' | 'cancelled'): void {
    const t = this.byId(id);
    if (!t || t.finished) return;
    t.finished = true;
    this.#turns = this.#turns.filter((x) => x !== t);
    const record = this.#record(t, outcome, null, t.model ?? this.#d.engine().describeModel());
    this.#log.push(record);
    this.#d.events.turnEnded?.(record);
  }

  /** Drops every unfinished turn that `test` picks (all of them without one) as cancelled. */
  cancelUnfinished(test: (t: ActiveTurn) => boolean = () => true): void {
    for (const t of this.#turns) if (!t.finished && test(t)) this.drop(t.id, 'cancelled');
  }

  fail(t: ActiveTurn, reason: string): void {
    t.failed = reason;
    t.openResponses.clear();
    t.pendingTools = 0;
    t.finalResponseDone = true;
    this.#d.playback.abandon(t, 'all');
    this.maybeFinish(t);
  }

  failUnfinished(reason: string): void {
    for (const t of this.#turns) if (!t.finished) this.fail(t, reason);
  }

  /** Ends the turn once nothing of it is pending: records it, prices it, tells the window. */
  maybeFinish(t: ActiveTurn): void {
    if (t.finished) return;
    const { events, playback } = this.#d;
    const playing = playback.playing(t);
    const ready = t.failed != null || (!t.awaitingStopReport && t.openResponses.size === 0 && t.pendingTools === 0 && (t.finalResponseDone || t.aborted) && !playing);
    if (!ready) return;
    t.finished = true;
    this.#turns = this.#turns.filter((x) => x !== t);
    playback.forget(t);
    const engine = this.#d.engine();
    const model = t.model ?? engine.describeModel();
    const costUsd = t.costUnknown ? null : t.costUsd;
    if (costUsd != null) this.#sessionCost += costUsd;
    else if (!this.#costUnknownWarned) {
      this.#costUnknownWarned = true;
      const notice: Notice = {
        level: 'warning',
        message: `Cost unknown: no price for ${model} in the price table (read ${t.pricesReadOn ?? PRICES_READ_ON}).`,
        subject: 'cost',
      };
      events.notice(notice);
    }
    const outcome = t.failed ? 'failed' : t.aborted ? 'interrupted' : 'completed';
    const record = this.#record(t, outcome, costUsd, model);
    this.#log.push(record);
    // The text history a renewed session replays: what was said and what was heard.
    if (!t.failed) {
      if (record.userText || record.userPicture) this.#history.push({ role: 'user', text: userLineForModel(record.userText, record.userPicture) });
      if (record.assistantText) this.#history.push({ role: 'assistant', text: record.assistantText });
      engine.setHistory(this.#history);
    }
    const metrics: TurnMetrics = {
      conversationId: this.#d.conversationId(),
      turnId: t.id,
      model,
      engine: engine.kind,
      latency: record.latency,
      usage: t.usage,
      costUsd: costUsd ?? 0,
      sessionCostUsd: this.#sessionCost,
      ...(costUsd == null ? { costUnknown: true } : {}),
      costEstimated: t.costEstimated,
    };
    events.turnMetrics(metrics);
    events.turnEnded?.(record);
    this.#d.changed();
  }

  #record(t: ActiveTurn, outcome: TurnRecord['outcome'], costUsd: number | null, model: string): TurnRecord {
    const { transcripts } = this.#d;
    return {
      turnId: t.id,
      conversationId: this.#d.conversationId(),
      startedAtEpochMs: t.startedAtEpochMs,
      input: t.input,
      userItemId: t.userItemId,
      userText: t.userItemId ? transcripts.text(t.userItemId) : '',
      userPicture: t.userItemId ? transcripts.picture(t.userItemId) : null,
      assistantItemIds: t.assistantItemIds.slice(),
      assistantText: t.assistantItemIds.map((id) => transcripts.text(id)).filter(Boolean).join(' '),
      toolCalls: t.toolCalls.slice(),
      truncatedAtMs: t.truncatedAtMs,
      usage: t.usage,
      costUsd,
      costEstimated: t.costEstimated,
      engine: this.#d.engine().kind,
      model,
      latency: latencyOf(t),
      outcome,
      error: t.failed,
    };
  }

  // ---------- the conversation so far ----------

  /** The finished turns. User transcription can complete after the turn ended: the latest text is read. */
  turnLog(): TurnRecord[] {
    const { transcripts } = this.#d;
    return this.#log.map((r) => ({ ...r, userText: r.userItemId ? transcripts.text(r.userItemId) || r.userText : r.userText }));
  }

  sessionCostUsd(): number {
    return this.#sessionCost;
  }

  /** The text history (the array the engine holds, not a copy). */
  get history(): HistoryEntry[] {
    return this.#history;
  }

  /** A new (or resumed) conversation starts with `history` as its text; the engine gets it too. */
  reset(history: HistoryEntry[]): void {
    this.#history = history.slice();
    this.#d.engine().setHistory(this.#history);
    this.#imageCosts.reset();
    this.#log = [];
    this.#sessionCost = 0;
  }
}

/** A client-chosen id for a typed item, so its bubble is placed before the server answers (≤ 32 characters). */
export function textItemId(): string {
  return `msg_es${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
