/** Time for every layer: monotonic milliseconds, wall-clock epoch milliseconds, cancellable timers. Imports nothing of ours. */

/** Monotonic milliseconds (performance.now-like) and wall-clock epoch milliseconds. */
export interface Clock {
  now(): number;
  epochMs(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
