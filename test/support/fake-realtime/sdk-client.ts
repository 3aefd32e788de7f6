/**
 * The official SDK client (`openai/realtime/ws`) connected to a fake server, with what it
 * received recorded — for tests that check the fake against the real client.
 */
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { OpenAIRealtimeError } from 'openai/realtime/internal-base';
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { FakeRealtime } from './types.ts';

export interface ReceivedServerEvent {
  at: number;
  event: RealtimeServerEvent;
}

export interface SdkClient {
  rt: OpenAIRealtimeWS;
  events: ReceivedServerEvent[];
  errors: OpenAIRealtimeError[];
  opened: Promise<void>;
  /** Close code and reason as the client saw them (1006 when the socket dropped without a close frame). */
  closed: Promise<{ code: number; reason: string }>;
  /** First received event of a type (already received or still to come) that passes predicate. */
  next<T extends RealtimeServerEvent['type']>(
    type: T,
    predicate?: (e: Extract<RealtimeServerEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<RealtimeServerEvent, { type: T }>>;
}

export function connectSdkClient(fake: FakeRealtime, opts: { apiKey?: string; model?: string } = {}): SdkClient {
  const client = new OpenAI({ apiKey: opts.apiKey ?? 'sk-test-good', baseURL: fake.baseURL });
  const rt = new OpenAIRealtimeWS({ model: opts.model ?? 'gpt-realtime', options: { ca: fake.ca } }, client);
  const events: ReceivedServerEvent[] = [];
  const errors: OpenAIRealtimeError[] = [];
  const listeners = new Set<() => void>();
  rt.on('event', (event) => {
    events.push({ at: performance.now(), event });
    for (const l of [...listeners]) l();
  });
  rt.on('error', (err) => {
    errors.push(err);
  });
  const opened = new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    rt.socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  const next: SdkClient['next'] = (type, predicate, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      type E = Extract<RealtimeServerEvent, { type: typeof type }>;
      const find = (): E | undefined =>
        events.map((r) => r.event).find((e): e is E => e.type === type && (!predicate || predicate(e as E)));
      const hit = find();
      if (hit) return resolve(hit);
      const check = (): void => {
        const found = find();
        if (found) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`sdk client: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      listeners.add(check);
    });
  return { rt, events, errors, opened, closed, next };
}
