/**
 * A renderer/main transport pair joined in memory, for unit tests of the contract: the same
 * bridge and contract server as the app, with no sockets in between.
 */
import type { StreamChunk } from '../../preload/contract.ts';
import type { MainTransport, RendererTransport, SenderInfo } from '../../preload/transport.ts';

export function memoryTransportPair(sender: SenderInfo): { renderer: RendererTransport; main: MainTransport } {
  const handlers = new Map<string, (payload: unknown, sender: SenderInfo) => Promise<unknown>>();
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  const rendererChunkListeners = new Set<(chunk: StreamChunk) => void>();
  const mainChunkListeners = new Set<(chunk: StreamChunk, sender: SenderInfo) => void>();
  // Payloads cross a process boundary in the app: clone them so neither side shares objects.
  const clone = <T>(value: T): T => structuredClone(value);

  const renderer: RendererTransport = {
    async invoke(channel, payload) {
      const handler = handlers.get(channel);
      // Electron's words when nothing handles the channel (lib/renderer/api/ipc-renderer.ts +
      // lib/browser/ipc-main-impl.ts): the page gets this, not an answer.
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return clone(await handler(clone(payload), sender));
    },
    subscribe(channel, listener) {
      let set = subscribers.get(channel);
      if (!set) subscribers.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    sendChunk(chunk) {
      for (const listener of mainChunkListeners) listener({ ...chunk, data: chunk.data.slice(0) }, sender);
    },
    onChunk(listener) {
      rendererChunkListeners.add(listener);
      return () => rendererChunkListeners.delete(listener);
    },
  };
  const main: MainTransport = {
    handle(channel, handler) {
      handlers.set(channel, handler);
    },
    emit(channel, payload) {
      // Like webContents.send: a channel nobody listens to yet loses the event.
      for (const listener of subscribers.get(channel) ?? []) listener(clone(payload));
    },
    sendChunk(chunk) {
      for (const listener of rendererChunkListeners) listener({ ...chunk, data: chunk.data.slice(0) });
    },
    onChunk(listener) {
      mainChunkListeners.add(listener);
    },
  };
  return { renderer, main };
}
