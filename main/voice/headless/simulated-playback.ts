/**
 * A PlaybackPort for the headless CLI and tests: plays nothing, but renders on a simulated timeline at
 * real-time pace (or instantly when `realtime` is false), reports rendered samples like the renderer
 * player does, and keeps what was "heard" for the output WAV.
 */
import type { PlaybackReport } from '../../../preload/contract.ts';
import type { PlaybackPort } from '../ports.ts';
import type { Clock } from '../../base/clock.ts';
import { concatPcm, SAMPLES_PER_MS } from '../audio/pcm.ts';

interface Item {
  id: string;
  chunks: Int16Array[];
  received: number;
  /** Epoch ms at which its first sample renders. */
  startAt: number;
  ended: boolean;
  stoppedAt: number | null;
  realtime: boolean;
  timer: { cancel(): void } | null;
}

export interface SimulatedPlayback extends PlaybackPort {
  /** Make the next items render at real-time pace (true) or instantly (false). */
  setRealtime(realtime: boolean): void;
  /** Audio heard so far: all items in order, cut where a stop happened. */
  heardAudio(): Int16Array;
  /** Called when an item's first sample renders (epoch ms). */
  onFirstSample(listener: (itemId: string, at: number) => void): void;
}

export function createSimulatedPlayback(clock: Clock, report: (r: PlaybackReport) => void, realtime: boolean): SimulatedPlayback {
  const items: Item[] = [];
  let rt = realtime;
  let timelineEnd = 0;
  const firstSampleListeners: ((itemId: string, at: number) => void)[] = [];

  const endAt = (i: Item): number => i.startAt + (i.realtime ? i.received / SAMPLES_PER_MS : 0);
  const renderedAt = (i: Item, now: number): number => {
    if (!i.realtime) return i.received;
    return Math.max(0, Math.min(i.received, Math.floor((now - i.startAt) * SAMPLES_PER_MS)));
  };
  const find = (id: string): Item | undefined => items.find((i) => i.id === id);

  return {
    setRealtime(v) {
      rt = v;
    },
    onFirstSample(listener) {
      firstSampleListeners.push(listener);
    },
    write(itemId, pcm) {
      let item = find(itemId);
      if (!item) {
        const now = clock.epochMs();
        item = { id: itemId, chunks: [], received: 0, startAt: Math.max(now, timelineEnd), ended: false, stoppedAt: null, realtime: rt, timer: null };
        items.push(item);
        const it = item;
        const fire = (): void => {
          report({ itemId, renderedSamples: 0, firstSampleAt: it.startAt });
          for (const l of firstSampleListeners) l(itemId, it.startAt);
        };
        const wait = item.startAt - now;
        if (wait <= 0) queueMicrotask(fire);
        else clock.setTimeout(fire, wait);
      }
      if (item.stoppedAt != null) return;
      item.chunks.push(pcm);
      item.received += pcm.length;
      timelineEnd = Math.max(timelineEnd, endAt(item));
    },
    endOfItem(itemId) {
      const item = find(itemId);
      if (!item || item.stoppedAt != null) return;
      item.ended = true;
      const it = item;
      const finish = (): void => {
        if (it.stoppedAt == null) report({ itemId, renderedSamples: it.received });
      };
      const wait = endAt(item) - clock.epochMs();
      if (wait <= 0) queueMicrotask(finish);
      else item.timer = clock.setTimeout(finish, wait);
    },
    async stop() {
      const now = clock.epochMs();
      let answer: PlaybackReport | null = null;
      for (const item of items) {
        if (item.stoppedAt != null) continue;
        const rendered = renderedAt(item, now);
        const playingNow = item.startAt <= now && rendered < item.received;
        const notStarted = item.startAt > now;
        if (!playingNow && !notStarted && item.ended) continue; // finished before the stop
        item.stoppedAt = now;
        item.timer?.cancel();
        const heard = notStarted ? 0 : rendered;
        item.received = heard;
        item.chunks = [concatPcm(item.chunks).subarray(0, heard)];
        if (answer == null && (playingNow || notStarted || !item.ended)) {
          answer = { itemId: item.id, renderedSamples: heard, ...(notStarted ? {} : { firstSampleAt: item.startAt }) };
        }
      }
      timelineEnd = now;
      return answer;
    },
    heardAudio() {
      return concatPcm(items.flatMap((i) => i.chunks));
    },
  };
}
