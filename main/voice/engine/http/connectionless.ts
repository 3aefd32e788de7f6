/**
 * The connection an HTTP engine reports, though HTTP has none: `open` once the engine is first used
 * (asynchronously, like a socket that opens: the session has finished its own step by then), open
 * until an account error (invalid key, no quota) makes it fail, and the next explicit use tries again
 * (the key may have been fixed).
 */
import type { EngineListener } from '../engine.ts';

export class Connectionless {
  readonly #listener: EngineListener;
  #announced = false;
  #fatal = false;
  #closed = false;

  constructor(listener: EngineListener) {
    this.#listener = listener;
  }

  ensure(): void {
    if (this.#closed) return;
    this.#fatal = false;
    if (this.#announced) return;
    this.#announced = true;
    queueMicrotask(() => {
      if (!this.#closed && !this.#fatal) this.#listener.connection('open', {});
    });
  }

  isOpen(): boolean {
    return !this.#closed && !this.#fatal;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** An account error: the engine stops until the next use. */
  fail(reason: string): void {
    this.#fatal = true;
    this.#announced = false;
    this.#listener.connection('failed', { reason });
  }

  /** Idle between turns: reported as closed (if it was reported open), and opened again on the next use. */
  idle(): void {
    if (!this.#announced) return;
    this.#announced = false;
    this.#listener.connection('closed', { reason: 'idle' });
  }

  close(): void {
    this.#closed = true;
  }
}
