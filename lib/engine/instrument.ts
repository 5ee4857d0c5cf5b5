import type { Money } from "./money";

/**
 * What can be traded: equities and option contracts, whose cash amounts scale by `multiplier` (100 for US equity
 * options). Engine arithmetic goes through `notional()` (cash-ledger.ts), which takes the multiplier from the symbol.
 */
export type Instrument = EquityInstrument | OptionInstrument;

export interface EquityInstrument {
  readonly kind: "equity";
  readonly symbol: string;
  readonly multiplier: 1;
}

export interface OptionInstrument {
  readonly kind: "option";
  /** OCC-style contract symbol. */
  readonly symbol: string;
  readonly underlying: string;
  readonly multiplier: number;
  readonly strike: Money;
  /** Expiry date as "YYYY-MM-DD" (exchange calendar date, no time zone). */
  readonly expiry: string;
  readonly right: "call" | "put";
}

export function equity(symbol: string): EquityInstrument {
  return { kind: "equity", symbol, multiplier: 1 };
}

export const MAX_SYMBOL_LENGTH = 12;
/** 1–12 characters: A–Z, 0–9, "." and "-", starting with a letter or digit (length checked apart). */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.-]*$/;

export function isValidSymbol(symbol: string): boolean {
  return symbol.length <= MAX_SYMBOL_LENGTH && SYMBOL_PATTERN.test(symbol);
}

/** Why `input` is not a valid symbol, in words an LLM can act on; null when it is valid. */
export function symbolProblem(input: unknown): string | null {
  if (typeof input !== "string") {
    return `symbol must be a string ticker such as "AAPL", got ${describeValue(input)}`;
  }
  if (input.length === 0) return `symbol is empty; send a ticker such as "AAPL"`;
  if (input.length > MAX_SYMBOL_LENGTH) {
    return `symbol is ${input.length} characters long; tickers have at most ${MAX_SYMBOL_LENGTH} (e.g. "AAPL", "BRK.B")`;
  }
  if (SYMBOL_PATTERN.test(input)) return null;
  const upper = input.toUpperCase();
  if (upper !== input && SYMBOL_PATTERN.test(upper)) {
    return `symbol ${quoteCut(input)} must be upper-case: send "${upper}"`;
  }
  return `symbol ${quoteCut(input)} may contain only A–Z, 0–9, "." and "-" and must start with a letter or digit (e.g. "AAPL", "BRK.B")`;
}

/** A quoted string for messages, cut after 24 characters so hostile input is never echoed in full. */
export function quoteCut(value: string): string {
  if (value.length <= 24) return JSON.stringify(value);
  return `${JSON.stringify(`${value.slice(0, 24)}…`)} (${value.length} characters)`;
}

/** A short, safe rendering of an untrusted value of any type for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${quoteCut(value)}`;
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
