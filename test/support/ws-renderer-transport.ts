/**
 * The e2e tier's renderer-side transport (runs in Chromium). It is bundled into an init script that
 * installs `window.earshot` from the same createBridge the preload uses.
 */
import type { StreamChunk } from '../../preload/contract.ts';
import { decodeChunk, encodeChunk } from '../../preload/stream-codec.ts';
import type { RendererTransport } from '../../preload/transport.ts';

export class WsRendererTransport implements RendererTransport {
  private readonly socket: WebSocket;
  private readonly open: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly subscribers = new Map<string, Set<(payload: unknown) => void>>();
  private readonly chunkListeners = new Set<(chunk: StreamChunk) => void>();

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.binaryType = 'arraybuffer';
    this.open = new Promise((resolve, reject) => {
      this.socket.addEventListener('open', () => {
        this.socket.send(JSON.stringify({ t: 'hello', url: location.href }));
        resolve();
      });
      this.socket.addEventListener('error', () => reject(new Error(`test transport could not connect to ${url}`)));
    });
    this.socket.addEventListener('message', (event: MessageEvent) => {
      if (event.data instanceof ArrayBuffer) {
        const chunk = decodeChunk(new Uint8Array(event.data));
        for (const listener of this.chunkListeners) listener(chunk);
        return;
      }
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as { t: string; id?: number; result?: unknown; channel?: string; payload?: unknown };
      if (message.t === 'res' && typeof message.id === 'number') {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      } else if (message.t === 'evt' && typeof message.channel === 'string') {
        for (const listener of this.subscribers.get(message.channel) ?? []) listener(message.payload);
      }
    });
  }

  async invoke(channel: string, payload: unknown): Promise<unknown> {
    await this.open;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ t: 'req', id, channel, payload }));
    });
  }

  subscribe(channel: string, listener: (payload: unknown) => void): () => void {
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  sendChunk(chunk: StreamChunk): void {
    const bytes = encodeChunk(chunk);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes);
    else void this.open.then(() => this.socket.send(bytes));
  }

  onChunk(listener: (chunk: StreamChunk) => void): () => void {
    this.chunkListeners.add(listener);
    return () => this.chunkListeners.delete(listener);
  }
}
