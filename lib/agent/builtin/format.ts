/** Formatting and sizing helpers for the built-ins' text. Deterministic (fixed locale). */
import { nyMinuteOf } from "@/lib/market";

/** One formatter for the process: `toLocaleString` with options builds a new one per call. */
const TWO_DECIMALS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function usd(n: number): string {
  const sign = n < 0 ? "-" : "";
  return `${sign}$${TWO_DECIMALS.format(Math.abs(n))}`;
}

export function signedUsd(n: number): string {
  return n > 0 ? `+${usd(n)}` : usd(n);
}

export function pct(fraction: number, digits = 1): string {
  const v = (fraction * 100).toFixed(digits);
  return fraction > 0 ? `+${v}%` : `${v}%`;
}

/** An instant as the desk shows the session clock: "2025-06-10 15:59 New York time" (the ISO text when it is not one). */
export function nyClock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${nyMinuteOf(new Date(t))} New York time`;
}

/** A decimal-dollar string from a tool ("1234.50") as a number; NaN when malformed. */
export function dollars(s: string | undefined): number {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s.trim())) return Number.NaN;
  return Number(s);
}

/** Whole shares affordable with `budget` at `price` (0 when either is not positive). */
export function sharesFor(budget: number, price: number): number {
  if (!(budget > 0) || !(price > 0)) return 0;
  return Math.floor(budget / price);
}

export function lastClose(bars: readonly { c: number }[] | undefined): number | undefined {
  return bars && bars.length > 0 ? bars[bars.length - 1]!.c : undefined;
}

export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
