/** What the fake saw: every request (with the status it answered), schema failures, and waiting for requests. */
import type { HttpRecord, HttpSchemaError } from './types.ts';

interface Waiter {
  path: string;
  predicate: (r: HttpRecord) => boolean;
  resolve: (r: HttpRecord) => void;
}

export class Recorder {
  readonly requests: HttpRecord[] = [];
  readonly schemaErrors: HttpSchemaError[] = [];
  private waiters = new Set<Waiter>();

  add(record: HttpRecord): void {
    this.requests.push(record);
    for (const w of [...this.waiters]) {
      if (w.path === record.path && w.predicate(record)) {
        this.waiters.delete(w);
        w.resolve(record);
      }
    }
  }

  to(path: string): HttpRecord[] {
    return this.requests.filter((r) => r.path === path);
  }

  waitFor(path: string, predicate: (r: HttpRecord) => boolean = () => true, timeoutMs = 5000): Promise<HttpRecord> {
    const already = this.to(path).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        path,
        predicate,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = [...new Set(this.requests.map((r) => `${r.method} ${r.path}`))].join(', ');
        reject(new Error(`fake-openai-http: no request to ${path} within ${timeoutMs} ms (seen: ${seen || 'nothing'})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  reset(): void {
    this.requests.length = 0;
    this.schemaErrors.length = 0;
  }
}
