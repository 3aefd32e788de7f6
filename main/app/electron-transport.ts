/**
 * The Electron implementation of MainTransport: ipcMain.handle for requests (with the sender frame
 * passed along for validation), webContents.send for events, and one MessagePort per window for
 * binary audio.
 */
import { ipcMain, MessageChannelMain, type BrowserWindow, type MessagePortMain } from 'electron';
import { AUDIO_PORT_CHANNEL, type StreamChunk } from '../../preload/contract.ts';
import type { MainTransport, SenderInfo } from '../../preload/transport.ts';

interface Attached {
  window: BrowserWindow;
  port: MessagePortMain;
}

export class ElectronMainTransport implements MainTransport {
  private readonly attached = new Set<Attached>();
  private readonly chunkListeners = new Set<(chunk: StreamChunk, sender: SenderInfo) => void>();

  handle(channel: string, handler: (payload: unknown, sender: SenderInfo) => Promise<unknown>): void {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const frame = event.senderFrame;
      const sender: SenderInfo = { url: frame?.url ?? '', isMainFrame: frame !== null && frame === event.sender.mainFrame };
      return handler(payload, sender);
    });
  }

  /** Give a window its audio port; call after every load of the page. */
  attach(window: BrowserWindow): void {
    const { port1, port2 } = new MessageChannelMain();
    const entry: Attached = { window, port: port1 };
    const senderUrl = (): SenderInfo => ({ url: window.webContents.getURL(), isMainFrame: true });
    port1.on('message', (message) => {
      const data = message.data as { stream?: unknown; tag?: unknown; data?: unknown } | null;
      if (!data || (data.stream !== 'capture' && data.stream !== 'playback') || typeof data.tag !== 'string') return;
      const bytes = toArrayBuffer(data.data);
      if (!bytes) return;
      const chunk: StreamChunk = { stream: data.stream, tag: data.tag, data: bytes };
      for (const listener of this.chunkListeners) listener(chunk, senderUrl());
    });
    port1.start();
    window.webContents.postMessage(AUDIO_PORT_CHANNEL, null, [port2]);
    this.attached.add(entry);
    const detach = (): void => {
      port1.close();
      this.attached.delete(entry);
    };
    window.webContents.once('did-start-navigation', detach);
    window.once('closed', detach);
  }

  emit(channel: string, payload: unknown): void {
    for (const { window } of this.attached) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }
  }

  sendChunk(chunk: StreamChunk): void {
    for (const { port } of this.attached) port.postMessage({ stream: chunk.stream, tag: chunk.tag, data: chunk.data });
  }

  onChunk(listener: (chunk: StreamChunk, sender: SenderInfo) => void): void {
    this.chunkListeners.add(listener);
  }
}

/** Structured clone into the main process may hand us an ArrayBuffer or a view (Buffer); copy views. */
function toArrayBuffer(value: unknown): ArrayBuffer | null {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    const copy = new Uint8Array(value.byteLength);
    copy.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return copy.buffer;
  }
  return null;
}
