import { isTradingDay, previousTradingDay } from "./calendar";
import { LAST_CALENDAR_YEAR } from "./nyse-holidays";
import { addDays, requireDay, weekdayOf } from "./time";

/**
 * Listed expiries of US equity options on the NYSE calendar (our rule, after the Cboe/OCC standard):
 * every Friday is an expiry ("weekly"), the third Friday of a month the standard "monthly" one; when that Friday
 * is not a trading day (Good Friday, a Juneteenth or Independence Day observed on a Friday) the expiry moves to
 * the trading day before it. Which expiries an exchange actually lists for an underlying (weeklies only for some,
 * monthlies about nine months out, LEAPS in January) is for the chain builder to choose from these.
 * Pure: dates in, dates out; throws like lib/market/calendar.ts outside the years it covers (2024–2027).
 */
export interface OptionExpiry {
  /** The last trading day: "YYYY-MM-DD". */
  readonly expiry: string;
  readonly kind: "weekly" | "monthly";
  /** The Friday it stands for, when a holiday moved it earlier. */
  readonly shiftedFrom?: string;
}

const FRIDAY = 5;

/** Expiries falling from `from` to `to`, both inclusive, in order. */
export function listedExpiries(from: string, to: string): OptionExpiry[] {
  requireDay(from);
  requireDay(to);
  const expiries: OptionExpiry[] = [];
  // A holiday moves an expiry back by a few days at most, so the Friday after `to` is looked at too, unless
  // it lies past the calendar's last year (its expiry cannot move back across the New Year's week).
  for (let friday = firstFridayFrom(from); friday <= addDays(to, 7); friday = addDays(friday, 7)) {
    if (friday > to && Number(friday.slice(0, 4)) > LAST_CALENDAR_YEAR) break;
    const e = expiryOfFriday(friday);
    if (e.expiry >= from && e.expiry <= to) expiries.push(e);
  }
  return expiries;
}

/** The standard monthly expiry of a month: its third Friday, or the trading day before it. */
export function monthlyExpiry(year: number, month: number): OptionExpiry {
  const first = `${year}-${String(month).padStart(2, "0")}-01`;
  return expiryOfFriday(addDays(firstFridayFrom(first), 14));
}

/** Whether `day` is a listed expiry (weekly or monthly). */
export function isListedExpiry(day: string): boolean {
  return listedExpiries(day, day).length === 1;
}

function expiryOfFriday(friday: string): OptionExpiry {
  const date = Number(friday.slice(8, 10));
  const kind = date >= 15 && date <= 21 ? "monthly" : "weekly";
  if (isTradingDay(friday)) return { expiry: friday, kind };
  return { expiry: previousTradingDay(friday), kind, shiftedFrom: friday };
}

function firstFridayFrom(day: string): string {
  return addDays(day, (FRIDAY - weekdayOf(day) + 7) % 7);
}
