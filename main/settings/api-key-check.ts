/**
 * Checks an API key against GET {baseURL}/models and says what happened in words a user can act on.
 * Takes a fetch-like function so tests can point it at a local server.
 */
import { redactSecrets } from '../base/redact.ts';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export type ApiKeyCheckKind = 'ok' | 'invalid-key' | 'unreachable' | 'http-error' | 'no-key';

export interface ApiKeyCheck {
  ok: boolean;
  kind: ApiKeyCheckKind;
  /** HTTP status when the server answered. */
  status?: number;
  message: string;
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ApiKeyCheckOptions {
  /** Defaults to https://api.openai.com/v1. */
  baseURL?: string;
  /** 'bearer' (OpenAI and most compatible servers) or 'api-key' (Azure OpenAI keys). */
  auth?: 'bearer' | 'api-key';
  timeoutMs?: number;
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

function serverMessage(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = (parsed as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

export async function checkApiKey(
  fetchFn: FetchLike,
  key: string,
  options: ApiKeyCheckOptions = {},
): Promise<ApiKeyCheck> {
  const base = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/models`;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return base;
    }
  })();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), options.timeoutMs ?? 10_000);
  try {
    const response = await fetchFn(url, { method: 'GET', headers: options.auth === 'api-key' ? { 'api-key': key } : { Authorization: `Bearer ${key}` }, signal: controller.signal });
    const body = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) {
      return { ok: true, kind: 'ok', status: response.status, message: `The API key works (${host} answered).` };
    }
    if (response.status === 401) {
      return {
        ok: false,
        kind: 'invalid-key',
        status: 401,
        message: `${host} rejected the API key (401). Check it in your OpenAI dashboard and enter it again.`,
      };
    }
    const raw = serverMessage(body);
    const detail = raw === null ? null : redactSecrets(raw, [key]);
    const hint =
      response.status === 403 ? ' The key may lack permission for this project or region.'
      : response.status === 429 ? ' The account is rate limited or out of quota.'
      : response.status >= 500 ? ' The service has a problem; try again later.'
      : '';
    return {
      ok: false,
      kind: 'http-error',
      status: response.status,
      message: `${host} answered with HTTP ${response.status}.${hint}${detail ? ` Server said: ${detail}` : ''}`,
    };
  } catch (error) {
    const code = errorCode(error);
    const what = controller.signal.aborted ? 'did not answer within the time limit' : `could not be reached (${code})`;
    return { ok: false, kind: 'unreachable', message: `${host} ${what}. Check your network connection, proxy and the endpoint in Settings.` };
  } finally {
    clearTimeout(timer);
  }
}
