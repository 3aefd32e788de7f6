/**
 * The player's brain, free of Web Audio so it can be tested in Node: a growable ring buffer of
 * PCM16 samples tagged by output item, rendered into float quanta gap-free across chunk and item
 * boundaries. It counts the samples rendered per item (the truth for truncation), counts
 * underruns, and applies a small pre-roll only when starting from an empty buffer, where a tiny
 * first chunk would otherwise run dry at once.
 */

export type PlaybackEvent =
  /** The first sample of an item was rendered `offset` samples into this render call. */
  | { type: 'first'; itemId: string; offset: number; renderedSamples: number }
  /** The item ended and every sample received for it was rendered. */
  | { type: 'finished'; itemId: string; renderedSamples: number }
  /** The buffer ran dry while an item still expected audio. */
  | { type: 'underrun'; itemId: string; underruns: number };

export interface StopResult {
  /** The item that was playing (or waiting to play); null when nothing was. */
  itemId: string | null;
  renderedSamples: number;
}

export interface PlaybackQueueOptions {
  /** Samples to buffer before starting from empty (unless the item has ended). */
  preRollSamples: number;
  /** Longest wait for the pre-roll, in rendered samples, before playing what is there. */
  maxPrimeWaitSamples: number;
  /** Ring capacity to start with (it doubles as needed). */
  initialCapacity: number;
}

interface ItemState {
  received: number;
  rendered: number;
  /** Samples of this item still in the ring. */
  queued: number;
  ended: boolean;
}

interface Segment {
  itemId: string;
  remaining: number;
}

const MAX_REMEMBERED = 64;

/** What `render` returns on the (usual) quanta with nothing to report: no array per call. */
const NO_EVENTS: readonly PlaybackEvent[] = Object.freeze([]);

export class PlaybackQueue {
  private ring: Int16Array;
  private head = 0;
  private size = 0;
  private readonly segments: Segment[] = [];
  private readonly items = new Map<string, ItemState>();
  private readonly stopped = new Set<string>();
  private readonly options: PlaybackQueueOptions;
  private priming = true;
  private playing = false;
  private primeWait = 0;
  private lastPushed: string | null = null;
  private lastStarted: string | null = null;
  underruns = 0;

  constructor(options: PlaybackQueueOptions) {
    this.options = options;
    this.ring = new Int16Array(options.initialCapacity);
  }

  /** Samples waiting to be rendered. */
  get buffered(): number {
    return this.size;
  }

  /** True while something is buffered or an item is mid-way. */
  get active(): boolean {
    return this.size > 0 || this.playing;
  }

  renderedOf(itemId: string): number {
    return this.items.get(itemId)?.rendered ?? 0;
  }

  /** Queues samples of an item. Returns false (and drops them) for an item that was stopped. */
  push(itemId: string, pcm: Int16Array): boolean {
    if (this.stopped.has(itemId)) return false;
    if (pcm.length === 0) return true;
    const item = this.item(itemId);
    item.received += pcm.length;
    item.queued += pcm.length;
    this.write(pcm);
    const last = this.segments[this.segments.length - 1];
    if (last && last.itemId === itemId) last.remaining += pcm.length;
    else this.segments.push({ itemId, remaining: pcm.length });
    this.lastPushed = itemId;
    return true;
  }

  /** No more audio for this item: it finishes once what is queued has been rendered. */
  end(itemId: string): PlaybackEvent[] {
    if (this.stopped.has(itemId)) return [];
    const item = this.item(itemId);
    item.ended = true;
    return item.queued === 0 ? [{ type: 'finished', itemId, renderedSamples: item.rendered }] : [];
  }

  /** Fills `out` with the next samples (silence where there are none). */
  render(out: Float32Array): readonly PlaybackEvent[] {
    let events: PlaybackEvent[] | null = null;
    const n = out.length;
    let i = 0;
    if (this.size > 0 && this.priming) {
      const lastItem = this.lastPushed ? this.items.get(this.lastPushed) : undefined;
      const ready =
        this.size >= this.options.preRollSamples ||
        lastItem?.ended === true ||
        this.primeWait >= this.options.maxPrimeWaitSamples;
      if (ready) {
        this.priming = false;
        this.primeWait = 0;
      } else {
        this.primeWait += n;
      }
    }
    if (!this.priming) {
      this.playing = true;
      while (i < n && this.size > 0) {
        const seg = this.segments[0];
        if (!seg) break;
        const run = Math.min(n - i, seg.remaining, this.ring.length - this.head);
        const ring = this.ring;
        const head = this.head;
        for (let k = 0; k < run; k++) out[i + k] = (ring[head + k] ?? 0) / 32768;
        const item = this.item(seg.itemId);
        const first = item.rendered === 0;
        item.rendered += run;
        if (first) {
          (events ??= []).push({ type: 'first', itemId: seg.itemId, offset: i, renderedSamples: item.rendered });
          this.lastStarted = seg.itemId;
        }
        item.queued -= run;
        seg.remaining -= run;
        this.size -= run;
        this.head = (this.head + run) % this.ring.length;
        i += run;
        if (seg.remaining === 0) {
          this.segments.shift();
          if (item.ended && item.queued === 0) {
            (events ??= []).push({ type: 'finished', itemId: seg.itemId, renderedSamples: item.rendered });
          }
        }
      }
    }
    if (i < n) out.fill(0, i);
    if (this.size === 0 && this.playing && i < n) {
      // Ran dry inside this quantum.
      this.playing = false;
      this.priming = true;
      this.primeWait = 0;
      const waiting = this.lastPushed ? this.items.get(this.lastPushed) : undefined;
      if (this.lastPushed && waiting && !waiting.ended) {
        this.underruns++;
        (events ??= []).push({ type: 'underrun', itemId: this.lastPushed, underruns: this.underruns });
      }
      this.shrink();
    }
    return events ?? NO_EVENTS;
  }

  /**
   * Stops at once: drops everything queued, ignores further audio of the items involved, and says
   * how much of the current item was rendered.
   */
  stop(): StopResult {
    let current: string | null = this.segments[0]?.itemId ?? null;
    if (current === null && this.lastStarted) {
      const last = this.items.get(this.lastStarted);
      if (last && !(last.ended && last.queued === 0)) current = this.lastStarted;
    }
    for (const seg of this.segments) this.forget(seg.itemId);
    if (current) this.forget(current);
    if (this.lastPushed) this.forget(this.lastPushed);
    this.segments.length = 0;
    this.size = 0;
    this.head = 0;
    this.priming = true;
    this.playing = false;
    this.primeWait = 0;
    this.shrink();
    return { itemId: current, renderedSamples: current ? this.renderedOf(current) : 0 };
  }

  /** The item most recently started, for a stop that found nothing playing. */
  get lastStartedItem(): string | null {
    return this.lastStarted;
  }

  private forget(itemId: string): void {
    this.stopped.add(itemId);
    if (this.stopped.size > MAX_REMEMBERED * 4) {
      const oldest = this.stopped.values().next().value;
      if (oldest !== undefined) this.stopped.delete(oldest);
    }
  }

  private item(itemId: string): ItemState {
    let item = this.items.get(itemId);
    if (!item) {
      item = { received: 0, rendered: 0, queued: 0, ended: false };
      this.items.set(itemId, item);
      if (this.items.size > MAX_REMEMBERED) {
        for (const [id, state] of this.items) {
          if (state.queued === 0 && id !== itemId && id !== this.lastStarted) {
            this.items.delete(id);
            break;
          }
        }
      }
    }
    return item;
  }

  private write(pcm: Int16Array): void {
    if (this.size + pcm.length > this.ring.length) this.grow(this.size + pcm.length);
    const cap = this.ring.length;
    const tail = (this.head + this.size) % cap;
    const first = Math.min(pcm.length, cap - tail);
    this.ring.set(pcm.subarray(0, first), tail);
    if (first < pcm.length) this.ring.set(pcm.subarray(first), 0);
    this.size += pcm.length;
  }

  private grow(needed: number): void {
    let cap = this.ring.length;
    while (cap < needed) cap *= 2;
    const next = new Int16Array(cap);
    const first = Math.min(this.size, this.ring.length - this.head);
    next.set(this.ring.subarray(this.head, this.head + first), 0);
    if (first < this.size) next.set(this.ring.subarray(0, this.size - first), first);
    this.ring = next;
    this.head = 0;
  }

  /** Gives back memory after a long reply once the ring is empty. */
  private shrink(): void {
    if (this.size === 0 && this.ring.length > this.options.initialCapacity * 4) {
      this.ring = new Int16Array(this.options.initialCapacity);
      this.head = 0;
    }
  }
}
