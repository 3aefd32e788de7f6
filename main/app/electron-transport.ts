/**
 * The Electron implementation of MainTransport: ipcMain.handle for requests (with the sender frame
 * passed along for validation), webContents.send for events, and one MessagePort per page for binary
 * audio, handed over when the page's preload says hello (HELLO_CHANNEL). Events emitted while no
 * page listens are held and delivered with the hello: webContents.send to a page that has not
 * subscribed yet is lost.
 */
import { ipcMain, MessageChannelMain, type IpcMainEvent, type MessagePortMain, type WebContents } from 'electron';
import { AUDIO_PORT_CHANNEL, HELLO_CHANNEL, type StreamChunk } from '../../preload/contract.ts';
import type { MainTransport, SenderInfo } from '../../preload/transport.ts';
import { EventBacklog } from '../ipc/event-backlog.ts';

interface Listening {
  contents: WebContents;
  port: MessagePortMain;
}

export class ElectronMainTransport implements MainTransport {
  private readonly listening = new Map<number, Listening>();
  private readonly watched = new WeakSet<WebContents>();
  private readonly backlog = new EventBacklog();
  private readonly chunkListeners = new Set<(chunk: StreamChunk, sender: SenderInfo) => void>();
  private readonly isTrustedSender: (sender: SenderInfo) => boolean;

  constructor(isTrustedSender: (sender: SenderInfo) => boolean) {
    this.isTrustedSender = isTrustedSender;
    ipcMain.on(HELLO_CHANNEL, (event) => this.hello(event));
  }

  handle(channel: string, handler: (payload: unknown, sender: SenderInfo) => Promise<unknown>): void {
    ipcMain.handle(channel, (event, payload: unknown) => handler(payload, senderOf(event)));
  }

  private hello(event: IpcMainEvent): void {
    const sender = senderOf(event);
    if (!sender.isMainFrame || !this.isTrustedSender(sender)) return;
    const contents = event.sender;
    this.drop(contents.id);
    const { port1, port2 } = new MessageChannelMain();
    port1.on('message', (message) => {
      const chunk = toChunk(message.data);
      if (!chunk) return;
      const from: SenderInfo = { url: contents.isDestroyed() ? '' : contents.getURL(), isMainFrame: true };
      for (const listener of this.chunkListeners) listener(chunk, from);
    });
    port1.start();
    contents.postMessage(AUDIO_PORT_CHANNEL, null, [port2]);
    this.listening.set(contents.id, { contents, port: port1 });
    this.watch(contents);
    for (const held of this.backlog.drain()) contents.send(held.channel, held.payload);
  }

  /** A page that reloads or goes away stops listening until its next hello. */
  private watch(contents: WebContents): void {
    if (this.watched.has(contents)) return;
    this.watched.add(contents);
    const id = contents.id;
    // Fired for same-document navigations too (fragment, pushState): only a main-frame navigation to
    // a new document replaces the page (docs/api/web-contents.md, event 'did-start-navigation').
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) this.drop(id);
    });
    contents.once('destroyed', () => this.drop(id));
  }

  private drop(id: number): void {
    const entry = this.listening.get(id);
    if (!entry) return;
    entry.port.close();
    this.listening.delete(id);
  }

  emit(channel: string, payload: unknown): void {
    let delivered = false;
    for (const { contents } of this.listening.values()) {
      if (contents.isDestroyed()) continue;
      contents.send(channel, payload);
      delivered = true;
    }
    if (!delivered) this.backlog.hold(channel, payload);
  }

  sendChunk(chunk: StreamChunk): void {
    // Main → renderer: the ArrayBuffer is copied (a MessagePortMain transfers only ports).
    for (const { port } of this.listening.values()) port.postMessage({ stream: chunk.stream, tag: chunk.tag, data: chunk.data });
  }

  onChunk(listener: (chunk: StreamChunk, sender: SenderInfo) => void): void {
    this.chunkListeners.add(listener);
  }
}

function senderOf(event: { senderFrame: Electron.WebFrameMain | null; sender: WebContents }): SenderInfo {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', isMainFrame: frame !== null && frame === event.sender.mainFrame };
}

/** A capture or playback chunk from the page; the PCM may arrive as an ArrayBuffer or a view. */
function toChunk(value: unknown): StreamChunk | null {
  if (typeof value !== 'object' || value === null) return null;
  const data = value as { stream?: unknown; tag?: unknown; data?: unknown };
  if ((data.stream !== 'capture' && data.stream !== 'playback') || typeof data.tag !== 'string') return null;
  const bytes = toArrayBuffer(data.data);
  return bytes ? { stream: data.stream, tag: data.tag, data: bytes } : null;
}

function toArrayBuffer(value: unknown): ArrayBuffer | null {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    const copy = new Uint8Array(value.byteLength);
    copy.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return copy.buffer;
  }
  return null;
}
