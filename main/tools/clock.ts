/** The wall clock the tool layer uses unless the host passes its own (tests pass a fake one). */
import type { Clock } from '../voice/ports.ts';

export const realClock: Clock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};
