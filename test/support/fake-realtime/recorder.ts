/** What the fake saw and did: received/sent events, schema failures, and waiting for events. */
import type { EventRecord, HandshakeRecord, RealtimeEventJson, SchemaErrorRecord } from './types.ts';

interface Waiter {
  type: string;
  predicate: (e: RealtimeEventJson) => boolean;
  resolve: (e: RealtimeEventJson) => void;
}

function withoutAudio(event: RealtimeEventJson): RealtimeEventJson {
  const field = event.type === 'input_audio_buffer.append' ? 'audio' : event.type === 'response.output_audio.delta' ? 'delta' : null;
  const value = field ? event[field] : undefined;
  if (!field || typeof value !== 'string') return event;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return { ...event, [field]: `<${Math.floor((value.length * 3) / 4) - padding} bytes>` };
}

export class Recorder {
  readonly received: EventRecord[] = [];
  readonly sent: EventRecord[] = [];
  readonly schemaErrors: SchemaErrorRecord[] = [];
  readonly handshakes: HandshakeRecord[] = [];
  connections = 0;
  private waiters = new Set<Waiter>();
  /** false: audio payloads are recorded as their size only. */
  recordAudioPayloads = true;

  record(direction: 'received' | 'sent', connection: number, event: RealtimeEventJson): void {
    const rec: EventRecord = { at: performance.now(), connection, event: this.recordAudioPayloads ? event : withoutAudio(event) };
    (direction === 'received' ? this.received : this.sent).push(rec);
    for (const w of [...this.waiters]) {
      if (w.type === event.type && w.predicate(event)) {
        this.waiters.delete(w);
        w.resolve(event);
      }
    }
  }

  events(type: string): RealtimeEventJson[] {
    return [...this.received, ...this.sent]
      .filter((r) => r.event.type === type)
      .sort((a, b) => a.at - b.at)
      .map((r) => r.event);
  }

  waitFor(
    type: string,
    predicate: (e: RealtimeEventJson) => boolean = () => true,
    timeoutMs = 5000,
    onlyNew = false,
  ): Promise<RealtimeEventJson> {
    const already = onlyNew ? undefined : this.events(type).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = [...new Set([...this.received, ...this.sent].map((r) => r.event.type))].join(', ');
        reject(new Error(`fake-realtime: no '${type}' event within ${timeoutMs} ms (seen: ${seen || 'nothing'})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  reset(): void {
    this.received.length = 0;
    this.sent.length = 0;
    this.schemaErrors.length = 0;
    this.handshakes.length = 0;
    this.connections = 0;
  }
}
