/**
 * The Electron implementation of RendererTransport: ipcRenderer for requests and events, a
 * MessagePort (handed over by main once per window) for binary audio. Listeners receive payloads
 * only; the IpcRendererEvent never leaves this file.
 */
import { ipcRenderer } from 'electron';
import { AUDIO_PORT_CHANNEL, type StreamChunk, type StreamName } from './contract.ts';
import type { RendererTransport } from './transport.ts';

interface PortMessage {
  stream: StreamName;
  tag: string;
  data: ArrayBuffer;
}

function isPortMessage(value: unknown): value is PortMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<PortMessage>;
  return (v.stream === 'capture' || v.stream === 'playback') && typeof v.tag === 'string' && v.data instanceof ArrayBuffer;
}

export class ElectronRendererTransport implements RendererTransport {
  private port: MessagePort | null = null;
  private readonly queued: StreamChunk[] = [];
  private readonly chunkListeners = new Set<(chunk: StreamChunk) => void>();

  constructor() {
    ipcRenderer.on(AUDIO_PORT_CHANNEL, (event) => {
      const port = event.ports[0];
      if (!port) return;
      this.port = port;
      port.onmessage = (message: MessageEvent) => {
        if (!isPortMessage(message.data)) return;
        const chunk: StreamChunk = { stream: message.data.stream, tag: message.data.tag, data: message.data.data };
        for (const listener of this.chunkListeners) listener(chunk);
      };
      port.start();
      for (const chunk of this.queued.splice(0)) this.post(chunk);
    });
  }

  invoke(channel: string, payload: unknown): Promise<unknown> {
    return ipcRenderer.invoke(channel, payload);
  }

  subscribe(channel: string, listener: (payload: unknown) => void): () => void {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  }

  sendChunk(chunk: StreamChunk): void {
    if (this.port) this.post(chunk);
    else this.queued.push(chunk);
  }

  private post(chunk: StreamChunk): void {
    this.port?.postMessage({ stream: chunk.stream, tag: chunk.tag, data: chunk.data }, [chunk.data]);
  }

  onChunk(listener: (chunk: StreamChunk) => void): () => void {
    this.chunkListeners.add(listener);
    return () => this.chunkListeners.delete(listener);
  }
}
