import "server-only";
import type { Db } from "@/lib/db/client";
import { getBarRange, listBarStarts, listKnownSymbols, listSymbolsWithBarsBetween } from "@/lib/db/queries/bar-coverage";
import { AppError } from "@/lib/errors";
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, isTradingDay, nextTradingDay, nyDayOf, previousTradingDay, sessionOf, type Interval } from "@/lib/market";
import type { ValidSessionInput } from "@/lib/schemas/session";
import { ensureMinuteBars } from "@/lib/services/market-data/minute-bars";
import { configuredProvider } from "@/lib/services/market-data/provider";
import { LOOKBACK_BARS } from "./bar-cache";

/** More bar times than this in one session is refused (TOO_MANY_BARS). */
export const MAX_SESSION_BARS = 20_000;

/** Trading days before a replay's day whose minutes it may read: LOOKBACK_BARS even if all were early closes (210 minutes). */
const REPLAY_HISTORY_DAYS = Math.ceil(LOOKBACK_BARS / 210);

/** What a valid request runs on: the universe and the bar times, fixed at creation. */
export interface SessionPlan {
  interval: Interval;
  symbols: string[];
  rangeStart: string;
  rangeEnd: string;
  schedule: Date[];
}

const reject = (code: string, field: string, message: string) => new AppError("reject", code, message, { [field]: message });

/**
 * Checks a parsed request against the market data and builds its plan, writing nothing but, for a
 * replay, minute bars when they must be derived or fetched (a cache, not the session): the day's, and
 * those of the REPLAY_HISTORY_DAYS before it, so the history its decisions see before the first bar is
 * fixed now, not whatever minutes other replays happen to have stored by the time a job preloads.
 * Dates must be NYSE trading days inside the data of the universe; symbols must exist and have bars.
 */
export async function planSession(db: Db, spec: ValidSessionInput): Promise<SessionPlan> {
  const [startDay, endDay, dataIntervals, interval]: [string, string, Interval[], Interval] =
    spec.kind === "backtest" ? [spec.start, spec.end, [spec.interval], spec.interval] : [spec.day, spec.day, ["minute", "hour"], "minute"];
  const startField = spec.kind === "backtest" ? "start" : "day";
  const endField = spec.kind === "backtest" ? "end" : "day";
  checkTradingDay(startDay, startField);
  if (endDay !== startDay) checkTradingDay(endDay, endField);
  const from = sessionOf(startDay)!.open;
  const to = sessionOf(endDay)!.close;

  const symbols = await resolveUniverse(db, { requested: spec.symbols, intervals: dataIntervals, from, to, startDay, endDay });
  await checkDatesInsideData(db, { intervals: dataIntervals, symbols, startDay, endDay, startField, endField });

  // The day's own minutes make the schedule; the days before it (history for the model's lookback) are made by the
  // runner when it claims the session (ensureReplayHistory), so starting answers without waiting for them.
  if (spec.kind === "replay") await ensureMinuteBars(db, { day: spec.day, symbols, provider: configuredProvider() });
  const schedule = await listBarStarts(db, { interval, symbols, from, to });
  if (schedule.length === 0) {
    throw reject("NO_DATA", startField, `There are no ${interval} bars for ${list(symbols)} between ${startDay} and ${endDay}`);
  }
  if (schedule.length > MAX_SESSION_BARS) {
    throw reject("TOO_MANY_BARS", endField, `That is ${schedule.length} ${interval} bars; a session runs at most ${MAX_SESSION_BARS}: choose a shorter range or a longer interval`);
  }
  return { interval, symbols, rangeStart: startDay, rangeEnd: endDay, schedule };
}

function checkTradingDay(day: string, field: string): void {
  let trading: boolean;
  try {
    trading = isTradingDay(day);
  } catch {
    throw reject("NOT_A_TRADING_DAY", field, `${field} ${day} is outside the market calendar, which covers ${FIRST_CALENDAR_YEAR}-${LAST_CALENDAR_YEAR}`);
  }
  if (trading) return;
  const around = [safe(() => previousTradingDay(day)), safe(() => nextTradingDay(day))].filter(Boolean).join(" or ");
  throw reject("NOT_A_TRADING_DAY", field, `${field} ${day} is not an NYSE trading day${around ? `; the nearest are ${around}` : ""}`);
}

/**
 * The minute bars of the trading days before a replay's `day` that its lookback may read (REPLAY_HISTORY_DAYS), made or
 * fetched where missing (ensureMinuteBars): the runner's claim calls it before it preloads the session's bars. A claim
 * of a session whose history is there costs one count per day.
 */
export async function ensureReplayHistory(db: Db, { day, symbols }: { day: string; symbols: readonly string[] }): Promise<void> {
  const provider = configuredProvider();
  await Promise.all(tradingDaysBefore(day, REPLAY_HISTORY_DAYS).map((d) => ensureMinuteBars(db, { day: d, symbols, provider })));
}

/** Up to `n` trading days before `day`, newest first (fewer at the start of the calendar). */
function tradingDaysBefore(day: string, n: number): string[] {
  const days: string[] = [];
  for (let d = safe(() => previousTradingDay(day)); d && days.length < n; d = safe(() => previousTradingDay(d))) days.push(d);
  return days;
}

const safe = (f: () => string) => {
  try {
    return f();
  } catch {
    return "";
  }
};

const list = (symbols: readonly string[]) => (symbols.length > 8 ? `${symbols.slice(0, 8).join(", ")} and ${symbols.length - 8} more` : symbols.join(", "));

/**
 * The requested symbols, each known and with bars in the window; or, when none were requested, every
 * imported symbol with bars in the window (the synthetic market's only when nothing else has any).
 */
async function resolveUniverse(
  db: Db,
  { requested, intervals, from, to, startDay, endDay }: { requested?: string[]; intervals: Interval[]; from: Date; to: Date; startDay: string; endDay: string },
): Promise<string[]> {
  const what = `${intervals.join(" or ")} bars`;
  if (requested) {
    const known = new Set(await listKnownSymbols(db, { symbols: requested }));
    const unknown = requested.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw reject("UNKNOWN_SYMBOL", "symbols", `${list(unknown)} ${unknown.length === 1 ? "is not a known symbol" : "are not known symbols"}: import its bars first, or leave symbols out to use every imported one`);
    }
    const withData = new Set<string>();
    for (const interval of intervals) {
      for (const r of await listSymbolsWithBarsBetween(db, { interval, from, to, symbols: requested })) withData.add(r.symbol);
    }
    const without = requested.filter((s) => !withData.has(s));
    if (without.length > 0) {
      throw reject("NO_DATA", "symbols", `${list(without)} ${without.length === 1 ? "has" : "have"} no ${what} between ${startDay} and ${endDay}${await rangeText(db, intervals, without)}`);
    }
    return requested;
  }
  const found = new Map<string, string>();
  for (const interval of intervals) for (const r of await listSymbolsWithBarsBetween(db, { interval, from, to })) found.set(r.symbol, r.source);
  const imported = [...found].filter(([, source]) => source !== "synthetic").map(([s]) => s);
  const universe = (imported.length > 0 ? imported : [...found.keys()]).sort();
  if (universe.length === 0) {
    throw reject("NO_DATA", "start", `There are no ${what} between ${startDay} and ${endDay}${await rangeText(db, intervals)}`);
  }
  return universe;
}

/** Both dates must lie within the data of the universe (its first to last day with bars). */
async function checkDatesInsideData(
  db: Db,
  { intervals, symbols, startDay, endDay, startField, endField }: { intervals: Interval[]; symbols: string[]; startDay: string; endDay: string; startField: string; endField: string },
): Promise<void> {
  const ranges = await Promise.all(intervals.map((interval) => getBarRange(db, { interval, symbols })));
  const firsts = ranges.flatMap((r) => (r.first ? [nyDayOf(r.first)] : [])).sort();
  const lasts = ranges.flatMap((r) => (r.last ? [nyDayOf(r.last)] : [])).sort();
  const first = firsts[0];
  const last = lasts[lasts.length - 1];
  if (!first || !last) return;
  const cover = `: ${intervals.join(" or ")} bars of ${list(symbols)} cover ${first} to ${last}`;
  if (startDay < first) throw reject("DATES_OUTSIDE_DATA", startField, `${startField} ${startDay} is before the data${cover}`);
  if (endDay > last) throw reject("DATES_OUTSIDE_DATA", endField, `${endField} ${endDay} is after the data${cover}`);
}

async function rangeText(db: Db, intervals: Interval[], symbols?: string[]): Promise<string> {
  const parts: string[] = [];
  for (const interval of intervals) {
    const r = await getBarRange(db, { interval, symbols });
    if (r.first && r.last) parts.push(`${interval} bars cover ${nyDayOf(r.first)} to ${nyDayOf(r.last)}`);
  }
  return parts.length > 0 ? ` (${parts.join("; ")})` : ` (there are no ${intervals.join(" or ")} bars${symbols ? ` for ${list(symbols)}` : ""} at all)`;
}

/**
 * The Start dialog's prefilled replay made ready (issue #26, the first hour): the minutes of its day and of the days
 * before it that its history reads, for every symbol a replay without symbols runs on, made once when the app starts
 * (the launcher calls it in the background) instead of when the first replay starts. Later starts cost a count per
 * day. Answers the day warmed, or null when the data has no replay day.
 */
export async function warmDefaultReplay(db: Db, day: string | null): Promise<string | null> {
  if (!day) return null;
  const plan = await planSession(db, { kind: "replay", day } as ValidSessionInput);
  await ensureReplayHistory(db, { day, symbols: plan.symbols });
  return day;
}
