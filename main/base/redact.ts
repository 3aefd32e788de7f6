/**
 * Keeps secrets out of logs and out of anything the renderer sees.
 *
 * `redactSecrets` replaces every known secret, every `sk-…`-shaped token, and the credential after
 * `Bearer` / `api-key:` with `[redacted]`. `redactValue` does that to every string inside any value
 * (objects, arrays, errors with their stack and cause, maps, sets) and blanks fields whose name says
 * they hold a credential. `createRedactingLogger` puts both in front of a log sink.
 */
import type { Logger } from './logger.ts';

export const REDACTED = '[redacted]';

/** Known secrets shorter than this are not searched for (they would match ordinary words). */
const MIN_SECRET_LENGTH = 8;
const MAX_DEPTH = 8;

const SK_TOKEN = /\bsk-[A-Za-z0-9_-]{8,}/g;
const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
const API_KEY_HEADER = /\b(api[-_]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;
const SENSITIVE_FIELD = /^(api[-_]?key|authorization|password|passphrase|secret|client[-_]?secret|token|access[-_]?token|refresh[-_]?token|x-api-key)$/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  for (const secret of known) {
    if (out.includes(secret)) out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED);
    // The same key percent-encoded (in a URL) is the same secret.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.replace(new RegExp(escapeRegExp(encoded), 'g'), REDACTED);
  }
  return out
    .replace(SK_TOKEN, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(API_KEY_HEADER, (match: string, name: string, separator: string) => (match.endsWith(REDACTED) ? match : `${name}${separator}${REDACTED}`));
}

/** A deep copy of `value` with every string redacted; errors become plain objects (name, message, stack, cause). */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  const seen = new WeakSet<object>();
  const walk = (current: unknown, depth: number): unknown => {
    if (typeof current === 'string') return redactSecrets(current, secrets);
    if (typeof current !== 'object' || current === null) {
      return typeof current === 'function' ? `[function ${current.name || 'anonymous'}]` : current;
    }
    if (seen.has(current)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    seen.add(current);
    try {
      if (current instanceof Error) {
        const out: Record<string, unknown> = { name: current.name, message: walk(current.message, depth + 1) };
        if (current.stack) out.stack = walk(current.stack, depth + 1);
        if (current.cause !== undefined) out.cause = walk(current.cause, depth + 1);
        for (const [key, inner] of Object.entries(current)) {
          out[key] = SENSITIVE_FIELD.test(key) ? REDACTED : walk(inner, depth + 1);
        }
        return out;
      }
      if (Array.isArray(current)) return current.map((entry) => walk(entry, depth + 1));
      if (current instanceof Map) {
        return Object.fromEntries([...current.entries()].map(([key, inner]) => [redactSecrets(String(key), secrets), SENSITIVE_FIELD.test(String(key)) ? REDACTED : walk(inner, depth + 1)]));
      }
      if (current instanceof Set) return [...current].map((entry) => walk(entry, depth + 1));
      if (ArrayBuffer.isView(current) || current instanceof ArrayBuffer) {
        // Bytes may be a key in another encoding: say what it was, never the content.
        return `[${current.constructor.name} ${current.byteLength} bytes]`;
      }
      if (current instanceof Date) return current.toISOString();
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(current)) {
        out[redactSecrets(key, secrets)] = SENSITIVE_FIELD.test(key) ? REDACTED : walk(inner, depth + 1);
      }
      return out;
    } finally {
      seen.delete(current);
    }
  };
  return walk(value, 0);
}

/**
 * A Logger that redacts the message and every field before handing them to `sink` (electron-log in
 * the app, an array in tests). `getSecrets` is asked on every line so a key set later is covered.
 */
export function createRedactingLogger(sink: Logger, getSecrets: () => readonly string[]): Logger {
  const forward = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>): void => {
    let secrets: readonly string[];
    try {
      secrets = getSecrets();
    } catch {
      secrets = [];
    }
    const safeMessage = redactSecrets(typeof message === 'string' ? message : String(message), secrets);
    if (fields === undefined) sink[level](safeMessage);
    else sink[level](safeMessage, redactValue(fields, secrets) as Record<string, unknown>);
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

// The secrets the process has been given (each engine registers every key it connects with): every
// log line and message is scrubbed of them, as well as of anything key-shaped.

const registered = new Set<string>();

export function registerSecret(secret: string): void {
  registered.add(secret);
}

export function redact(text: string): string {
  return redactSecrets(text, [...registered]);
}

export function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  return redactValue(fields, [...registered]) as Record<string, unknown>;
}
