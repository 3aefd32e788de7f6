/**
 * The e2e tier's main-side transport: the same contract server as the app, but over a WebSocket on
 * 127.0.0.1 so the built renderer in real Chromium can talk to the real main core running in Node.
 * Text frames carry requests, replies and events as JSON; binary frames carry audio chunks.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { StreamChunk } from '../../preload/contract.ts';
import { decodeChunk, encodeChunk } from '../../preload/stream-codec.ts';
import type { MainTransport, SenderInfo } from '../../preload/transport.ts';

type Handler = (payload: unknown, sender: SenderInfo) => Promise<unknown>;

export class WsMainTransport implements MainTransport {
  private readonly handlers = new Map<string, Handler>();
  private readonly chunkListeners = new Set<(chunk: StreamChunk, sender: SenderInfo) => void>();
  private readonly clients = new Map<WebSocket, SenderInfo>();
  private server: WebSocketServer | null = null;

  /** Serve on its own port, or on an existing HTTP server (same origin as the pages it serves). */
  async listen(options: { server?: Server; path?: string } = {}): Promise<string> {
    const path = options.path ?? '/earshot-test-transport';
    if (options.server) {
      const server = new WebSocketServer({ server: options.server, path });
      this.server = server;
      server.on('connection', (socket) => this.accept(socket));
      const address = options.server.address();
      if (typeof address === 'string' || address === null) throw new Error('the HTTP server is not listening');
      return `ws://127.0.0.1:${address.port}${path}`;
    }
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (socket) => this.accept(socket));
    const address = server.address();
    if (typeof address === 'string' || address === null) throw new Error('unexpected server address');
    return `ws://127.0.0.1:${address.port}${path}`;
  }

  private accept(socket: WebSocket): void {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = toBytes(data);
      if (isBinary) {
        const sender = this.clients.get(socket);
        if (!sender) return;
        let chunk: StreamChunk;
        try {
          chunk = decodeChunk(bytes);
        } catch {
          return;
        }
        for (const listener of this.chunkListeners) listener(chunk, sender);
        return;
      }
      let message: { t?: unknown; id?: unknown; channel?: unknown; payload?: unknown; url?: unknown };
      try {
        message = JSON.parse(new TextDecoder().decode(bytes)) as typeof message;
      } catch {
        return;
      }
      if (message.t === 'hello' && typeof message.url === 'string') {
        this.clients.set(socket, { url: message.url, isMainFrame: true });
        return;
      }
      if (message.t !== 'req' || typeof message.id !== 'number' || typeof message.channel !== 'string') return;
      const sender = this.clients.get(socket) ?? { url: '', isMainFrame: false };
      const handler = this.handlers.get(message.channel);
      const reply = handler
        ? handler(message.payload, sender)
        : Promise.resolve({ ok: false, error: `no handler for ${message.channel}` });
      void reply.then((result) => socket.send(JSON.stringify({ t: 'res', id: message.id, result })));
    });
    socket.on('close', () => this.clients.delete(socket));
  }

  handle(channel: string, handler: Handler): void {
    this.handlers.set(channel, handler);
  }

  emit(channel: string, payload: unknown): void {
    const text = JSON.stringify({ t: 'evt', channel, payload });
    for (const socket of this.clients.keys()) socket.send(text);
  }

  sendChunk(chunk: StreamChunk): void {
    const bytes = encodeChunk(chunk);
    for (const socket of this.clients.keys()) socket.send(bytes, { binary: true });
  }

  onChunk(listener: (chunk: StreamChunk, sender: SenderInfo) => void): void {
    this.chunkListeners.add(listener);
  }

  connectedClients(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    for (const socket of this.clients.keys()) socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
