import { sessionAt, sessionOf } from "../calendar";
import { isMarketDataError } from "../errors";
import { HOUR_MS, MINUTE_MS, isInterval } from "../intervals";
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR } from "../nyse-holidays";
import { nyDayOf } from "../time";
import type { Bar, Interval } from "../types";
import { fail, type HttpContext } from "./http";
import type { BarRequest } from "./provider";

/** One bar as a provider sends it, its start already read as an instant. */
export interface RawBar {
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Refuses a request the provider cannot or should not serve, before any network call. */
export function checkRequest(ctx: HttpContext, intervals: readonly Interval[], req: BarRequest, unsupported?: string): void {
  if (!isInterval(req.interval)) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `unknown interval ${JSON.stringify(req.interval)}: use day, hour or minute`);
  }
  if (!intervals.includes(req.interval)) {
    throw fail(ctx, "PROVIDER_UNSUPPORTED_INTERVAL", unsupported ?? `${ctx.label} does not provide ${req.interval} bars`);
  }
  if (typeof req.symbol !== "string" || !/^[A-Za-z0-9.^=-]{1,20}$/.test(req.symbol)) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `${JSON.stringify(req.symbol)} is not a ticker symbol (letters, digits, "." or "-")`);
  }
  const valid = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());
  if (!valid(req.from) || !valid(req.to)) throw fail(ctx, "PROVIDER_BAD_REQUEST", "from and to must be valid dates");
  if (req.from > req.to) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `from (${req.from.toISOString()}) is after to (${req.to.toISOString()})`);
  }
  const years = [req.from, req.to].map((d) => Number(nyDayOf(d).slice(0, 4)));
  if (years.some((y) => y < FIRST_CALENDAR_YEAR || y > LAST_CALENDAR_YEAR)) {
    throw fail(
      ctx,
      "PROVIDER_BAD_REQUEST",
      `Bullpen's NYSE calendar covers ${FIRST_CALENDAR_YEAR}-01-01 to ${LAST_CALENDAR_YEAR}-12-31: ask for bars inside it ` +
        `(add the year's holidays to lib/market/nyse-holidays.ts to extend it)`,
    );
  }
}

/**
 * Bullpen's start for a provider bar, or null for a bar Bullpen does not keep.
 * - day: whatever instant the provider uses (New York midnight for Polygon and Alpaca, the open for
 *   Yahoo), the bar starts at that New York day's session open; a day without a session is an error;
 * - hour: only 10:00 … 15:00 (12:00 on early closes), the starts `barStarts` gives; the 09:00 bar
 *   (mostly pre-market) and extended-hours bars are dropped;
 * - minute: only minutes inside the regular session.
 */
function bullpenStart(ctx: HttpContext, interval: Interval, startMs: number): number | null {
  const at = new Date(startMs);
  if (interval === "day") {
    const day = nyDayOf(at);
    const session = sessionOf(day);
    if (!session) throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a day bar for ${day}, which is not an NYSE trading day`);
    return session.open.getTime();
  }
  const session = sessionAt(at);
  if (!session) return null;
  const offset = startMs - session.open.getTime();
  if (interval === "minute") return offset % MINUTE_MS === 0 ? startMs : null;
  return offset >= 30 * MINUTE_MS && (offset - 30 * MINUTE_MS) % HOUR_MS === 0 ? startMs : null;
}

/** A bar outside the calendar (a provider sending far more than asked for) is a bad response, not a crash. */
function startOrFail(ctx: HttpContext, interval: Interval, startMs: number): number | null {
  try {
    return bullpenStart(ctx, interval, startMs);
  } catch (e) {
    if (isMarketDataError(e)) throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a bar Bullpen cannot place: ${e.message}`);
    throw e;
  }
}

/** Converts provider bars to Bullpen bars in [from, to], ordered by start; a repeated start is an error. */
export function toBars(ctx: HttpContext, req: BarRequest, raws: readonly RawBar[]): Bar[] {
  const bars: Bar[] = [];
  for (const raw of raws) {
    const startMs = startOrFail(ctx, req.interval, raw.startMs);
    if (startMs === null || startMs < req.from.getTime() || startMs > req.to.getTime()) continue;
    if (raw.high < raw.low) {
      const when = new Date(startMs).toISOString();
      throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a ${req.symbol} bar at ${when} whose high ${raw.high} is below its low ${raw.low}`);
    }
    bars.push({
      symbol: req.symbol,
      interval: req.interval,
      start: new Date(startMs),
      open: raw.open,
      high: raw.high,
      low: raw.low,
      close: raw.close,
      volume: raw.volume,
      source: ctx.provider,
      derived: false,
    });
  }
  bars.sort((a, b) => a.start.getTime() - b.start.getTime());
  for (let i = 1; i < bars.length; i++) {
    const prev = bars[i - 1];
    const cur = bars[i];
    if (prev && cur && prev.start.getTime() === cur.start.getTime()) {
      throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent two ${req.symbol} ${req.interval} bars starting ${cur.start.toISOString()}`);
    }
  }
  return bars;
}
