/**
 * A failed HTTP stage → an EngineError a person can act on: which stage, which URL, what happened,
 * what to do. The SDK's error classes (openai/core/error.d.ts) tell the cases apart: APIUserAbortError
 * (we aborted: not an error), APIConnectionTimeoutError (no response headers in time),
 * APIConnectionError (DNS, refused, TLS), APIError with a status and the service's
 * `{error:{message,type,param,code}}` body. Anything else thrown while a body streams is a dropped
 * stream (undici's "terminated", "socket hang up", or our own stall watchdog).
 *
 * Account-level codes (engine/fatal-errors.ts) are fatal only when the stage runs on the user's main
 * endpoint: a local server refusing a key says nothing about the OpenAI account.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { EngineError } from '../engine.ts';
import { FATAL_ACTIONS, isFatalCode } from '../fatal-errors.ts';
import { redact } from '../../../base/redact.ts';
import { stageLabel } from './stage-client.ts';
import type { Stage } from './stage-client.ts';
import { retryAfterMs } from './stage-client.ts';

/** Thrown (as an abort reason) by a body watchdog when a stream stops sending. */
export class StreamStalledError extends Error {
  override name = 'StreamStalledError';
}

export function isAbort(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}

/** The service refused the model itself (unknown, not available to this key): a fallback may help. */
export function isModelRefused(err: unknown): boolean {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 404)) return false;
  const code = err.code ?? '';
  if (code === 'model_not_found' || code === 'unsupported_model' || code === 'invalid_model') return true;
  const param = (err.error as { param?: unknown } | undefined)?.param;
  return param === 'model' || /\bmodel\b/i.test(serviceMessage(err) ?? '');
}

function serviceMessage(err: APIError): string | null {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : null;
}

function shorten(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function causeText(err: unknown): string {
  let current: unknown = err;
  let text = '';
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    text = typeof code === 'string' && code !== 'ERR_INVALID_ARG_TYPE' ? code : current.message;
    current = current.cause;
  }
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'the host name could not be resolved';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(text)) return `the TLS certificate is not trusted (${text})`;
  return shorten(text || String(err), 120);
}

/**
 * What went wrong, for the listener. `during` says whether the body was already streaming (a drop
 * then is "dropped mid-answer", not "unreachable").
 */
export function describeHttpError(err: unknown, stage: Pick<Stage, 'name' | 'url' | 'mainEndpoint'>, during: 'request' | 'stream' = 'request'): EngineError {
  const label = stageLabel(stage.name);
  const where = `The ${label} stage (${stage.url})`;
  const base = { causeType: null, benign: false } as const;
  if (err instanceof APIConnectionTimeoutError) {
    return { ...base, code: 'stage_timeout', fatal: false, message: redact(`${where} did not answer in time. Check that the server is running and reachable, then try again.`) };
  }
  if (err instanceof APIConnectionError) {
    return {
      ...base,
      code: 'stage_unreachable',
      fatal: false,
      message: redact(`${where} cannot be reached: ${causeText(err)}. Check the ${label} URL in Settings and that the server is running.`),
    };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const code = err.code ?? null;
    const detail = shorten(serviceMessage(err) ?? err.message);
    if (isFatalCode(code) && stage.mainEndpoint) {
      const known = FATAL_ACTIONS[code];
      return { ...base, code, fatal: true, message: redact(known ? `${known.message} ${known.action}` : detail) };
    }
    if (err.status === 401 || err.status === 403) {
      const fix = stage.mainEndpoint ? 'Check your API key in Settings.' : `Check whether this server wants a key (the ${label} stage's key setting).`;
      return { ...base, code: code ?? 'unauthorized', fatal: stage.mainEndpoint && err.status === 401, message: redact(`${where} refused the key (HTTP ${err.status}: ${detail}). ${fix}`) };
    }
    if (err.status === 429) {
      const wait = err.headers ? retryAfterMs(err.headers) : null;
      const when = wait != null ? ` It asked to wait ${Math.ceil(wait / 1000)} s.` : '';
      return { ...base, code: code ?? 'rate_limited', fatal: false, message: redact(`${where} is rate-limited (HTTP 429: ${detail}).${when} Wait a moment and ask again.`) };
    }
    if (err.status >= 500) {
      return { ...base, code: code ?? 'server_error', fatal: false, message: redact(`${where} failed (HTTP ${err.status}: ${detail}). Try again in a moment.`) };
    }
    return { ...base, code: code ?? `http_${err.status}`, fatal: false, message: redact(`${where} refused the request (HTTP ${err.status}: ${detail}). Check the ${label} model and settings.`) };
  }
  if (err instanceof StreamStalledError) {
    return { ...base, code: 'stream_stalled', fatal: false, message: redact(`${where} stopped sending mid-answer. Press the hotkey and ask again.`) };
  }
  if (during === 'stream') {
    return { ...base, code: 'stream_dropped', fatal: false, message: redact(`${where} dropped the connection mid-answer (${causeText(err)}). Press the hotkey and ask again.`) };
  }
  return { ...base, code: 'stage_failed', fatal: false, message: redact(`${where} failed: ${causeText(err)}.`) };
}

/** openStage() failed: it fails only when the credentials cannot be had (no key is set). Fatal, like a rejected key. */
export function missingCredentials(err: unknown): EngineError {
  return { code: 'missing_credentials', message: `No API key: ${redact(err instanceof Error ? err.message : String(err))}`, causeType: null, benign: false, fatal: true };
}
