/**
 * RFC 4180 CSV for downloads. Text starting with = + - @ (other than a number) gets a leading ' so a
 * spreadsheet does not run it as a formula; null and undefined are empty cells, dates ISO 8601.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header.map(csvCell).join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\r\n") + "\r\n";
}

function csvCell(v: unknown): string {
  const raw = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
  const s = /^[=+\-@\t\r]/.test(raw) && !/^-?\d+(\.\d+)?$/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
