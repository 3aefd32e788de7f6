/** What the handlers share: options, scripts, issued audio ids, id generation. */
import type { ChatStep } from './types.ts';

export interface Delays {
  transcriptionMs: number;
  chatFirstTokenMs: number;
  chatTokenMs: number;
  speechFirstByteMs: number;
}

export interface IssuedAudio {
  /** Date.now() after which the id may no longer be referred to. */
  expiresAtMs: number;
  /** Samples of the assistant audio (24 kHz), for the input tokens a later reference costs. */
  samples: number;
  transcript: string;
}

export interface SharedState {
  /** Audio pacing vs real time; 0 or Infinity: no pacing. */
  speedup: number;
  delays: Delays;
  userTranscript: string;
  speechMsPerChar: number;
  audioIdTtlMs: number;
  replySamples: Int16Array;
  replyTranscript: string;
  defaultChatText: string;
  chatScript: ChatStep[];
  audioIds: Map<string, IssuedAudio>;
  models: string[];
  nextId(prefix: 'chatcmpl' | 'call' | 'audio'): string;
}

/** How long `audioMs` of audio takes to send at the configured speedup. */
export function paceMs(state: SharedState, audioMs: number): number {
  return state.speedup > 0 && Number.isFinite(state.speedup) ? audioMs / state.speedup : 0;
}

export function makeIdMaker(): SharedState['nextId'] {
  let n = 0;
  const salt = Math.random().toString(36).slice(2, 10);
  return (prefix) => {
    n += 1;
    // The service's shapes: chatcmpl-…, call_…, audio_….
    return `${prefix}${prefix === 'chatcmpl' ? '-' : '_'}${salt}${n.toString(36).padStart(8, '0')}`;
  };
}

/** Unix seconds, as `created` fields carry. */
export function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

/** Word-sized pieces that join back to exactly `text` (each piece keeps its leading space). */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? (text ? [text] : []);
}
