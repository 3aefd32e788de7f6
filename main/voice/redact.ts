/**
 * Keeps API keys out of the voice core's logs and messages: the keys the engine was given (it
 * registers each one it connects with) plus anything key-shaped, using the one redaction the
 * settings layer defines.
 */
import { redactSecrets, redactValue } from '../settings/redact.ts';

const known = new Set<string>();

export function registerSecret(secret: string): void {
  known.add(secret);
}

export function redact(text: string): string {
  return redactSecrets(text, [...known]);
}

export function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  return redactValue(fields, [...known]) as Record<string, unknown>;
}
