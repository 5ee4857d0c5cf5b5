import { MarketDataError } from "./errors";
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, NYSE_CLOSED_DAYS, NYSE_EARLY_CLOSES } from "./nyse-holidays";
import { addDays, nyDayOf, nyWallTimeToUtc, requireDay, weekdayOf } from "./time";
import type { Interval } from "./types";

/** One NYSE regular session: 09:30 to 16:00 New York time, or to 13:00 on early-close days. */
export interface Session {
  day: string;
  open: Date;
  close: Date;
  earlyClose: boolean;
}

interface SessionTimes {
  openMs: number;
  closeMs: number;
  earlyClose: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const cache = new Map<string, SessionTimes | null>();

function assertCovered(day: string, year: number): void {
  if (year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
    throw new MarketDataError(
      "CALENDAR_RANGE",
      `${day} is outside the NYSE calendar, which covers ${FIRST_CALENDAR_YEAR}-01-01 to ${LAST_CALENDAR_YEAR}-12-31 ` +
        `(add the year's holidays to lib/market/nyse-holidays.ts to extend it)`,
    );
  }
}

function sessionTimes(day: string): SessionTimes | null {
  const cached = cache.get(day);
  if (cached !== undefined) return cached;
  assertCovered(day, requireDay(day).year);
  const weekday = weekdayOf(day);
  let times: SessionTimes | null = null;
  if (weekday !== 0 && weekday !== 6 && !(day in NYSE_CLOSED_DAYS)) {
    const earlyClose = day in NYSE_EARLY_CLOSES;
    times = {
      openMs: nyWallTimeToUtc(day, 9, 30).getTime(),
      closeMs: nyWallTimeToUtc(day, earlyClose ? 13 : 16, 0).getTime(),
      earlyClose,
    };
  }
  cache.set(day, times);
  return times;
}

function toSession(day: string, t: SessionTimes): Session {
  return { day, open: new Date(t.openMs), close: new Date(t.closeMs), earlyClose: t.earlyClose };
}

/** The regular session of a date, or null on weekends and holidays. Throws outside 2024–2027. */
export function sessionOf(day: string): Session | null {
  const t = sessionTimes(day);
  return t ? toSession(day, t) : null;
}

export function isTradingDay(day: string): boolean {
  return sessionTimes(day) !== null;
}

/** Trading days from `from` to `to`, both inclusive, in order. */
export function tradingDays(from: string, to: string): string[] {
  requireDay(from);
  requireDay(to);
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isTradingDay(d)) days.push(d);
  return days;
}

/** The first trading day strictly after `day`. */
export function nextTradingDay(day: string): string {
  let d = addDays(day, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** The last trading day strictly before `day`. */
export function previousTradingDay(day: string): string {
  let d = addDays(day, -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** The session in progress at an instant (open ≤ at < close), or null. */
export function sessionAt(at: Date): Session | null {
  const day = nyDayOf(at);
  const t = sessionTimes(day);
  const ms = at.getTime();
  return t && t.openMs <= ms && ms < t.closeMs ? toSession(day, t) : null;
}

export function isMarketOpen(at: Date): boolean {
  return sessionAt(at) !== null;
}

/** If `start` is exactly the open of an NYSE session, that session's close; otherwise null. */
export function closeOfSessionOpeningAt(start: Date): Date | null {
  const t = sessionTimes(nyDayOf(start));
  return t && t.openMs === start.getTime() ? new Date(t.closeMs) : null;
}

/**
 * The bar starts Bullpen uses on a trading day ([] on other days):
 * - day: the session open (09:30 New York);
 * - hour: every full clock hour from 10:00 while before the close (10:00 … 15:00; 10:00 … 12:00 on
 *   early-close days). This is the Alpha Vantage convention (key = bar start): 09:30–10:00 is in no
 *   hour bar, only in minute bars and the day bar;
 * - minute: every minute from 09:30 to one minute before the close (390, or 210 on early closes).
 * Adding fixed durations to the open is safe: DST changes happen at 02:00 on Sundays, never in a session.
 */
export function barStarts(day: string, interval: Interval): Date[] {
  const t = sessionTimes(day);
  if (!t) return [];
  if (interval === "day") return [new Date(t.openMs)];
  const starts: Date[] = [];
  const first = interval === "hour" ? t.openMs + 30 * MINUTE_MS : t.openMs;
  const step = interval === "hour" ? HOUR_MS : MINUTE_MS;
  for (let ms = first; ms < t.closeMs; ms += step) starts.push(new Date(ms));
  return starts;
}
