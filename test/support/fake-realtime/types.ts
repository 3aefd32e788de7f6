/** Public types of the fake Realtime server (test/support/fake-realtime). */
import type { McpCallScript, McpListedTool } from './mcp.ts';

/** A Realtime event as JSON: a `type` plus whatever fields it carries. */
export interface RealtimeEventJson {
  type: string;
  event_id?: string;
  [field: string]: unknown;
}

/** One event the fake received or sent, with when (performance.now() ms) and on which connection (1-based). */
export interface EventRecord {
  at: number;
  connection: number;
  event: RealtimeEventJson;
}

/** An event that failed the SDK-derived schema: a client event (rejected with an error) or a server event (a bug in the fake). */
export interface SchemaErrorRecord {
  side: 'client' | 'server';
  connection: number;
  event: unknown;
  errors: string[];
}

/** What the WebSocket handshake carried, per connection. */
export interface HandshakeRecord {
  connection: number;
  at: number;
  url: string;
  model: string | null;
  authorization: string | null;
  headers: Record<string, string | string[] | undefined>;
  /** Set when the upgrade was refused with this HTTP status (refuseUpgrades); connection is 0 then. */
  refusedWith?: number;
}

export interface FakeRealtimeOptions {
  /** Reply audio (24 kHz mono PCM16 WAV). Default: the reply.wav fixture. */
  replyWavPath?: string;
  /** What the reply says. Default: the reply.wav fixture's text. */
  replyTranscript?: string;
  /** Transcript of every committed user turn until setUserTranscript() changes it. Default: "What files are in my documents folder?". */
  userTranscript?: string;
  /** How much faster than real time audio is streamed (default 4). 0 or Infinity: no pacing at all. */
  speedup?: number;
  /** Audio per response.output_audio.delta in ms (default 100). */
  deltaMs?: number;
  /**
   * A fixed "model" delay: every audio response waits this long (ms) after its content part before
   * the first audio delta, on top of slowFirstByte (default 0). Benchmarks subtract it to get what
   * the app adds.
   */
  modelDelayMs?: number;
  /** Delay between commit and the input transcription events (default 20 ms). */
  transcriptionDelayMs?: number;
  /**
   * Hold each input transcription until the reply to that turn has sent its first text (an
   * output_audio_transcript or output_text delta) or ended, then wait transcriptionDelayMs. The
   * service runs transcription asynchronously to the response, so "after the reply started" is one
   * of its allowed orders ("may come before or after the Response events", Realtime API reference,
   * conversation.item.input_audio_transcription.completed); this option makes it certain instead of
   * a matter of timers on a loaded machine. Default false.
   */
  transcriptionAfterReplyStarts?: boolean;
  /** A session ends with session_expired + close 1001 after this long (default 60 minutes). */
  sessionMaxMs?: number;
  /** Cached input tokens are reported only when the cached prefix reaches this many tokens (default 0; the service uses 1024). */
  cacheMinimumTokens?: number;
  /**
   * Keep base64 audio in the records (default true). false: `audio` of appends and `delta` of
   * audio deltas are recorded as `<N bytes>` — for long benchmarks where records would grow.
   */
  recordAudioPayloads?: boolean;
  /** Models listed by GET /v1/models. */
  models?: string[];
  /**
   * Transcription models this "account" may not use: a session.update naming one in
   * audio.input.transcription.model is refused as a whole with an invalid_request_error whose param
   * is session.audio.input.transcription.model (no session.updated follows).
   */
  refuseTranscriptionModels?: string[];
}

export interface ToolCallScript {
  name: string;
  /** JSON text, or an object that is serialised. */
  arguments: string | Record<string, unknown>;
  /** Call id; default call_<n>. */
  callId?: string;
}

export interface InjectedError {
  type: string;
  code?: string | null;
  message: string;
  param?: string | null;
  /** The client event id the error refers to, if any. */
  eventId?: string | null;
}

export interface UpgradeRefusal {
  status: number;
  /** How many upgrades to refuse (default 1). */
  count?: number;
  /** JSON body of the refusal (default: the service's error shape for the status). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ReplyScript {
  transcript?: string;
  /** 24 kHz mono PCM16 samples. */
  samples?: Int16Array;
}

export interface FakeRealtime {
  /** https://127.0.0.1:<port>/v1 — give to `new OpenAI({ baseURL })`. */
  baseURL: string;
  /** wss://127.0.0.1:<port>/v1/realtime (add ?model=…). */
  wsURL: string;
  port: number;
  /** PEM of the self-signed certificate to trust (the `ws`/`https` `ca` option). */
  ca: string;
  /** Path of that PEM, for NODE_EXTRA_CA_CERTS in child processes. */
  caPath: string;
  /** The reply audio the server streams (24 kHz mono PCM16) and its transcript. */
  replySamples: Int16Array;
  replyTranscript: string;

  /** Client events received (every frame that parsed as JSON; others are recorded as {type:'<unparseable>'}). */
  readonly received: EventRecord[];
  /** Server events sent. */
  readonly sent: EventRecord[];
  /** Client and server events that failed the schema. Server-side entries are bugs in the fake. */
  readonly schemaErrors: SchemaErrorRecord[];
  /** WebSocket connections accepted so far. */
  readonly connections: number;
  /** Connections open now. */
  readonly openConnections: number;
  readonly handshakes: HandshakeRecord[];

  /**
   * Resolves with the first received or sent event of `type` (already recorded or still to come)
   * that passes `predicate`; rejects after timeoutMs (default 5000).
   */
  waitFor(type: string, predicate?: (event: RealtimeEventJson) => boolean, timeoutMs?: number): Promise<RealtimeEventJson>;
  /** Like waitFor, but only events recorded after this call. */
  waitForNext(type: string, predicate?: (event: RealtimeEventJson) => boolean, timeoutMs?: number): Promise<RealtimeEventJson>;
  /** Recorded (received or sent) events of a type. */
  events(type: string): RealtimeEventJson[];

  /** The next response becomes a function call with these arguments (calls queue up). */
  scriptToolCall(call: ToolCallScript): void;
  /**
   * The next response calls a tool of a native MCP server the session names (an `mcp` session tool):
   * an mcp_approval_request first when its require_approval asks for one, then the mcp_call and a
   * reply quoting its output (mcp.ts). Calls queue up.
   */
  scriptMcpCall(call: McpCallScript): void;
  /** The tools the mcp_list_tools item of this server label lists (default: DEFAULT_MCP_TOOLS of mcp.ts). */
  setMcpTools(serverLabel: string, tools: McpListedTool[]): void;
  /** Transcript of the following committed user turns. */
  setUserTranscript(text: string): void;
  /** Audio and/or transcript of the following replies. */
  setReply(reply: ReplyScript): void;
  /** In the next reply, after `afterDeltas` audio deltas, destroy the TCP socket without a close frame. */
  dropMidReply(opts?: { afterDeltas?: number }): void;
  /** Destroy every open connection's TCP socket now, without a close frame (the client sees 1006). */
  dropNow(): void;
  /** Send an error event now on every open connection; the session stays usable. */
  injectError(error: InjectedError): void;
  /** Wait this long before the first audio delta of the next response. */
  slowFirstByte(ms: number): void;
  /** Every open session: error session_expired, then close 1001. */
  expireSession(): void;
  /** Every open connection goes silent without closing: no pong, no events (a dead network path). */
  freeze(): void;
  /** The next response.create fails with rate_limit_exceeded. */
  rateLimitNext(): void;
  /**
   * The next `count` (default 1) WebSocket upgrades are answered with this HTTP status instead of
   * 101 (401: a key refused at the handshake; 429: too many requests, with `retry-after`).
   */
  refuseUpgrades(refusal: UpgradeRefusal): void;
  /**
   * Send this server event now on every open connection, through the same path as the fake's own
   * events (an event id is added, it is checked against the SDK schema and recorded in `sent`).
   */
  sendEvent(event: RealtimeEventJson): void;
  /**
   * Send this text frame now on every open connection exactly as given: no event id, no schema check
   * (for the faults that are about invalid input: malformed JSON, unknown types, wrong fields).
   * Recorded in `rawSent`.
   */
  sendRaw(text: string): void;
  /** Frames sent with sendRaw. */
  readonly rawSent: string[];
  /**
   * Rewrite the stream of server events: each event the fake is about to send (already valid and
   * recorded) is passed to `filter`, and the events it returns are written instead, in that order —
   * [] holds it back (a filter may release held events later), [e, e] duplicates it. null removes the filter.
   */
  interceptServerEvents(filter: ((event: RealtimeEventJson) => RealtimeEventJson[]) | null): void;
  /** Clears records, counters and scripted faults; open connections stay open. */
  reset(): void;
  /** Closes every connection (1000) and the server. */
  close(): Promise<void>;
}
