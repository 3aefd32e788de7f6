/**
 * Hands-free for the HTTP engines: there is no server to detect turns, so an energy detector runs on
 * the 24 kHz PCM16 as it arrives, with the user's turn-detection settings mapped onto it:
 * - server_vad: `threshold` 0…1 → a level between -60 dBFS (0) and -20 dBFS (1), -40 dBFS at the
 *   default 0.5; `prefixPaddingMs` of audio before the start is kept with the turn;
 *   `silenceDurationMs` of quiet ends it.
 * - semantic_vad has no meaning to measure here: it is treated like server_vad at the default
 *   threshold, its eagerness choosing the silence that ends a turn (low waits longest).
 * Speech starts after 60 ms above the level (a click does not start a turn); a turn shorter than
 * `minSpeechMs` once it stops is dropped as noise.
 */
import type { HandsFreeDetection } from '../../config.ts';
import { SAMPLES_PER_MS } from '../../audio/pcm.ts';

export interface VadSettings {
  levelDbfs: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
  startMs: number;
  minSpeechMs: number;
}

const EAGERNESS_SILENCE_MS = { low: 1500, medium: 800, high: 400, auto: 800 } as const;

export function vadSettings(d: HandsFreeDetection): VadSettings {
  if (d.type === 'server_vad') {
    return { levelDbfs: -60 + d.threshold * 40, prefixPaddingMs: d.prefixPaddingMs, silenceDurationMs: d.silenceDurationMs, startMs: 60, minSpeechMs: 200 };
  }
  return { levelDbfs: -40, prefixPaddingMs: 300, silenceDurationMs: EAGERNESS_SILENCE_MS[d.eagerness], startMs: 60, minSpeechMs: 200 };
}

export interface VadEvents {
  speechStarted(): void;
  /** The turn's audio: the prefix padding, the speech, and the silence that ended it. */
  speechStopped(turn: Int16Array[]): void;
}

/** Level of a block of PCM16 in dBFS (RMS). */
export function levelDbfs(pcm: Int16Array): number {
  if (pcm.length === 0) return -Infinity;
  let sum = 0;
  for (const s of pcm) sum += s * s;
  const rms = Math.sqrt(sum / pcm.length) / 32768;
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

export class LocalVad {
  #settings: VadSettings;
  #events: VadEvents;
  /** Audio before speech started, bounded by the prefix padding. */
  #prefix: Int16Array[] = [];
  #prefixSamples = 0;
  #turn: Int16Array[] | null = null;
  #voicedMs = 0;
  #silentMs = 0;
  #speechMs = 0;

  constructor(settings: VadSettings, events: VadEvents) {
    this.#settings = settings;
    this.#events = events;
  }

  configure(settings: VadSettings): void {
    this.#settings = settings;
  }

  speaking(): boolean {
    return this.#turn !== null;
  }

  reset(): void {
    this.#prefix = [];
    this.#prefixSamples = 0;
    this.#turn = null;
    this.#voicedMs = 0;
    this.#silentMs = 0;
    this.#speechMs = 0;
  }

  push(pcm: Int16Array): void {
    const ms = pcm.length / SAMPLES_PER_MS;
    const voiced = levelDbfs(pcm) >= this.#settings.levelDbfs;
    if (this.#turn === null) {
      this.#prefix.push(pcm);
      this.#prefixSamples += pcm.length;
      const keep = (this.#settings.prefixPaddingMs + this.#settings.startMs) * SAMPLES_PER_MS;
      while (this.#prefix.length > 1 && this.#prefixSamples - (this.#prefix[0]?.length ?? 0) >= keep) {
        this.#prefixSamples -= this.#prefix.shift()?.length ?? 0;
      }
      this.#voicedMs = voiced ? this.#voicedMs + ms : 0;
      if (this.#voicedMs >= this.#settings.startMs) {
        this.#turn = this.#prefix;
        this.#prefix = [];
        this.#prefixSamples = 0;
        this.#silentMs = 0;
        this.#speechMs = this.#voicedMs;
        this.#events.speechStarted();
      }
      return;
    }
    this.#turn.push(pcm);
    if (voiced) {
      this.#silentMs = 0;
      this.#speechMs += ms;
    } else this.#silentMs += ms;
    if (this.#silentMs >= this.#settings.silenceDurationMs) {
      const turn = this.#turn;
      const speechMs = this.#speechMs;
      this.reset();
      if (speechMs >= this.#settings.minSpeechMs) this.#events.speechStopped(turn);
      else this.#events.speechStopped([]);
    }
  }
}
