/** The log every layer writes to: one interface, a silent one, and stderr with secrets redacted. */
import { redact, redactFields } from './redact.ts';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const nullLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Logs to stderr (stdout stays free for the CLI's JSON), one line each, secrets redacted. */
export function consoleLogger(minLevel: Level = 'info'): Logger {
  const line = (level: Level, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const extra = fields ? ` ${JSON.stringify(redactFields(fields))}` : '';
    process.stderr.write(`[${level}] ${redact(message)}${extra}\n`);
  };
  return {
    debug: (m, f) => line('debug', m, f),
    info: (m, f) => line('info', m, f),
    warn: (m, f) => line('warn', m, f),
    error: (m, f) => line('error', m, f),
  };
}
