import { quoteCut } from "@/lib/engine/instrument";
import type { ProblemList } from "./errors";
import type { Interval } from "./types";

/** Raw field values as found in a file (strings, numbers, empty or missing). */
export interface RawOhlcv {
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  volume: unknown;
}

export interface Ohlcv {
  open: number;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
}

/** Text from a file for a message, cut after 24 characters so a huge cell is never echoed in full. */
export const cut = (text: string) => (text.length <= 24 ? text : `${text.slice(0, 24)}… (${text.length} characters)`);

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

function toNumber(name: string, v: unknown, errors: string[]): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && NUMBER_RE.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) {
    errors.push(`${name} ${typeof v === "string" ? quoteCut(v) : cut(String(JSON.stringify(v)))} is not a number`);
    return null;
  }
  if (n < 0) errors.push(`${name} ${n} is negative`);
  else if (n === 0 && name !== "volume") errors.push(`${name} is 0; prices must be positive`);
  return n;
}

/**
 * Validates one bar's prices and volume. A bar with only an open (high, low, close and volume all
 * missing) is "open-only": the source's bar still in progress. Returns the values or the errors.
 */
export function checkOhlcv(raw: RawOhlcv): { value: Ohlcv } | { errors: string[] } {
  const errors: string[] = [];
  if (isMissing(raw.open)) errors.push("missing open");
  const rest = { high: raw.high, low: raw.low, close: raw.close, volume: raw.volume };
  const missing = Object.entries(rest).filter(([, v]) => isMissing(v)).map(([k]) => k);
  const openOnly = missing.length === 4;
  if (!openOnly && missing.length > 0) errors.push(`missing ${missing.join(", ")}`);
  if (errors.length > 0) return { errors };

  const open = toNumber("open", raw.open, errors);
  if (openOnly) {
    return errors.length > 0 || open === null ? { errors } : { value: { open, high: null, low: null, close: null, volume: null } };
  }
  const high = toNumber("high", raw.high, errors);
  const low = toNumber("low", raw.low, errors);
  const close = toNumber("close", raw.close, errors);
  const volume = toNumber("volume", raw.volume, errors);
  if (errors.length > 0 || open === null || high === null || low === null || close === null || volume === null) {
    return { errors };
  }
  if (high < low) errors.push(`high ${high} is below low ${low}`);
  else {
    if (open < low || open > high) errors.push(`open ${open} is outside [low ${low}, high ${high}]`);
    if (close < low || close > high) errors.push(`close ${close} is outside [low ${low}, high ${high}]`);
  }
  return errors.length > 0 ? { errors } : { value: { open, high, low, close, volume } };
}

interface Seen {
  line: number;
  label: string;
  openOnly: boolean;
}

/**
 * Tracks the bars of each symbol and interval across a file: reports duplicate timestamps, and
 * open-only bars that are not the newest of their series (only the bar in progress may lack its close).
 */
export class SeriesTracker {
  private readonly series = new Map<string, { name: string; bars: Map<number, Seen> }>();

  /** Returns false (and records a problem) when the series already has a bar at this start. */
  add(problems: ProblemList, symbol: string, interval: Interval, startMs: number, seen: Seen): boolean {
    const key = `${symbol}\u0000${interval}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { name: symbol, bars: new Map() }));
    const first = s.bars.get(startMs);
    if (first) {
      problems.add(seen.line, `duplicate timestamp ${seen.label} for ${symbol} (first on line ${first.line})`);
      return false;
    }
    s.bars.set(startMs, seen);
    return true;
  }

  checkOpenOnlyIsNewest(problems: ProblemList): void {
    for (const { name, bars } of this.series.values()) {
      let newest = -Infinity;
      for (const startMs of bars.keys()) if (startMs > newest) newest = startMs;
      for (const [startMs, seen] of bars) {
        if (seen.openOnly && startMs !== newest) {
          problems.add(seen.line, `${name} ${seen.label} has only an open, but only the newest bar of a series may lack high, low, close and volume`);
        }
      }
    }
  }
}
