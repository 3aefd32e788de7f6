/**
 * Builds the renderer-facing API from the contract over any RendererTransport. The preload exposes
 * exactly this object with contextBridge; the e2e tier builds the same object over a WebSocket.
 */
import {
  ContractError,
  eventChannel,
  eventNames,
  events,
  requestChannel,
  requestNames,
  requests,
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from './contract.ts';
import type { RendererTransport } from './transport.ts';

export type BridgeRequests = { [K in RequestName]: (input: RequestInput<K>) => Promise<RequestOutput<K>> };
export type BridgeEvents = { [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void };

export interface BridgeAudio {
  /** Send one captured PCM16 frame of the given turn. The buffer is copied or transferred. */
  sendCapture(turnId: string, pcm: ArrayBuffer): void;
  /** Assistant audio for one output item, PCM16 24 kHz mono. */
  onPlayback(listener: (itemId: string, pcm: ArrayBuffer) => void): () => void;
}

export interface EarshotBridge {
  request: BridgeRequests;
  on: BridgeEvents;
  audio: BridgeAudio;
}

interface WireResult {
  ok: boolean;
  value?: unknown;
  error?: string;
}

function isWireResult(value: unknown): value is WireResult {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** Events of one kind held before the page subscribes (a start-up burst is a handful). */
const HELD_EVENTS_PER_NAME = 50;

export function createBridge(transport: RendererTransport): EarshotBridge {
  const request = {} as Record<RequestName, (input: unknown) => Promise<unknown>>;
  for (const name of requestNames) {
    const schema = requests[name];
    request[name] = async (input: unknown) => {
      const parsed = schema.input.safeParse(input ?? {});
      if (!parsed.success) throw new ContractError(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      const result = await transport.invoke(requestChannel(name), parsed.data);
      if (!isWireResult(result)) throw new ContractError(`${name}: malformed reply`);
      if (!result.ok) throw new ContractError(result.error ?? `${name} failed`);
      return schema.output.parse(result.value);
    };
  }

  // Every event channel is subscribed here, once, before the page has run a line: what arrives
  // before the page's own code subscribes (a React app subscribes after its first render) is held
  // and handed to the first listener of that event, so nothing main sends at start-up is lost.
  const on = {} as Record<EventName, (listener: (payload: unknown) => void) => () => void>;
  for (const name of eventNames) {
    const schema = events[name];
    const listeners = new Set<(payload: unknown) => void>();
    let held: unknown[] | null = [];
    transport.subscribe(eventChannel(name), (payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return;
      if (held) {
        if (held.length >= HELD_EVENTS_PER_NAME) held.shift();
        held.push(parsed.data);
        return;
      }
      for (const listener of listeners) listener(parsed.data);
    });
    on[name] = (listener) => {
      listeners.add(listener);
      const replay = held;
      held = null;
      if (replay?.length) {
        // Replayed after the caller's subscribe() returned, before any later IPC message (a macrotask).
        queueMicrotask(() => {
          for (const payload of replay) if (listeners.has(listener)) listener(payload);
        });
      }
      return () => {
        listeners.delete(listener);
      };
    };
  }

  const audio: BridgeAudio = {
    sendCapture(turnId, pcm) {
      if (!(pcm instanceof ArrayBuffer) || pcm.byteLength % 2 !== 0) throw new ContractError('capture frames are PCM16 ArrayBuffers');
      transport.sendChunk({ stream: 'capture', tag: turnId, data: pcm });
    },
    onPlayback(listener) {
      return transport.onChunk((chunk) => {
        if (chunk.stream === 'playback') listener(chunk.tag, chunk.data);
      });
    },
  };

  transport.listening?.();
  return { request: request as unknown as BridgeRequests, on: on as unknown as BridgeEvents, audio };
}
