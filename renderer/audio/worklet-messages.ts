/**
 * Messages between the main thread and the audio worklet (types only; both sides import them).
 * One processor does capture (its input: the microphone) and playback (its output: the speakers),
 * so the audio thread makes one `process()` call per render quantum and the main thread gets one
 * message stream. Audio always travels as transferred ArrayBuffers.
 */
import type { Level } from './level-meter.ts';

export const DUPLEX_PROCESSOR = 'earshot-duplex';

/** 20 ms at 24 kHz (the contract's AUDIO.frameSamples; kept here so worklets do not bundle zod). */
export const FRAME_SAMPLES = 480;

/** Samples per level window: 6 render quanta (768) at 24 kHz is 31.25 levels per second. */
export const LEVEL_WINDOW_SAMPLES = 768;

export interface PlayerConfig {
  preRollSamples: number;
  maxPrimeWaitSamples: number;
  initialCapacity: number;
}

/** One level window of the microphone and of the playback (the same render quanta for both). */
export interface LevelWindow {
  input: Level;
  /** False when no microphone was connected during the window (input is then silence). */
  hasInput: boolean;
  /** The playback before the output gain (so it does not drop while ducked). */
  output: Level;
}

export type DuplexIn =
  // ---- capture ----
  /** Start posting frames for this turn (numbered from 0). */
  | { type: 'capture-start'; turnId: string }
  /** Post the partial frame now, then `flushed`, and stop posting. */
  | { type: 'capture-stop'; turnId: string }
  /**
   * Which level windows to post outside a turn (during a turn they ride on frames for free):
   * `meter`: every window while a microphone is connected or the playback sounds (a visible meter);
   * `echoLearning`: windows with both the microphone and the playback live (the duck strategy
   * learns the echo coupling from them).
   */
  | { type: 'levels-outside-turns'; meter: boolean; echoLearning: boolean }
  // ---- playback ----
  | { type: 'chunk'; itemId: string; pcm: ArrayBuffer }
  | { type: 'end'; itemId: string }
  | { type: 'stop'; requestId: string };

export type DuplexOut =
  // ---- capture ----
  /**
   * `at`: Date.now() when the frame completed (epoch ms, for latency figures). During a turn the
   * level window that completed since the previous frame rides along (no message of its own).
   */
  | { type: 'frame'; turnId: string; seq: number; pcm: ArrayBuffer; at: number; levels?: LevelWindow }
  | {
      type: 'flushed';
      turnId: string;
      totalSamples: number;
      frames: number;
      /** Render quanta the audio thread skipped during the turn (0 when nothing was lost). */
      renderGaps: number;
      levels?: LevelWindow;
    }
  /** A level window outside a turn, while a microphone is connected or the playback is sounding. */
  | { type: 'levels'; levels: LevelWindow }
  // ---- playback ----
  /** `frame` is the context frame of the first sample of the item. */
  | { type: 'first'; itemId: string; frame: number; renderedSamples: number }
  | { type: 'finished'; itemId: string; renderedSamples: number }
  | { type: 'underrun'; itemId: string; underruns: number }
  | {
      type: 'stopped';
      requestId: string;
      itemId: string | null;
      renderedSamples: number;
      /** The last item that started, for a stop that found nothing playing. */
      lastItemId: string | null;
      lastItemRendered: number;
      /** Context frame from which the output is silent. */
      silentFromFrame: number;
    };
