import { blackScholesMerton } from "@/lib/engine/options/black-scholes";
import { crrPrice } from "@/lib/engine/options/binomial-tree";
import { intrinsicValue } from "@/lib/engine/options/model-inputs";
import { OPTION_MULTIPLIER, type OptionRight } from "@/lib/engine/options/occ";

/**
 * The payoff diagram of one option position (the viewer's "Payoff" chart): its profit and loss across underlying
 * prices at expiry (intrinsic value) and today (the model's price at today's volatility and time left), against what
 * was paid or received for it. Pure; priced by the engine's models as the modelled chain prices (lib/market/option-chain.ts):
 * calls by Black-Scholes-Merton (no dividends: an American call is worth its European price), puts by the
 * Cox-Ross-Rubinstein tree with early exercise.
 */
export interface PayoffInput {
  readonly right: OptionRight;
  readonly strike: number;
  /** Contracts, signed: negative = written. */
  readonly quantity: number;
  /** The average price per share paid (long) or received (written), ≥ 0. */
  readonly premium: number;
  /** The underlying's price now. */
  readonly spot: number;
  /** Calendar days to expiry. */
  readonly daysToExpiry: number;
  readonly volatility: number;
  readonly rate: number;
  readonly dividendYield?: number;
}

export interface PayoffPoint {
  /** The underlying's price. */
  readonly price: number;
  /** P&L in dollars if the underlying is at `price` at expiry. */
  readonly atExpiry: number;
  /** P&L in dollars if it were at `price` now. */
  readonly today: number;
}

/** Steps of the put tree, as the chain's (PUT_TREE_STEPS), odd and even averaged. */
const PUT_STEPS = 100;

/** P&L at expiry with the underlying at `s`: (intrinsic − premium) × quantity × 100. */
export function payoffAtExpiry(p: PayoffInput, s: number): number {
  return (intrinsicValue(p.right, s, p.strike) - p.premium) * p.quantity * OPTION_MULTIPLIER;
}

/** P&L now with the underlying at `s`: (model price − premium) × quantity × 100. */
export function payoffToday(p: PayoffInput, s: number): number {
  return (modelPrice(p, s) - p.premium) * p.quantity * OPTION_MULTIPLIER;
}

export function modelPrice(p: PayoffInput, s: number): number {
  const inputs = { right: p.right, spot: s, strike: p.strike, years: Math.max(0, p.daysToExpiry) / 365, rate: p.rate, dividendYield: p.dividendYield ?? 0, volatility: p.volatility };
  return p.right === "put" ? crrPrice(inputs, { exercise: "american", steps: PUT_STEPS, averageOddEven: true }) : blackScholesMerton(inputs).price;
}

/** The underlying's price at expiry where the position neither makes nor loses: strike ± premium (null: a put whose premium is its whole strike). */
export function breakeven(p: Pick<PayoffInput, "right" | "strike" | "premium">): number | null {
  const b = p.right === "call" ? p.strike + p.premium : p.strike - p.premium;
  return b > 0 ? b : null;
}

/**
 * The curve: `count` prices evenly across a range that holds the spot, the strike and the breakeven with a quarter
 * to spare each side (the strike itself among them, where the expiry line bends).
 */
export function payoffCurve(p: PayoffInput, count = 81): { points: PayoffPoint[]; breakeven: number | null } {
  const be = breakeven(p);
  const marks = [p.spot, p.strike, ...(be === null ? [] : [be])];
  const lo = Math.max(0.01, Math.min(...marks) * 0.75);
  const hi = Math.max(...marks) * 1.25;
  const step = (hi - lo) / (count - 1);
  const prices = Array.from({ length: count }, (_, i) => round2(lo + i * step));
  if (!prices.includes(p.strike)) prices.push(p.strike);
  prices.sort((a, b) => a - b);
  return { points: prices.map((s) => ({ price: s, atExpiry: payoffAtExpiry(p, s), today: payoffToday(p, s) })), breakeven: be };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
