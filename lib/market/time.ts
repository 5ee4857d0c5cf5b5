import { TZDate, tzOffset } from "@date-fns/tz";

/** The exchange time zone. Every wall-clock time in lib/market is New York time unless it says otherwise. */
export const NY_TZ = "America/New_York";

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DayParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

/** Parses 'YYYY-MM-DD'; null when the text is not a real calendar date (2025-02-30, 2025-13-01, …). */
export function parseDay(day: string): DayParts | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const d = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, d));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== d) return null;
  return { year, month, day: d };
}

/** Like parseDay, but throws a clear error for text that is not a 'YYYY-MM-DD' date. */
export function requireDay(day: string): DayParts {
  const parts = parseDay(day);
  if (!parts) throw new RangeError(`"${day}" is not a calendar date in the form YYYY-MM-DD`);
  return parts;
}

export function formatDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Calendar arithmetic on 'YYYY-MM-DD' strings (no time zone involved: a date is a date). */
export function addDays(day: string, n: number): string {
  const { year, month, day: d } = requireDay(day);
  const probe = new Date(Date.UTC(year, month - 1, d + n));
  return formatDay(probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  const { year, month, day: d } = requireDay(day);
  return new Date(Date.UTC(year, month - 1, d)).getUTCDay();
}

/** The UTC instant of a New York wall-clock time on a given date (DST handled by @date-fns/tz). */
export function nyWallTimeToUtc(day: string, hours: number, minutes: number, seconds = 0): Date {
  const { year, month, day: d } = requireDay(day);
  return new Date(new TZDate(year, month - 1, d, hours, minutes, seconds, NY_TZ).getTime());
}

/** The instant shifted by New York's UTC offset at that instant (offset from @date-fns/tz), read with UTC getters. */
function nyWallClock(at: Date): Date {
  return new Date(at.getTime() + tzOffset(NY_TZ, at) * 60_000);
}

/** An instant as New York wall-clock time to the minute: "2025-10-01 11:00". */
export function nyMinuteOf(at: Date): string {
  return nyWallClock(at).toISOString().slice(0, 16).replace("T", " ");
}

/** The New York calendar date ('YYYY-MM-DD') of an instant. */
export function nyDayOf(at: Date): string {
  const wall = nyWallClock(at);
  return formatDay(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate());
}

