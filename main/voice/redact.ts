/** Keeps API keys out of logs and messages: anything that looks like an OpenAI key, plus keys we were told. */

const known = new Set<string>();

export function registerSecret(secret: string): void {
  if (secret.length >= 8) known.add(secret);
}

const KEY_PATTERN = /\b(sk-[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{4,}/g;
const BEARER_PATTERN = /(Bearer\s+)[^\s"',]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_PATTERN, '$1…[redacted]').replace(BEARER_PATTERN, '$1[redacted]');
}

export function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  try {
    return JSON.parse(redact(JSON.stringify(fields))) as Record<string, unknown>;
  } catch {
    return { note: 'unserializable fields' };
  }
}
