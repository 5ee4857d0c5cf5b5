import { quoteCut } from "@/lib/engine/instrument";
import { sessionAt } from "./calendar";
import { MarketDataError } from "./errors";
import { INTERVALS, type Interval } from "./types";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Length of an intraday bar; day bars are as long as their session. */
export const INTRADAY_MS: Readonly<Record<Exclude<Interval, "day">, number>> = { minute: MINUTE_MS, hour: HOUR_MS };

export function isInterval(value: unknown): value is Interval {
  return typeof value === "string" && (INTERVALS as readonly string[]).includes(value);
}

export function requireInterval(value: unknown): Interval {
  if (!isInterval(value)) {
    throw new MarketDataError("INVALID_REQUEST", `unknown interval ${typeof value === "string" ? quoteCut(value) : String(value)}: use one of ${INTERVALS.join(", ")}`);
  }
  return value;
}

/**
 * The instant a bar closes, i.e. when its high, low, close and volume become known.
 * - minute and hour bars: start + 1 minute / 1 hour;
 * - day bars that start inside an NYSE session (at its open, or later for days derived from bars
 *   that begin later): that session's close (13:00 on early-close days);
 * - other day bars (e.g. UTC crypto days starting at midnight): start + 24 hours.
 * It is never earlier than the true end of the bar, so gating on it cannot leak the future.
 */
export function barEnd(bar: { interval: Interval; start: Date }): Date {
  if (bar.interval !== "day") return new Date(bar.start.getTime() + INTRADAY_MS[bar.interval]);
  return sessionAt(bar.start)?.close ?? new Date(bar.start.getTime() + DAY_MS);
}
