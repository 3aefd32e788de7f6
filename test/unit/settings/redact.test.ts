import { describe, expect, it } from 'vitest';
import { createRedactingLogger, redactSecrets } from '../../../main/base/redact.ts';
import type { Logger } from '../../../main/base/logger.ts';

const KEY = 'sk-proj-Qa9Wc3Ev5Rb7Tn1Ym4Uk6Ij8Ol0Ph2Sg';
/** A key that does not look like sk-…: only the known-secret list can catch it. */
const AZURE_KEY = '8f3c2a91d04b4e6fa7c1b25e9d0f6a3b';

interface Line {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function memorySink(): { sink: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return { sink: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('redactSecrets', () => {
  it('replaces known secrets, sk- tokens, Bearer and api-key credentials', () => {
    expect(redactSecrets(`key=${AZURE_KEY} other`, [AZURE_KEY])).toBe('key=[redacted] other');
    expect(redactSecrets('token sk-svcacct-AbCdEf0123456789xyz done', [])).toBe('token [redacted] done');
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.J9.abc', [])).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('headers {"api-key":"abc123def456"}', [])).toBe('headers {"api-key":"[redacted]"}');
    expect(redactSecrets(`wss://x/v1?api_key=${encodeURIComponent(AZURE_KEY + '/+')}`, [`${AZURE_KEY}/+`])).toBe('wss://x/v1?api_key=[redacted]');
    expect(redactSecrets('nothing secret here, apiKeySource: settings', [AZURE_KEY])).toBe('nothing secret here, apiKeySource: settings');
    // Very short "secrets" would eat ordinary words.
    expect(redactSecrets('the cat sat', ['cat'])).toBe('the cat sat');
  });
});

describe('createRedactingLogger', () => {
  it('lets no key through a realistic sequence of log lines', () => {
    const { sink, lines } = memorySink();
    let secrets: string[] = [];
    const log = createRedactingLogger(sink, () => secrets);

    log.info('app started', { version: '0.1.0' });
    secrets = [KEY, AZURE_KEY]; // the key arrives after the logger was made
    log.debug(`connecting with key ${KEY}`);
    log.info('session.update sent', { headers: { Authorization: `Bearer ${KEY}`, 'api-key': AZURE_KEY }, model: 'gpt-realtime' });
    const failure = new Error(`401 Incorrect API key provided: ${KEY}`);
    failure.stack = `Error: 401 Incorrect API key provided: ${KEY}\n    at connect (realtime.ts:10:5)`;
    const wrapped = new Error('could not connect', { cause: failure });
    log.error('connection failed', { error: wrapped, attempt: 2 });
    log.warn('retrying', {
      nested: { deeper: { list: [`x ${AZURE_KEY} y`, { apiKey: 'anything-at-all', note: 'ok' }] } },
      map: new Map([['token', 'tok-123456789'], ['k', KEY]]),
      bytes: Buffer.from(KEY),
    });
    const circular: Record<string, unknown> = { name: 'loop', key: KEY };
    circular.self = circular;
    log.info('circular', { circular });
    log.info(`url wss://api.openai.com/v1/realtime?model=gpt-realtime&key=${AZURE_KEY}`);

    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(KEY.slice(3, 20));
    expect(everything).not.toContain(AZURE_KEY);
    expect(everything).not.toContain('anything-at-all');
    expect(everything).not.toContain('tok-123456789');
    expect(everything).not.toMatch(/sk-[A-Za-z0-9]{8,}/);

    // What is not secret survives, so the log stays useful.
    expect(lines.map((l) => l.level)).toEqual(['info', 'debug', 'info', 'error', 'warn', 'info', 'info']);
    expect(lines[1]?.message).toBe('connecting with key [redacted]');
    expect(lines[2]?.fields).toEqual({ headers: { Authorization: '[redacted]', 'api-key': '[redacted]' }, model: 'gpt-realtime' });
    const error = lines[3]?.fields?.error as { message: string; stack: string; cause: { message: string; stack: string } };
    expect(error.message).toBe('could not connect');
    expect(error.cause.message).toBe('401 Incorrect API key provided: [redacted]');
    expect(error.cause.stack).toContain('at connect (realtime.ts:10:5)');
    expect(lines[3]?.fields?.attempt).toBe(2);
    expect(JSON.stringify(lines[4]?.fields)).toContain('"note":"ok"');
    expect(lines[4]?.fields?.bytes).toBe(`[Buffer ${Buffer.byteLength(KEY)} bytes]`);
    expect((lines[5]?.fields?.circular as Record<string, unknown>).self).toBe('[circular]');
    expect(lines[6]?.message).toContain('model=gpt-realtime&key=[redacted]');
  });
});
