/**
 * Messages between the main thread and the audio worklets (types only; both sides import them).
 * Audio always travels as transferred ArrayBuffers.
 */
import type { Level } from './level-meter.ts';

export const CAPTURE_PROCESSOR = 'earshot-capture';
export const PLAYER_PROCESSOR = 'earshot-player';

/** 20 ms at 24 kHz (the contract's AUDIO.frameSamples; kept here so worklets do not bundle zod). */
export const FRAME_SAMPLES = 480;

/** Samples per level window: 6 render quanta (768) at 24 kHz is 31.25 levels per second. */
export const LEVEL_WINDOW_SAMPLES = 768;

// ---- capture ----

export type CaptureIn =
  /** Start posting frames for this turn (numbered from 0). */
  | { type: 'start'; turnId: string }
  /** Post the partial frame now, then `flushed`, and stop posting. */
  | { type: 'stop'; turnId: string };

export type CaptureOut =
  /** `at`: Date.now() when the frame completed (epoch ms, for latency figures). */
  | { type: 'frame'; turnId: string; seq: number; pcm: ArrayBuffer; at: number }
  | {
      type: 'flushed';
      turnId: string;
      totalSamples: number;
      frames: number;
      /** Render quanta the audio thread skipped during the turn (0 when nothing was lost). */
      renderGaps: number;
    }
  | { type: 'level'; level: Level; hasInput: boolean };

// ---- player ----

export interface PlayerConfig {
  preRollSamples: number;
  maxPrimeWaitSamples: number;
  initialCapacity: number;
}

export type PlayerIn =
  | { type: 'chunk'; itemId: string; pcm: ArrayBuffer }
  | { type: 'end'; itemId: string }
  | { type: 'stop'; requestId: string };

export type PlayerOut =
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
    }
  | { type: 'level'; level: Level };
