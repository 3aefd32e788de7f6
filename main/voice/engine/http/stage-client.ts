/**
 * One OpenAI SDK client per HTTP stage (the cascaded engine's transcribe / chat / speech, the
 * chat-audio engine's one call), built from the user's credentials and the stage's settings.
 *
 * Shared by both HTTP engines; keep the API stable:
 *   const stage = await openStage('chat', deps.credentials, { baseURL, keySource });
 *   stage.client.chat.completions.create(…, { signal });   // errors → describeHttpError(err, stage)
 *
 * - A stage URL in the settings wins over the user's main endpoint (a local OpenAI-compatible server,
 *   for privacy); keySource 'none' sends no key (such a server usually wants none). The SDK insists on
 *   an apiKey string, so a placeholder is given and the Authorization header is removed.
 * - Azure credentials with no stage URL: an AzureOpenAI client without a fixed deployment; the SDK
 *   then puts the request's `model` into the deployment path (/deployments/{model}/…), so each stage's
 *   model names a deployment of the resource.
 * - A custom CA (credentials.ca) is trusted through an undici Agent: Node's fetch takes no `ca`
 *   option, and the SDK documents passing undici's fetch with a dispatcher (ClientOptions.timeout in
 *   openai/client.d.ts).
 * - Retries: the SDK's own (429, 408, 409, 5xx and connection errors), at most `maxRetries` (≤ 2). The
 *   SDK waits what `retry-after` says when it is under 60 s (OpenAI.retryRequest in openai/client.js);
 *   a voice turn cannot wait that long, so a wait longer than `maxRetryAfterMs` is not retried at all
 *   (the response gets `x-should-retry: false`, which shouldRetry() honours) and the user is told.
 * - `timeout` bounds each request until its response headers (the SDK's fetchWithTimeout); a stalled
 *   body is the caller's to notice (request-control.ts: the stall watchdog and throwIfStalled).
 */
import { AzureOpenAI, OpenAI } from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Credentials } from '../engine.ts';
import { registerSecret } from '../../../base/redact.ts';

export type StageName = 'transcribe' | 'chat' | 'speech' | 'chat-audio';

/** How the user's settings describe one stage (StageConfig of config.ts has these fields and more). */
export interface StageEndpoint {
  /** null: the user's main endpoint (OpenAI by default). */
  baseURL: string | null;
  keySource: 'openai' | 'none';
}

export interface StageOptions {
  /** Per request, until the response headers (ms). */
  timeoutMs: number;
  /** SDK retries for 429 / 5xx / connection errors (0…2). */
  maxRetries: number;
  /** A longer retry-after is not waited for: the turn fails at once with a message saying how long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_STAGE_OPTIONS: StageOptions = { timeoutMs: 30_000, maxRetries: 2, maxRetryAfterMs: 8_000 };

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const AZURE_DEFAULT_API_VERSION = '2025-04-01-preview';
/** The SDK wants a key string even when none is sent. */
const NO_KEY_PLACEHOLDER = 'no-key';

export interface Stage {
  name: StageName;
  client: OpenAI;
  /** The URL requests go to, as shown to the user ("http://127.0.0.1:8000/v1"). */
  url: string;
  /**
   * True when this stage runs on the user's main endpoint (OpenAI's service, or what the user set up
   * as its full stand-in): OpenAI's streaming formats (transcript SSE, speech SSE with usage) are used
   * there. A stage URL of its own is a local server of unknown talents: plain requests only.
   */
  mainEndpoint: boolean;
}

/** Words for a stage in messages ("the transcription stage"). */
export function stageLabel(name: StageName): string {
  switch (name) {
    case 'transcribe':
      return 'transcription';
    case 'chat':
      return 'chat';
    case 'speech':
      return 'speech';
    case 'chat-audio':
      return 'chat audio';
  }
}

const agents = new Map<string, Agent>();

function agentFor(ca: string): Agent {
  let agent = agents.get(ca);
  if (!agent) {
    agent = new Agent({ connect: { ca } });
    agents.set(ca, agent);
  }
  return agent;
}

type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps fetch so a retry-after longer than `maxMs` is not waited for: the SDK retries only when
 * shouldRetry() says so, and it reads `x-should-retry: false` first (openai/client.js).
 */
export function boundRetryAfter(inner: FetchFn, maxMs: number): FetchFn {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status !== 429 && res.status < 500) return res;
    const ms = retryAfterMs(res.headers);
    if (ms == null || ms <= maxMs) return res;
    const headers = new Headers(res.headers);
    headers.set('x-should-retry', 'false');
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** retry-after-ms or retry-after (seconds or an HTTP date), in ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | null {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const s = parseFloat(raw);
  if (Number.isFinite(s)) return s * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** The client for one stage. Throws only when the credentials cannot be had (no key). */
export async function openStage(
  name: StageName,
  credentials: () => Promise<Credentials>,
  endpoint: StageEndpoint,
  options: StageOptions = DEFAULT_STAGE_OPTIONS,
): Promise<Stage> {
  const needKey = endpoint.keySource === 'openai';
  // A stage on its own server with no key needs nothing from the user's credentials.
  const creds: Credentials | null = needKey || endpoint.baseURL == null ? await credentials() : null;
  if (creds?.apiKey) registerSecret(creds.apiKey);
  const apiKey = needKey ? (creds?.apiKey ?? '') : NO_KEY_PLACEHOLDER;
  const ca = creds?.ca;
  const baseFetch: FetchFn = ca
    ? (input, init) => undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agentFor(ca) }) as unknown as Promise<Response>
    : (input, init) => fetch(input, init);
  const common = {
    apiKey,
    maxRetries: Math.max(0, Math.min(2, options.maxRetries)),
    timeout: options.timeoutMs,
    fetch: boundRetryAfter(baseFetch, options.maxRetryAfterMs),
    // keySource 'none': no Authorization header at all (null removes a default header in the SDK).
    ...(needKey ? {} : { defaultHeaders: { Authorization: null } }),
  };
  if (endpoint.baseURL == null && creds?.azure) {
    const client = new AzureOpenAI({
      ...common,
      endpoint: creds.azure.endpoint,
      apiVersion: creds.azure.apiVersion ?? AZURE_DEFAULT_API_VERSION,
    });
    return { name, client, url: creds.azure.endpoint, mainEndpoint: true };
  }
  const baseURL = endpoint.baseURL ?? creds?.baseURL ?? OPENAI_BASE_URL;
  const client = new OpenAI({ ...common, baseURL });
  return { name, client, url: baseURL.replace(/\/+$/, ''), mainEndpoint: endpoint.baseURL == null };
}
