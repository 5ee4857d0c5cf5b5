import { sessionOf } from "./calendar";
import { MarketDataError } from "./errors";
import { LAST_CALENDAR_YEAR } from "./nyse-holidays";
import { listedExpiries, type OptionExpiry } from "./option-expiries";
import { addDays, nyDayOf, parseDay } from "./time";

/**
 * Which expiries a modelled chain lists at a clock (our rule, after what US exchanges list for liquid names):
 * weeklies up to WEEKLY_HORIZON_DAYS calendar days after the clock's New York day, monthlies (third Fridays) up
 * to MONTHLY_HORIZON_DAYS; an expiry whose last session has closed is gone. Each comes with its close, the
 * moment it stops trading (16:00 New York, 13:00 on an early-close day).
 */
export const WEEKLY_HORIZON_DAYS = 35;
export const MONTHLY_HORIZON_DAYS = 270;

export interface ListedExpiry extends OptionExpiry {
  /** When the expiry's last session closes. */
  readonly close: Date;
}

/** The expiries listed at `at` falling from `from` to `to` (days, inclusive; both default to the whole listing). */
export function expiriesListedAt(at: Date, window: { from?: string; to?: string } = {}): ListedExpiry[] {
  const today = nyDayOf(at);
  for (const day of [window.from, window.to]) {
    if (day !== undefined && !parseDay(day)) throw new MarketDataError("INVALID_REQUEST", `the expiry ${JSON.stringify(day)} is not a calendar day (an expiry is "YYYY-MM-DD", e.g. "2025-10-17")`);
  }
  const lastDay = `${LAST_CALENDAR_YEAR}-12-31`;
  const from = maxDay(today, window.from ?? today);
  const to = minDay(window.to ?? addDays(today, MONTHLY_HORIZON_DAYS), addDays(today, MONTHLY_HORIZON_DAYS), lastDay);
  if (from > to) return [];
  const weeklyEnd = addDays(today, WEEKLY_HORIZON_DAYS);
  return listedExpiries(from, to)
    .filter((e) => e.kind === "monthly" || e.expiry <= weeklyEnd)
    .map((e) => ({ ...e, close: sessionOf(e.expiry)!.close }))
    .filter((e) => e.close.getTime() > at.getTime());
}

const maxDay = (...days: string[]) => days.reduce((a, b) => (a > b ? a : b));
const minDay = (...days: string[]) => days.reduce((a, b) => (a < b ? a : b));
