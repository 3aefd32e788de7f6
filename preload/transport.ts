/**
 * What a bridge needs from the wire. The Electron transport (ipcRenderer + a MessagePort for audio)
 * and the test transport (a local WebSocket) both implement it, so the renderer cannot tell them apart.
 */
import type { StreamChunk } from './contract.ts';

export interface RendererTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** The listener receives the payload only, never a transport event object. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
  sendChunk(chunk: StreamChunk): void;
  onChunk(listener: (chunk: StreamChunk) => void): () => void;
  /** Called once by the bridge after it subscribed to every event: the page is now listening. */
  listening?(): void;
}

/** Who sent a request, as the main side of a transport sees it. */
export interface SenderInfo {
  /** URL of the frame that sent it. */
  url: string;
  /** True when the sender is the top frame of one of our windows. */
  isMainFrame: boolean;
}

export interface MainTransport {
  handle(channel: string, handler: (payload: unknown, sender: SenderInfo) => Promise<unknown>): void;
  emit(channel: string, payload: unknown): void;
  sendChunk(chunk: StreamChunk): void;
  onChunk(listener: (chunk: StreamChunk, sender: SenderInfo) => void): void;
}
