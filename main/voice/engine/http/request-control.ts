/**
 * Control of one HTTP request inside a response: it is aborted when the response is (barge-in,
 * close), and by its own watchdog when its body stops flowing. The SDK's `timeout` covers only the
 * time to the response headers (fetchWithTimeout in openai/client.js), so a stream that goes quiet
 * after its headers would otherwise hang the turn for ever.
 */
import type { Clock } from '../../../base/clock.ts';
import { StreamStalledError } from './http-errors.ts';

export interface RequestControl {
  signal: AbortSignal;
  /** Call when the response headers are in and on every chunk received: the body is alive. */
  alive(): void;
  /** Stop the watchdog and unlink from the parent (always call, in finally). */
  done(): void;
  /** The error to report when the request failed: the stall, when the watchdog fired. */
  reason(err: unknown): unknown;
  /**
   * Call when a body ended: throws the stall if the watchdog cut it. The SDK ends a stream quietly
   * when its request is aborted (Stream's iterator returns on an abort, openai/core/streaming.js), so
   * a stream cut for going quiet would otherwise pass for a whole — perhaps empty — answer.
   */
  throwIfStalled(): void;
}

export function requestControl(parent: AbortSignal, clock: Clock, idleMs: number): RequestControl {
  const ctl = new AbortController();
  const onParent = (): void => ctl.abort(parent.reason);
  if (parent.aborted) ctl.abort(parent.reason);
  else parent.addEventListener('abort', onParent, { once: true });
  let timer: { cancel(): void } | null = null;
  const arm = (): void => {
    timer?.cancel();
    timer = clock.setTimeout(() => ctl.abort(new StreamStalledError(`no data for ${idleMs} ms`)), idleMs);
  };
  const stall = (): StreamStalledError | null => {
    const r: unknown = ctl.signal.reason;
    return r instanceof StreamStalledError && !parent.aborted ? r : null;
  };
  // Armed only once the headers are in (the first alive()): until then the SDK's own timeout and
  // retries are in charge, and a retry-after wait is not a stall.
  return {
    signal: ctl.signal,
    alive: arm,
    done: () => {
      timer?.cancel();
      timer = null;
      parent.removeEventListener('abort', onParent);
    },
    reason: (err) => stall() ?? err,
    throwIfStalled: () => {
      const s = stall();
      if (s) throw s;
    },
  };
}
