import { sessionOf } from "./calendar";
import { MarketDataError } from "./errors";
import { nyWallTimeToUtc, parseDay } from "./time";
import type { Interval } from "./types";

/** How a file's wall-clock timestamps are to be read ("Meta Data" → "… Time Zone"). */
export type SourceZone = "new-york" | "utc";

const KEY_RE = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The UTC start (epoch ms) of the bar an Alpha Vantage key names, or a message saying why it can't be.
 * - Intraday keys ("2025-10-30 15:00:00") name the bar that OPENS at that wall-clock time.
 * - Daily keys ("2025-10-30") in New York time name the bar that opens at that day's NYSE session
 *   open (09:30), so the day must be a trading day; in UTC files (crypto) the day starts at 00:00 UTC.
 * `cache` memoises conversions within one import (many symbols share the same timestamps).
 */
export function alphaVantageStart(key: string, interval: Interval, zone: SourceZone, cache: Map<string, number>): number | string {
  const cacheKey = `${zone}|${interval}|${key}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const result = convert(key, interval, zone);
  if (typeof result === "number") cache.set(cacheKey, result);
  return result;
}

function convert(key: string, interval: Interval, zone: SourceZone): number | string {
  const m = KEY_RE.exec(key);
  const day = m?.[1];
  const parts = day === undefined ? null : parseDay(day);
  if (!m || day === undefined || !parts) return "not a valid date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)";
  const hasTime = m[2] !== undefined;
  if (interval === "day" && hasTime) return "a daily bar's key must be a date without a time";
  if (interval !== "day" && !hasTime) return "an intraday bar's key must have a time (YYYY-MM-DD HH:MM:SS)";

  if (interval === "day") {
    if (zone === "utc") return Date.UTC(parts.year, parts.month - 1, parts.day);
    try {
      const session = sessionOf(day);
      return session ? session.open.getTime() : `${day} is not an NYSE trading day (weekend or holiday)`;
    } catch (e) {
      if (e instanceof MarketDataError) return e.message;
      throw e;
    }
  }
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  const seconds = m[4] === undefined ? 0 : Number(m[4]);
  if (hours > 23 || minutes > 59 || seconds > 59) return "not a valid time of day";
  if (seconds !== 0) return "bar starts must be whole minutes";
  if (zone === "utc") return Date.UTC(parts.year, parts.month - 1, parts.day, hours, minutes);
  return nyWallTimeToUtc(day, hours, minutes).getTime();
}
