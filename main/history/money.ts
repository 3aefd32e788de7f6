/** "$0.0123" below a dollar, "$4.20" above: enough digits to see what a turn cost. */
export function usd(value: number): string {
  if (value === 0) return '$0.00';
  return `$${value.toFixed(Math.abs(value) < 1 ? 4 : 2)}`;
}
