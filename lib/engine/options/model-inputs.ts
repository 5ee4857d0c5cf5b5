import { EngineError } from "../errors";
import type { OptionRight } from "./occ";

/**
 * What a pricing model takes. Plain numbers, in units every caller can read from the names:
 * prices in dollars per share (not per contract: × OPTION_MULTIPLIER for a contract), `years` to expiry
 * (calendar days / 365 is the usual choice), `rate` and `dividendYield` continuously compounded per year
 * (0.05 = 5 %), `volatility` per √year (0.2 = 20 %).
 *
 * Models return floating-point numbers. They never become cash here: the order and fill code converts a
 * modelled price to Money once, at its boundary, rounded to the tick (see docs/engine.md, "Options").
 */
export interface OptionModelInputs {
  readonly right: OptionRight;
  /** The underlying's price: the stock for Black-Scholes-Merton and the tree, the futures price for Black-76. */
  readonly spot: number;
  readonly strike: number;
  readonly years: number;
  readonly rate: number;
  /** Continuous dividend yield q; 0 when absent. Ignored by Black-76. */
  readonly dividendYield?: number;
  readonly volatility: number;
}

/** Largest rate or yield accepted (±100 % a year): anything beyond is a units mistake (5 for 5 %). */
const MAX_RATE = 1;
/** Largest volatility a model accepts (1000 %). The implied-volatility solver searches a narrower range. */
export const MAX_MODEL_VOLATILITY = 10;

/**
 * Throws EngineError INVALID_MODEL_INPUT (a halt: the inputs come from our own code, a chain builder or a
 * valuation) when an input is not a finite number in its range.
 */
export function requireModelInputs(i: OptionModelInputs, model: string): void {
  const problem = modelInputsProblem(i);
  if (problem !== null) throw new EngineError("INVALID_MODEL_INPUT", `${model}: ${problem}`);
}

export function modelInputsProblem(i: OptionModelInputs): string | null {
  if (i.right !== "call" && i.right !== "put") return `right must be "call" or "put", got ${String(i.right)}`;
  const positive: [string, number][] = [["spot", i.spot], ["strike", i.strike]];
  for (const [name, v] of positive) if (!(Number.isFinite(v) && v > 0)) return `${name} must be a finite price above 0, got ${v}`;
  if (!(Number.isFinite(i.years) && i.years >= 0 && i.years <= 100)) return `years must be from 0 to 100, got ${i.years}`;
  const rates: [string, number][] = [["rate", i.rate], ["dividendYield", i.dividendYield ?? 0]];
  for (const [name, v] of rates) {
    if (!(Number.isFinite(v) && Math.abs(v) <= MAX_RATE)) return `${name} must be a yearly fraction from −1 to 1 (0.05 = 5 %), got ${v}`;
  }
  if (!(Number.isFinite(i.volatility) && i.volatility >= 0 && i.volatility <= MAX_MODEL_VOLATILITY)) {
    return `volatility must be from 0 to ${MAX_MODEL_VOLATILITY} per √year (0.2 = 20 %), got ${i.volatility}`;
  }
  return null;
}

/** What an option pays if exercised now at `spot`. */
export function intrinsicValue(right: OptionRight, spot: number, strike: number): number {
  return Math.max(0, right === "call" ? spot - strike : strike - spot);
}
