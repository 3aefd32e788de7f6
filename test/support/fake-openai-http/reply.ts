/**
 * Writing answers: JSON bodies, errors in the service's shape, and streamed bodies (SSE or raw
 * chunks) with pacing and the mid-stream cut fault. Every JSON body and every SSE event the fake
 * sends is checked against the SDK-derived response schema first; a failure is recorded as a
 * response-side schema error (a bug in the fake) and still sent, so the test sees both.
 */
import type { ServerResponse } from 'node:http';
import type { HttpError } from './errors.ts';
import type { Recorder } from './recorder.ts';
import { responseIssues } from './schema.ts';
import type { ResponseKind } from './schema.ts';
import type { HttpRecord } from './types.ts';

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export class Reply {
  private readonly res: ServerResponse;
  private readonly record: HttpRecord;
  private readonly recorder: Recorder;
  /** Cut the streamed body after this many chunks (the dropMidStream fault), or null. */
  private readonly dropAfter: number | null;
  private chunks = 0;
  /** Resolves when the last written chunk has been handed to the socket. */
  private flushed: Promise<void> = Promise.resolve();

  constructor(res: ServerResponse, record: HttpRecord, recorder: Recorder, dropAfter: number | null) {
    this.res = res;
    this.record = record;
    this.recorder = recorder;
    this.dropAfter = dropAfter;
  }

  /** The client went away (or the fake cut the stream): stop producing. */
  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  check(kind: ResponseKind, body: unknown): void {
    const issues = responseIssues(kind, body);
    if (issues.length > 0) this.recorder.schemaErrors.push({ side: 'response', path: this.record.path, body, errors: issues });
  }

  json(status: number, body: unknown, kind: ResponseKind | null, headers: Record<string, string> = {}): void {
    if (kind) this.check(kind, body);
    const text = JSON.stringify(body);
    this.head(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    this.res.end(text);
  }

  text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
    this.head(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
    this.res.end(body);
  }

  error(e: HttpError): void {
    this.json(e.status, { error: e.body }, 'error', e.headers);
  }

  /** Starts a chunked body (no content-length: Node sends transfer-encoding: chunked). */
  startStream(contentType: string, headers: Record<string, string> = {}): void {
    this.head(200, { 'content-type': contentType, 'cache-control': 'no-cache', ...headers });
    this.res.flushHeaders();
  }

  /** One body chunk. Returns false when the stream is over (client gone, or the fault cut it). */
  async write(chunk: string | Buffer): Promise<boolean> {
    if (this.closed) return false;
    if (this.dropAfter !== null && this.chunks >= this.dropAfter) {
      // A network cut mid-body: what was written reaches the client, then the TCP socket goes
      // away without the terminating chunk.
      await this.flushed;
      this.res.socket?.destroy();
      this.res.destroy();
      return false;
    }
    this.chunks += 1;
    let accepted = true;
    this.flushed = new Promise<void>((resolve) => {
      accepted = this.res.write(chunk, () => resolve());
    });
    // Back-pressure: wait for drain (or the end of the connection) before producing more.
    if (!accepted && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.once('drain', done);
        this.res.once('close', done);
      });
    }
    return !this.closed;
  }

  /** One SSE event `data: <json>\n\n`, checked against the schema of `kind` first. */
  sse(kind: ResponseKind, event: unknown): Promise<boolean> {
    this.check(kind, event);
    return this.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** The end of a chat completions stream. */
  done(): Promise<boolean> {
    return this.write('data: [DONE]\n\n');
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  private head(status: number, headers: Record<string, string>): void {
    this.record.status = status;
    this.res.writeHead(status, { 'x-request-id': `req_${Math.random().toString(16).slice(2, 14)}`, 'openai-version': '2020-10-01', ...headers });
  }
}
