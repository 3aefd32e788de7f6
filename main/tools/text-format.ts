/** Small formatters that keep tool output short and easy to say aloud. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1234 → "1.2 KB" (binary multiples, one decimal below 10). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${shown} ${UNITS[unit]}`;
}

/** Local date and minute: "2025-05-01 14:03". */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * Cuts text that is too long for a voice model and says so, with counts, so the model can tell the
 * user and ask for the rest.
 */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const keep = Math.max(0, maxChars - 120);
  let cut = text.lastIndexOf('\n', keep);
  if (cut < keep * 0.8) cut = keep;
  const completeLines = text.slice(0, cut).split('\n').length - (text[cut] === '\n' ? 0 : 1);
  const totalLines = text.split('\n').length;
  return (
    `${text.slice(0, cut)}\n[cut: output too long — showed ${formatCount(cut)} of ${formatCount(text.length)} characters, ` +
    `${formatCount(completeLines)} of ${formatCount(totalLines)} lines complete]`
  );
}
