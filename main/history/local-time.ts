/**
 * Calendar days and readable times in the user's time zone (the ledger's "today" and the export's
 * timestamps). A time zone can be named for tests; otherwise the system's is used.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

function parts(epochMs: number, timeZone: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(epochMs))) out[part.type] = part.value;
  return out;
}

/** "2025-03-09" in the given (or system) time zone. */
export function localDay(epochMs: number, timeZone?: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2025-03" in the given (or system) time zone. */
export function localMonth(epochMs: number, timeZone?: string): string {
  return localDay(epochMs, timeZone).slice(0, 7);
}

/** "2025-03-09 14:05:33" in the given (or system) time zone. */
export function localDateTime(epochMs: number, timeZone?: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "14:05:33". */
export function localTime(epochMs: number, timeZone?: string): string {
  return localDateTime(epochMs, timeZone).slice(11);
}
