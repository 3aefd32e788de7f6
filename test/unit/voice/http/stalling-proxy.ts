/**
 * A server in front of the fake OpenAI HTTP server that passes every request through, except the one
 * path told to stall: that one gets its response headers and a first piece of body, then nothing more
 * (the connection stays open). No fault of the fake does that; it is what a stream watchdog is for.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Stall {
  /** The path to stall ('/v1/chat/completions'). */
  path: string;
  contentType: string;
  /** What is sent before the body goes quiet. */
  first: string | Uint8Array;
}

export interface StallingProxy {
  /** The base URL to give the engine ("http://127.0.0.1:<port>/v1"). */
  url: string;
  /** Where requests are passed to (the fake's base URL). */
  upstream: string;
  /** What to stall next; null passes everything through. */
  stall: Stall | null;
  /** Paths that were stalled, in order. */
  stalled: string[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** One SSE event as a server writes it. */
export const sseEvent = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

export async function startStallingProxy(): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  const proxy: StallingProxy = { url: '', upstream: '', stall: null, stalled: [], close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://proxy').pathname;
        const s = proxy.stall;
        if (s && path === s.path) {
          proxy.stalled.push(path);
          res.writeHead(200, { 'content-type': s.contentType });
          res.write(s.first);
          return; // and then nothing
        }
        const up = await fetch(`${new URL(proxy.upstream).origin}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers: forwardable(req.headers),
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const headers = Object.fromEntries([...up.headers].filter(([k]) => !HOP_BY_HOP.has(k) && k !== 'content-encoding'));
        res.writeHead(up.status, headers);
        if (up.body) for await (const c of up.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
        res.end();
      })().catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
