/** Faults scripted per path: a slow first byte, injected failures, a stream cut mid-body. */
import type { Failure } from './types.ts';

interface PathFaults {
  slowFirstByteMs: number[];
  failures: Failure[];
  dropAfterChunks: number[];
}

export class Faults {
  private byPath = new Map<string, PathFaults>();

  private of(path: string): PathFaults {
    let f = this.byPath.get(path);
    if (!f) {
      f = { slowFirstByteMs: [], failures: [], dropAfterChunks: [] };
      this.byPath.set(path, f);
    }
    return f;
  }

  slowFirstByte(path: string, ms: number): void {
    this.of(path).slowFirstByteMs.push(Math.max(0, ms));
  }

  failNext(path: string, failure: Failure): void {
    this.of(path).failures.push({ ...failure, count: Math.max(1, failure.count ?? 1) });
  }

  dropMidStream(path: string, afterChunks: number): void {
    this.of(path).dropAfterChunks.push(Math.max(0, afterChunks));
  }

  /** The delay for this request (consumed). */
  takeSlowFirstByte(path: string): number {
    return this.of(path).slowFirstByteMs.shift() ?? 0;
  }

  /** The failure for this request, if one is scripted (its count goes down by one). */
  takeFailure(path: string): Failure | null {
    const list = this.of(path).failures;
    const head = list[0];
    if (!head) return null;
    head.count = (head.count ?? 1) - 1;
    if (head.count <= 0) list.shift();
    return head;
  }

  /** After how many body chunks the next streamed response is cut, or null (consumed). */
  takeDrop(path: string): number | null {
    return this.of(path).dropAfterChunks.shift() ?? null;
  }

  reset(): void {
    this.byPath.clear();
  }
}
