/**
 * Key auto-repeat reaches the global-shortcut callback on X11 and Windows: holding the hotkey calls it
 * again after the keyboard's repeat delay and then at the repeat rate (electron/electron#39718 and
 * #20567: "globalShortcut repeatedly called while holding shortcut on windows, but not macos").
 * Where a key-up source exists the HoldTracker knows the key is still down; without one, time is all
 * we have: a press that comes within REPEAT_WINDOW_MS of the previous callback is a repeat. The window
 * is chained (every callback, repeat or not, restarts it), so a key held for minutes never fires again.
 *
 * Why 1100 ms: the first repeat arrives after the initial delay, the longest of the usual settings —
 * X11's default `xset r rate 660 25` (660 ms, then every 40 ms), Windows' keyboard delay setting 0–3
 * (≈250, 500 default, 750, 1000 ms, then 2.5–30 Hz, so ≤ 400 ms apart) — is Windows' slowest, 1 s;
 * 10 % on top covers timer and scheduling jitter. Later repeats are at most 400 ms apart. The cost: a
 * second deliberate press sooner than 1.1 s after the previous one is taken for a repeat, so a toggle
 * turn shorter than that needs one more press; presses 1.2 s apart are two presses.
 */
export const REPEAT_WINDOW_MS = 1100;

export class RepeatFilter {
  private last: number | null = null;
  private readonly windowMs: number;

  constructor(windowMs: number = REPEAT_WINDOW_MS) {
    this.windowMs = windowMs;
  }

  /** Call on every callback with the current time; true when this one is auto-repeat. */
  isRepeat(now: number): boolean {
    const repeat = this.last !== null && now - this.last < this.windowMs;
    this.last = now;
    return repeat;
  }

  reset(): void {
    this.last = null;
  }
}
