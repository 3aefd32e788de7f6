/**
 * The user's audio on its way into an HTTP engine. There is no input buffer on a server to append to:
 * push-to-talk audio is kept here until the key is released, and in hands-free a local energy VAD
 * (local-vad.ts) finds the turns in it. Both HTTP engines take their turns from here.
 */
import type { Logger } from '../../../base/logger.ts';
import type { HandsFreeDetection } from '../../config.ts';
import { concatPcm, SAMPLES_PER_MS } from '../../audio/pcm.ts';
import type { EngineError } from '../engine.ts';
import { LocalVad, vadSettings } from './local-vad.ts';

/** The Realtime service refuses to commit under 100 ms (DESIGN §3); the session never sends less, but be safe. */
export const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;

export interface TurnInputEvents {
  /** Hands-free: the VAD heard the user start speaking. */
  speechStarted(): void;
  /** Hands-free: the user stopped (the turn, if it was speech, follows as `turn`). */
  speechStopped(): void;
  /** Hands-free: a turn long enough to send. */
  turn(pcm: Int16Array): void;
}

/** The same benign error the Realtime service sends for a short commit: the session drops the turn with a hint. */
export function tooShortError(samples: number): EngineError {
  return {
    code: 'input_audio_buffer_commit_empty',
    message: `Only ${Math.round(samples / SAMPLES_PER_MS)} ms of audio: at least 100 ms is needed.`,
    causeType: 'input_audio_buffer.commit',
    benign: true,
    fatal: false,
  };
}

export class TurnInput {
  #audio: Int16Array[] = [];
  #vad: LocalVad;

  constructor(handsFree: HandsFreeDetection, events: TurnInputEvents, logger: Logger) {
    this.#vad = new LocalVad(vadSettings(handsFree), {
      speechStarted: () => events.speechStarted(),
      speechStopped: (turn) => {
        events.speechStopped();
        const pcm = concatPcm(turn);
        // The VAD hands over nothing for a sound too short to be speech (a cough, a click).
        if (pcm.length < MIN_TURN_SAMPLES) logger.debug('http engine: hands-free noise ignored', { samples: pcm.length });
        else events.turn(pcm);
      },
    });
  }

  /** Audio from the microphone: to the VAD while hands-free is open, else kept for the push-to-talk turn. */
  append(pcm: Int16Array, handsFreeOpen: boolean): void {
    if (pcm.length === 0) return;
    if (handsFreeOpen) this.#vad.push(pcm);
    else this.#audio.push(pcm);
  }

  /** The push-to-talk turn's audio, and a fresh start for the next one. */
  take(): Int16Array {
    const pcm = concatPcm(this.#audio);
    this.#audio = [];
    return pcm;
  }

  clear(): void {
    this.#audio = [];
    this.#vad.reset();
  }

  /** The user's turn-detection settings changed (or hands-free closed: the VAD forgets what it heard). */
  configure(handsFree: HandsFreeDetection, handsFreeOpen: boolean): void {
    this.#vad.configure(vadSettings(handsFree));
    if (!handsFreeOpen) this.#vad.reset();
  }
}
