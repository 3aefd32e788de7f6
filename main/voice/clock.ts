import type { Clock } from './ports.ts';

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
