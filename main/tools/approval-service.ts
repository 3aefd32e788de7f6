/**
 * The approval flow the app uses: builds an ApprovalRequest for each action that needs a yes,
 * emits it (the app shows it in the transcript window or a notification), takes the user's answer
 * by id, times out (default 60 s), and remembers "always allow" per tool for this run.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalDecision, ApprovalRequest } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import type { ApprovalAnswer, ApprovalDraft, ApprovalOutcome, ApprovalPort } from './ports.ts';
import { systemClock as realClock } from '../base/clock.ts';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 60_000;

export interface ApprovalServiceOptions {
  timeoutMs?: number;
  clock?: Clock;
  newId?: () => string;
}

export interface ApprovalSettled {
  id: string;
  tool: string;
  decision: ApprovalOutcome;
}

interface Pending {
  request: ApprovalRequest;
  finish: (decision: ApprovalOutcome, reason?: string) => void;
}

export class ApprovalService implements ApprovalPort {
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly waiting = new Map<string, Pending>();
  private readonly always = new Set<string>();
  private readonly requestListeners = new Set<(request: ApprovalRequest) => void>();
  private readonly settledListeners = new Set<(settled: ApprovalSettled) => void>();

  constructor(options: ApprovalServiceOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    this.clock = options.clock ?? realClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** A new request to show the user. Returns an unsubscribe function. */
  onRequest(listener: (request: ApprovalRequest) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** A request was answered, timed out or cancelled (the app hides the prompt). */
  onSettled(listener: (settled: ApprovalSettled) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  request(draft: ApprovalDraft, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (this.always.has(draft.tool)) return Promise.resolve({ decision: 'always' });
    if (signal?.aborted) return Promise.resolve({ decision: 'deny', reason: 'the call was cancelled' });
    const request: ApprovalRequest = {
      id: this.newId(),
      tool: draft.tool,
      summary: draft.summary,
      ...(draft.path !== undefined ? { path: draft.path } : {}),
      ...(draft.preview !== undefined ? { preview: draft.preview } : {}),
      expiresAt: this.clock.epochMs() + this.timeoutMs,
    };
    return new Promise<ApprovalAnswer>((resolve) => {
      const timer: { current?: { cancel(): void } } = {};
      const finish = (decision: ApprovalOutcome, reason?: string): void => {
        if (!this.waiting.delete(request.id)) return;
        timer.current?.cancel();
        signal?.removeEventListener('abort', onAbort);
        if (decision === 'always') this.always.add(request.tool);
        this.emit(this.settledListeners, { id: request.id, tool: request.tool, decision });
        resolve(reason === undefined ? { decision } : { decision, reason });
      };
      const onAbort = (): void => finish('deny', 'the call was cancelled');
      this.waiting.set(request.id, { request, finish });
      signal?.addEventListener('abort', onAbort, { once: true });
      timer.current = this.clock.setTimeout(() => finish('timeout'), this.timeoutMs);
      this.emit(this.requestListeners, request);
    });
  }

  /** The user's answer. False when the id is unknown or already settled (late or double click). */
  answer(id: string, decision: ApprovalDecision): boolean {
    const pending = this.waiting.get(id);
    if (!pending) return false;
    pending.finish(decision);
    return true;
  }

  /** Requests still waiting for an answer (the window shows them again after a reload). */
  pending(): ApprovalRequest[] {
    return [...this.waiting.values()].map((p) => p.request);
  }

  isAlwaysAllowed(tool: string): boolean {
    return this.always.has(tool);
  }

  /** Forget "always allow" for one tool, or for all. */
  forgetAlways(tool?: string): void {
    if (tool === undefined) this.always.clear();
    else this.always.delete(tool);
  }

  /** Deny everything still waiting (on quit or a new conversation). */
  cancelAll(): void {
    for (const pending of [...this.waiting.values()]) pending.finish('deny', 'the request was withdrawn');
  }

  private emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch {
        // A listener's failure must not block the approval flow.
      }
    }
  }
}
