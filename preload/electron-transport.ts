/**
 * The Electron implementation of RendererTransport: ipcRenderer for requests and events, a
 * MessagePort (handed over by main when this page says hello) for binary audio. Listeners receive
 * payloads only; the IpcRendererEvent never leaves this file.
 */
import { ipcRenderer } from 'electron';
import { AUDIO_PORT_CHANNEL, HELLO_CHANNEL, type StreamChunk, type StreamName } from './contract.ts';
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

/** Capture frames held while the port is not there yet (≈ 2 s at 20 ms a frame). */
const MAX_QUEUED_CHUNKS = 100;

export class ElectronRendererTransport implements RendererTransport {
  private port: MessagePort | null = null;
  private readonly queued: StreamChunk[] = [];
  private readonly chunkListeners = new Set<(chunk: StreamChunk) => void>();

  constructor() {
    ipcRenderer.on(AUDIO_PORT_CHANNEL, (event) => {
      const port = event.ports[0];
      if (!port) return;
      this.port?.close();
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

  /** The bridge subscribed to every event channel: ask main for the audio port and held events. */
  listening(): void {
    ipcRenderer.send(HELLO_CHANNEL);
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
    else {
      if (this.queued.length >= MAX_QUEUED_CHUNKS) this.queued.shift();
      this.queued.push(chunk);
    }
  }

  private post(chunk: StreamChunk): void {
    // No transfer list: an ArrayBuffer transferred from a renderer MessagePort to a MessagePortMain
    // arrives in main as `data === null` (electron/electron#34905). Posted plainly, it is copied.
    this.port?.postMessage({ stream: chunk.stream, tag: chunk.tag, data: chunk.data });
  }

  onChunk(listener: (chunk: StreamChunk) => void): () => void {
    this.chunkListeners.add(listener);
    return () => this.chunkListeners.delete(listener);
  }
}
