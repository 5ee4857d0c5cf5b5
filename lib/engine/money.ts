import { EngineError } from "./errors";

/**
 * Money is an integer number of micro-dollars held in a bigint: 1 dollar = 1_000_000n.
 * It matches the database's numeric(20,6) exactly, so no value ever passes through binary floating point.
 * A plain alias (not a brand) keeps bigint arithmetic free of casts; the name documents the unit.
 */
export type Money = bigint;

export const MICROS_PER_DOLLAR = 1_000_000n;
export const ZERO: Money = 0n;

/**
 * Largest price number we convert ($1 billion a share). Below it a double keeps 6 decimals apart
 * (spacing < 2.4e-7), so Math.round(price × 1e6) recovers the intended micros exactly.
 */
export const MAX_PRICE_NUMBER = 1e9;
const DECIMAL = /^(-)?(\d{1,30})(?:\.(\d{1,6}))?$/;

/**
 * Parses a decimal string such as "271.0884", "-3.5" or "12" (what Postgres returns for numeric(20,6)).
 * Strict: at most 6 decimals, no exponent, no separators. Throws EngineError INVALID_MONEY otherwise,
 * because a malformed stored amount is a data fault, not something to round away.
 */
export function parseMoney(text: string): Money {
  const m = DECIMAL.exec(text);
  if (!m) {
    const shown = text.length > 32 ? `${text.slice(0, 32)}…` : text;
    throw new EngineError(
      "INVALID_MONEY",
      `"${shown}" is not a decimal amount with at most 6 decimals (examples: "271.0884", "-3.5")`,
    );
  }
  const whole = BigInt(m[2] ?? "0");
  const frac = BigInt((m[3] ?? "").padEnd(6, "0"));
  const micros = whole * MICROS_PER_DOLLAR + frac;
  return m[1] ? -micros : micros;
}

/**
 * Converts a market price (a JS number of dollars with at most 6 decimals) to Money: Math.round(price × 1e6).
 * For such inputs the product lies within float error of an integer, so rounding recovers it exactly.
 * Throws EngineError INVALID_PRICE for NaN, ±Infinity, negatives and prices above MAX_PRICE_NUMBER; `symbol`,
 * when given, is named in its message ("bad price for AAPL: …").
 */
export function priceToMoney(price: number, symbol?: string): Money {
  if (!Number.isFinite(price) || price < 0 || price > MAX_PRICE_NUMBER) {
    const of = symbol === undefined ? "" : `bad price for ${symbol}: `;
    throw new EngineError("INVALID_PRICE", `${of}price ${price} is not a finite dollar amount from 0 to ${MAX_PRICE_NUMBER}`);
  }
  return BigInt(Math.round(price * 1e6));
}

/** Money as a float number of dollars: for charts and ratios only, never for cash. */
export function moneyToNumber(m: Money): number {
  return Number(m) / 1e6;
}

/** Exact decimal string with 6 decimals for the database: -3500000n → "-3.500000". */
export function toDecimalString(m: Money): string {
  const neg = m < 0n;
  const abs = neg ? -m : m;
  const whole = abs / MICROS_PER_DOLLAR;
  const frac = (abs % MICROS_PER_DOLLAR).toString().padStart(6, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

export function absMoney(m: Money): Money {
  return m < 0n ? -m : m;
}

export function minMoney(a: Money, b: Money): Money {
  return a < b ? a : b;
}

export function maxMoney(a: Money, b: Money): Money {
  return a > b ? a : b;
}
