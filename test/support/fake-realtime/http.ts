/** The HTTP side of the fake: API key checks and GET /v1/models (for a "test key" action). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from './errors.ts';
import type { ErrorBody } from './errors.ts';

export type KeyCheck = { ok: true; key: string } | { ok: false; error: ErrorBody };

/** A key starting with `sk-bad` is what the service calls an incorrect key; no key at all is refused too. */
export function checkAuthorization(header: string | undefined): KeyCheck {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  const key = match?.[1]?.trim() ?? '';
  if (!key) return { ok: false, error: errors.missingApiKey() };
  if (key.startsWith('sk-bad')) return { ok: false, error: errors.invalidApiKey(key) };
  return { ok: true, key };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers plain HTTPS requests on the fake's port. */
export function handleHttp(req: IncomingMessage, res: ServerResponse, models: string[]): void {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const auth = checkAuthorization(req.headers.authorization);
  if (!auth.ok) {
    const { event_id: _unused, ...error } = auth.error;
    json(res, 401, { error });
    return;
  }
  const created = 1_756_000_000;
  const modelJson = (id: string): Record<string, unknown> => ({ id, object: 'model', created, owned_by: 'system' });
  if (req.method === 'GET' && url.pathname === '/v1/models') {
    json(res, 200, { object: 'list', data: models.map(modelJson) });
    return;
  }
  const one = /^\/v1\/models\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && one?.[1]) {
    const id = decodeURIComponent(one[1]);
    if (models.includes(id)) json(res, 200, modelJson(id));
    else json(res, 404, { error: { message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
    return;
  }
  json(res, 404, { error: { message: `Invalid URL (${req.method ?? 'GET'} ${url.pathname})`, type: 'invalid_request_error', param: null, code: null } });
}
