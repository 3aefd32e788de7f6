/**
 * The session object the fake keeps per connection: the service's defaults (server VAD on,
 * 500 ms silence), and how session.update merges into it.
 */

export type JsonObject = Record<string, unknown>;

export const DEFAULT_INSTRUCTIONS =
  'You are a helpful voice assistant. Answer in a friendly, brief way, and speak clearly.';

export const SESSION_MAX_MS = 60 * 60 * 1000;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function defaultServerVad(): JsonObject {
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
  };
}

function defaultSemanticVad(): JsonObject {
  return { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true };
}

/** The session as session.created shows it. */
export function defaultSession(opts: { id: string; model: string; expiresAt: number }): JsonObject {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: opts.id,
    model: opts.model,
    output_modalities: ['audio'],
    instructions: DEFAULT_INSTRUCTIONS,
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: opts.expiresAt,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: defaultServerVad(),
      },
      output: {
        format: { type: 'audio/pcm', rate: 24000 },
        voice: 'marin',
        speed: 1,
      },
    },
    include: null,
  };
}

/** Fills the defaults the service adds to a turn_detection object the client sent. */
function completeTurnDetection(td: unknown): unknown {
  if (!isObject(td)) return td;
  const base = td['type'] === 'semantic_vad' ? defaultSemanticVad() : defaultServerVad();
  return { ...base, ...td };
}

export interface MergeResult {
  session: JsonObject;
  /** A service-style error when the update cannot apply. */
  error?: { code: string; message: string; param: string };
}

/**
 * Merges a (schema-valid) session.update into the current session: `audio.input` and
 * `audio.output` merge field by field, everything else is replaced.
 */
export function mergeSession(current: JsonObject, update: JsonObject, opts: { audioProduced: boolean }): MergeResult {
  const next: JsonObject = structuredClone(current);
  for (const [key, value] of Object.entries(update)) {
    if (key === 'audio' && isObject(value)) {
      const audio = isObject(next['audio']) ? next['audio'] : {};
      for (const dir of ['input', 'output'] as const) {
        const part = value[dir];
        if (!isObject(part)) continue;
        const cur = isObject(audio[dir]) ? audio[dir] : {};
        const merged: JsonObject = { ...cur, ...part };
        if (dir === 'input' && 'turn_detection' in part) merged['turn_detection'] = completeTurnDetection(part['turn_detection']);
        if (dir === 'output' && 'voice' in part && part['voice'] !== cur['voice'] && opts.audioProduced) {
          return {
            session: current,
            error: {
              code: 'cannot_update_voice',
              message: 'Cannot update a conversation\'s voice if assistant audio is present.',
              param: 'session.audio.output.voice',
            },
          };
        }
        audio[dir] = merged;
      }
      next['audio'] = audio;
    } else if (key === 'type') {
      continue;
    } else {
      next[key] = value;
    }
  }
  return { session: next };
}

/** Reads the bits of the session the fake acts on. */
export function sessionView(session: JsonObject): {
  turnDetection: JsonObject | null;
  transcription: JsonObject | null;
  voice: string;
  instructions: string;
  tools: unknown[];
  outputModalities: string[];
  inputRate: number;
} {
  const audio = isObject(session['audio']) ? session['audio'] : {};
  const input = isObject(audio['input']) ? audio['input'] : {};
  const output = isObject(audio['output']) ? audio['output'] : {};
  const fmt = isObject(input['format']) ? input['format'] : {};
  const td = input['turn_detection'];
  const tr = input['transcription'];
  const mods = session['output_modalities'];
  return {
    turnDetection: isObject(td) ? td : null,
    transcription: isObject(tr) ? tr : null,
    voice: typeof output['voice'] === 'string' ? output['voice'] : 'marin',
    instructions: typeof session['instructions'] === 'string' ? session['instructions'] : '',
    tools: Array.isArray(session['tools']) ? session['tools'] : [],
    outputModalities: Array.isArray(mods) ? mods.filter((m): m is string => typeof m === 'string') : ['audio'],
    inputRate: typeof fmt['rate'] === 'number' ? fmt['rate'] : 24000,
  };
}
