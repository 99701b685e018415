/** ISO date and minute in UTC (`2025-03-01 09:00 UTC`): unambiguous for a helpdesk anywhere. Checks and renderers alike write times this way. */
export function fmtTime(d: Date | string | number): string {
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
