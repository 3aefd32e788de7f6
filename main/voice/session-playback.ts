/**
 * What the player is doing with each assistant audio item: samples received from the engine, samples
 * the renderer reports it has rendered, and when the item is done (played to its end, or cut off).
 * After a barge-in it says how much of each item was heard, the length the truncate carries
 * (DESIGN §2 "Barge-in": the *played* length, clamped to what was received).
 */
import type { PlaybackReport } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import type { PlaybackPort } from './ports.ts';
import type { ActiveTurn } from './turn.ts';
import { SAMPLES_PER_MS } from './audio/pcm.ts';

/** One assistant output item on its way through the player. */
export interface PlayItem {
  itemId: string;
  turn: ActiveTurn;
  received: number;
  rendered: number;
  ended: boolean;
  done: boolean;
  firstAt: number;
  estimate: { cancel(): void } | null;
}

/** How much of one item the user heard when it was cut off. */
export interface HeardPart {
  itemId: string;
  turn: ActiveTurn;
  /** 0: nothing was heard (the item is deleted rather than truncated). */
  heardMs: number;
  /** The share of the item's text to keep (0..1). */
  heardFraction: number;
}

export interface PlaybackTrackerDeps {
  clock: Clock;
  player: PlaybackPort;
  /** An item played to its end: its turn may be complete now. */
  itemFinished(turn: ActiveTurn): void;
  /** Something the derived state depends on changed. */
  changed(): void;
}

/** Without a report from the player, an item counts as played this long after its audio would have ended. */
const ESTIMATE_SLACK_MS = 1500;

export class PlaybackTracker {
  #items = new Map<string, PlayItem>();
  #d: PlaybackTrackerDeps;

  constructor(deps: PlaybackTrackerDeps) {
    this.#d = deps;
  }

  /** Audio of `turn`'s answer arrived: it goes to the player and counts as received. */
  audio(turn: ActiveTurn, itemId: string, pcm: Int16Array): void {
    const { clock, player } = this.#d;
    let item = this.#items.get(itemId);
    if (!item) {
      item = { itemId, turn, received: 0, rendered: 0, ended: false, done: false, firstAt: clock.now(), estimate: null };
      this.#items.set(itemId, item);
      if (!turn.assistantItemIds.includes(itemId)) turn.assistantItemIds.push(itemId);
    }
    if (item.done) return;
    if (turn.firstAudioAt == null) {
      turn.firstAudioAt = clock.now();
      turn.firstAudioEpoch = clock.epochMs();
    }
    item.received += pcm.length;
    player.write(itemId, pcm);
    this.#d.changed();
  }

  /** The player says how far it got with an item. */
  report(report: PlaybackReport): void {
    const item = this.#items.get(report.itemId);
    if (!item) return;
    item.rendered = Math.max(item.rendered, report.renderedSamples);
    if (report.firstSampleAt != null && item.turn.firstSampleAt == null) item.turn.firstSampleAt = report.firstSampleAt;
    if (item.ended && !item.done && item.rendered >= item.received) this.#finish(item, true);
    this.#d.changed();
  }

  /** The engine sent the last audio of an item. */
  audioDone(itemId: string): void {
    const item = this.#items.get(itemId);
    if (!item || item.done) return;
    this.#end(item);
    this.#d.changed();
  }

  /**
   * No audio follows response.done: an item of `turn` the server never closed with output_audio.done
   * (a stray or lost event) ends here, or the app would stay "speaking" for ever.
   */
  endTurnAudio(turn: ActiveTurn): void {
    for (const item of this.#items.values()) if (item.turn === turn && !item.ended && !item.done) this.#end(item);
  }

  /**
   * Stop counting `turn`'s items as playing, without finishing the turn: 'all' of them (the turn
   * failed), or only those whose audio had not ended yet (the connection dropped mid-reply).
   */
  abandon(turn: ActiveTurn, which: 'all' | 'unended'): void {
    for (const item of this.#items.values()) {
      if (item.turn === turn && (which === 'all' ? !item.done : !item.ended)) this.#finish(item, false);
    }
  }

  /** Barge-in: everything still playing counts as done now (not naturally); returns those items. */
  stopAll(): PlayItem[] {
    const playing = [...this.#items.values()].filter((i) => !i.done);
    for (const item of playing) this.#finish(item, false);
    return playing;
  }

  /**
   * How much of each stopped item was heard, from the player's answer to the stop (null when it
   * failed: the last count it reported stands). The reported item is included even if it had already
   * finished. Records the first sample's time on its turn if that report is the first to carry it.
   */
  heard(report: PlaybackReport | null, stopped: PlayItem[]): HeardPart[] {
    const reported = report ? this.#items.get(report.itemId) : undefined;
    const targets = reported && !stopped.includes(reported) ? [...stopped, reported] : stopped;
    return targets.map((item) => {
      const fromReport = report != null && report.itemId === item.itemId;
      const rendered = fromReport ? report.renderedSamples : item.rendered;
      if (fromReport && report.firstSampleAt != null && item.turn.firstSampleAt == null) {
        item.turn.firstSampleAt = report.firstSampleAt;
      }
      // audio_end_ms must not exceed the audio generated for that item (DESIGN §3).
      const heardMs = Math.min(Math.floor(rendered / SAMPLES_PER_MS), Math.floor(item.received / SAMPLES_PER_MS));
      const heardFraction = heardMs > 0 && item.received > 0 ? rendered / item.received : 0;
      return { itemId: item.itemId, turn: item.turn, heardMs, heardFraction };
    });
  }

  /** Anything still playing (or waiting for the player to reach its end)? */
  busy(): boolean {
    return [...this.#items.values()].some((i) => !i.done);
  }

  playing(turn: ActiveTurn): boolean {
    return [...this.#items.values()].some((i) => i.turn === turn && !i.done);
  }

  has(itemId: string): boolean {
    return this.#items.has(itemId);
  }

  /** An item of an interrupted turn, already stopped: its later transcript events are ignored. */
  wasCut(itemId: string): boolean {
    const item = this.#items.get(itemId);
    return item != null && item.done && item.turn.aborted;
  }

  /** The turn ended: forget its items. */
  forget(turn: ActiveTurn): void {
    for (const [id, item] of this.#items) if (item.turn === turn) this.#items.delete(id);
  }

  /** A new conversation. */
  clear(): void {
    this.#items.clear();
  }

  dispose(): void {
    for (const item of this.#items.values()) item.estimate?.cancel();
  }

  #end(item: PlayItem): void {
    item.ended = true;
    this.#d.player.endOfItem(item.itemId);
    if (item.rendered >= item.received) this.#finish(item, true);
    else this.#estimateEnd(item);
  }

  #finish(item: PlayItem, naturally: boolean): void {
    if (item.done) return;
    item.done = true;
    item.estimate?.cancel();
    if (naturally) this.#d.itemFinished(item.turn);
  }

  #estimateEnd(item: PlayItem): void {
    // Without a report from the player, assume real-time playback from the first delta, plus slack.
    const { clock } = this.#d;
    const endsAt = item.firstAt + item.received / SAMPLES_PER_MS + ESTIMATE_SLACK_MS;
    item.estimate?.cancel();
    item.estimate = clock.setTimeout(
      () => {
        this.#finish(item, true);
        this.#d.changed();
      },
      Math.max(0, endsAt - clock.now()),
    );
  }
}
