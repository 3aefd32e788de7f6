/** Builds the engine a config names. The only file that knows every engine; the session sees VoiceEngine. */
import type { EngineDeps, EngineKind, VoiceEngine } from './engine.ts';
import { RealtimeEngine } from './realtime/realtime-engine.ts';
import { CascadedEngine } from './cascaded/cascaded-engine.ts';
import { ChatAudioEngine } from './chat-audio/chat-audio-engine.ts';

export function createEngine(kind: EngineKind, deps: EngineDeps): VoiceEngine {
  switch (kind) {
    case 'realtime':
      return new RealtimeEngine(deps);
    case 'cascaded':
      return new CascadedEngine(deps);
    case 'chat-audio':
      return new ChatAudioEngine(deps);
  }
}
