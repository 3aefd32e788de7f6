/**
 * The main-side half of the contract: registers one validated handler per request, validates every
 * event before it leaves, and routes binary streams. Works over any MainTransport (Electron IPC in
 * the app, a local WebSocket in the e2e tier). No Electron imports.
 */
import {
  eventChannel,
  events,
  requestChannel,
  requestNames,
  requests,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestOutput,
  type StreamChunk,
} from '../../preload/contract.ts';
import type { MainTransport, SenderInfo } from '../../preload/transport.ts';
import type { z } from 'zod';

export type Handlers = {
  [K in RequestName]: (
    input: z.output<(typeof requests)[K]['input']>,
    sender: SenderInfo,
  ) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

export interface ContractServerOptions {
  /** Decides whether a frame may talk to us at all; the Electron transport checks our own origin. */
  isTrustedSender: (sender: SenderInfo) => boolean;
  /** Where handler failures are reported (never with payloads that may hold secrets). */
  onHandlerError?: (name: RequestName, error: unknown) => void;
}

export interface ContractServer {
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  sendPlayback(itemId: string, pcm: ArrayBuffer): void;
  onCapture(listener: (turnId: string, pcm: ArrayBuffer) => void): () => void;
}

export function serveContract(transport: MainTransport, handlers: Handlers, options: ContractServerOptions): ContractServer {
  for (const name of requestNames) {
    const schema = requests[name];
    const handler = handlers[name] as (input: unknown, sender: SenderInfo) => unknown;
    transport.handle(requestChannel(name), async (payload, sender) => {
      if (!options.isTrustedSender(sender)) return { ok: false, error: 'request refused: untrusted sender' };
      const parsed = schema.input.safeParse(payload);
      if (!parsed.success) {
        return { ok: false, error: `${name}: invalid request (${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')})` };
      }
      try {
        const value = await handler(parsed.data, sender);
        return { ok: true, value: schema.output.parse(value) };
      } catch (error) {
        options.onHandlerError?.(name, error);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  const captureListeners = new Set<(turnId: string, pcm: ArrayBuffer) => void>();
  transport.onChunk((chunk: StreamChunk, sender) => {
    if (!options.isTrustedSender(sender) || chunk.stream !== 'capture') return;
    if (chunk.data.byteLength % 2 !== 0) return;
    for (const listener of captureListeners) listener(chunk.tag, chunk.data);
  });

  return {
    emit(name, payload) {
      transport.emit(eventChannel(name), events[name].parse(payload));
    },
    sendPlayback(itemId, pcm) {
      transport.sendChunk({ stream: 'playback', tag: itemId, data: pcm });
    },
    onCapture(listener) {
      captureListeners.add(listener);
      return () => captureListeners.delete(listener);
    },
  };
}
