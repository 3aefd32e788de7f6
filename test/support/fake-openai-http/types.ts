/** Public types of the fake OpenAI HTTP server (test/support/fake-openai-http). */

export interface FakeOpenAIHttpOptions {
  /**
   * false (default): http://127.0.0.1:<port>/v1 — local OpenAI-compatible servers are plain http.
   * true: https with the self-signed certificate of test/support/tls.ts (trust `ca` / `caPath`).
   */
  tls?: boolean;
  /**
   * When set, a request without `Authorization: Bearer <apiKey>` gets 401 invalid_api_key (the
   * service's error JSON). null/undefined: any non-empty Bearer key is accepted, except keys
   * starting `sk-bad`, which are refused like an incorrect key.
   */
  apiKey?: string | null;
  /** Audio pacing vs real time (default 4; 0 = no pacing). */
  speedup?: number;
  /** Fixed "model" delays (benchmarks subtract them to get what the app adds). All default 0. */
  delays?: { transcriptionMs?: number; chatFirstTokenMs?: number; chatTokenMs?: number; speechFirstByteMs?: number };
  /** What transcriptions return (default 'What files are in my documents folder?'). */
  userTranscript?: string;
  /** Length of synthesized speech per input character, ms (default 60). */
  speechMsPerChar?: number;
  /** Chat-audio: how long an assistant audio id may be referred to, ms (default 4 h; tests set it short). */
  audioIdTtlMs?: number;
  /** Models listed by GET /v1/models (default: chat, audio, transcription and speech models). */
  models?: string[];
  /**
   * Models this "account" may not use: a request naming one (any endpoint) gets 404
   * model_not_found, as the service answers for a model that does not exist or is not allowed.
   */
  refuseModels?: string[];
}

/** One request the fake received, and the status line it answered with (0 until the status line is sent; a stream cut mid-body keeps its 200). */
export interface HttpRecord {
  /** performance.now() when the request's body had been read. */
  at: number;
  method: string;
  /** Path without the query, e.g. '/v1/chat/completions'. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (chat, speech); null when the body was not JSON. */
  json: unknown | null;
  /** Multipart fields except files (transcriptions); a field sent more than once (`include[]`) is an array. */
  form: Record<string, string | string[]> | null;
  files: { field: string; filename: string; contentType: string; bytes: Buffer }[];
  status: number;
}

/**
 * A request or response that failed the SDK-derived schema. Request side: the fake also answered
 * 400 like the service. Response side: a bug in the fake.
 */
export interface HttpSchemaError {
  side: 'request' | 'response';
  path: string;
  /** What failed: the request body (multipart: the form as JSON), a response body, or one SSE event. */
  body: unknown;
  errors: string[];
}

export interface ChatStep {
  /** Assistant text (streamed in word-sized chunks). */
  text?: string;
  /** finish_reason 'tool_calls'. Arguments are JSON text or an object that is serialised. Default id call_<n>. */
  toolCalls?: { name: string; arguments: string | Record<string, unknown>; id?: string }[];
  /** Chat-audio: the audio of the reply (24 kHz mono PCM16); default: synthesized from the text. */
  audioSamples?: Int16Array;
}

export type FailureStatus = 400 | 401 | 403 | 404 | 408 | 409 | 422 | 429 | 500 | 502 | 503 | 504;

export interface Failure {
  status: FailureStatus;
  /** How many requests in a row fail (default 1). */
  count?: number;
  /** 429/503: the `retry-after` header in seconds (default 1 for 429; absent for others unless set). */
  retryAfterS?: number;
  code?: string;
  message?: string;
}

export interface FakeOpenAIHttp {
  /** http(s)://127.0.0.1:<port>/v1 → new OpenAI({ baseURL, apiKey }). */
  baseURL: string;
  port: number;
  /** PEM of the self-signed certificate (tls: true), else null. */
  ca: string | null;
  /** Path of that PEM, for NODE_EXTRA_CA_CERTS in child processes; null without tls. */
  caPath: string | null;
  /** The reply.wav fixture (24 kHz mono PCM16) that synthesized speech is cut from, and what it says. */
  replySamples: Int16Array;
  replyTranscript: string;

  /** Every request, in order. */
  readonly requests: HttpRecord[];
  /** Requests to a path like '/v1/chat/completions'. */
  requestsTo(path: string): HttpRecord[];
  /** Resolves with the first request to `path` (already recorded or still to come) passing `predicate`; rejects after timeoutMs (default 5000). */
  waitForRequest(path: string, predicate?: (r: HttpRecord) => boolean, timeoutMs?: number): Promise<HttpRecord>;
  /** Request side: also answered 400 like the service. Response side: a bug in the fake. */
  readonly schemaErrors: HttpSchemaError[];

  setUserTranscript(text: string): void;
  /** Queue what the next chat completions answer with (FIFO; when empty: the default text reply). */
  scriptChat(step: ChatStep): void;
  /** Default: the reply.wav fixture's transcript. */
  setDefaultChatText(text: string): void;

  /** Faults (same family as the Realtime fake's). `path` is e.g. '/v1/audio/speech'. */
  /** The next request to `path` waits this long before its status line and first byte. */
  slowFirstByte(path: string, ms: number): void;
  /** The next `count` requests to `path` are answered with this status in the service's error shape (429 carries retry-after). */
  failNext(path: string, failure: Failure): void;
  /** The next streamed response to `path` is cut (socket destroyed) after `afterChunks` body chunks (default 2). */
  dropMidStream(path: string, opts?: { afterChunks?: number }): void;

  /** Clears records, scripts and faults; the transcript and default text return to their start values. Issued audio ids stay valid. */
  reset(): void;
  close(): Promise<void>;
}
