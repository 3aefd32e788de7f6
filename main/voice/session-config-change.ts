/**
 * Which changed settings a running session takes at once and which wait for its next session
 * (DESIGN §3: the voice cannot change once the session produced audio; the model is fixed per session).
 */
import { LIVE_SESSION_KEYS, LOCAL_KEYS, VoiceConfigSchema } from './config.ts';
import type { VoiceConfig } from './config.ts';

export interface ConfigChangePlan {
  next: VoiceConfig;
  changed: (keyof VoiceConfig)[];
  appliedLive: string[];
  nextSession: string[];
  /** The live session must be sent its settings again (session.update). */
  sendUpdate: boolean;
}

/** `audioProduced` is asked only once the patch is valid (an invalid one throws first). */
export function planConfigChange(current: VoiceConfig, patch: Partial<VoiceConfig>, audioProduced: () => boolean): ConfigChangePlan {
  const next = VoiceConfigSchema.parse({ ...current, ...patch });
  const changed = (Object.keys(patch) as (keyof VoiceConfig)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
  const appliedLive: string[] = [];
  const nextSession: string[] = [];
  let sendUpdate = false;
  const voiceFixed = changed.includes('voice') && audioProduced();
  for (const k of changed) {
    if (k === 'model') nextSession.push(k);
    else if (k === 'engine' || k === 'cascaded' || k === 'chatAudio') appliedLive.push(k); // the engine swaps once idle; HTTP stages read config per request
    else if (k === 'voice') {
      if (voiceFixed) nextSession.push(k);
      else {
        appliedLive.push(k);
        sendUpdate = true;
      }
    } else if ((LIVE_SESSION_KEYS as readonly string[]).includes(k)) {
      appliedLive.push(k);
      sendUpdate = true;
    } else if ((LOCAL_KEYS as readonly string[]).includes(k)) appliedLive.push(k);
  }
  return { next, changed, appliedLive, nextSession, sendUpdate };
}
