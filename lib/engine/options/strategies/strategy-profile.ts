import type { Money } from "../../money";
import { formatMoney, formatPrice } from "../../money-format";
import type { ParsedLeg } from "./legs";
import { recognizeStrategy } from "./recognize-strategy";
import { payoffAtExpiry, payoffPoints, singleExpiry, slopeAboveStrikes, zerosOf } from "./strategy-payoff";

/**
 * What one unit of a strategy can make and lose if held to expiry, at the net price it is placed at, in dollars (the
 * per-share prices × 100). maxProfit null: unlimited (the payoff rises without bound above the strikes); maxLoss null:
 * unlimited. maxLoss is the loss as a positive amount (negative only when every outcome gains: a price no one takes).
 * For legs on two expiries (calendars, diagonals) the payoff at the first expiry depends on the later leg's time value,
 * which is not modelled here: a long calendar's maximum loss is its debit (the later option, bought, is worth at
 * least the earlier one sold at the same strike); every other figure is null and `note` says why.
 */
export interface StrategyProfile {
  readonly maxProfit: Money | null;
  readonly maxLoss: Money | null;
  /** Underlying prices at expiry where the payoff is 0, ascending, to the nearest micro. */
  readonly breakevens: readonly Money[];
  /** Why figures are null other than unlimited (multi-expiry legs); null for single-expiry strategies. */
  readonly note: string | null;
}

const MULTIPLIER = 100n;

export function strategyProfile(legs: readonly ParsedLeg[], netPrice: Money): StrategyProfile {
  if (!singleExpiry(legs)) {
    const name = recognizeStrategy(legs).name;
    const note = "legs on two expiries: the later leg's value at the first expiry (its time value) is not modelled";
    if (name === "long_calendar") return { maxProfit: null, maxLoss: netPrice * MULTIPLIER, breakevens: [], note: `${note}; a long calendar can lose at most its debit` };
    return { maxProfit: null, maxLoss: null, breakevens: [], note };
  }
  const points = payoffPoints(legs);
  const values = points.map((s) => payoffAtExpiry(legs, s, netPrice)!);
  const slope = slopeAboveStrikes(legs);
  const best = values.reduce((a, b) => (b > a ? b : a));
  const worst = values.reduce((a, b) => (b < a ? b : a));
  return {
    maxProfit: slope > 0n ? null : best,
    maxLoss: slope < 0n ? null : -worst,
    breakevens: zerosOf(points, values, slope),
    note: null,
  };
}

/**
 * Why `netPrice` cannot be right for these legs, in words, or null: a debit shape (bought: a long vertical, a long
 * straddle...) given a credit, a credit shape (sold: a credit vertical, an iron condor...) given a debit, or, for a
 * single expiry, a price at which every outcome loses (more paid than the legs can ever be worth) or every outcome
 * gains (more credit than the legs can ever cost). "custom" shapes take either sign.
 */
export function netPriceProblem(legs: readonly ParsedLeg[], netPrice: Money): string | null {
  const shape = recognizeStrategy(legs);
  const price = formatPrice(netPrice < 0n ? -netPrice : netPrice);
  if (shape.flow === "debit" && netPrice < 0n) {
    return `${withArticle(shape.label)} is bought for a debit (a positive net price, paid); -${price} would be a credit received for it: give the most you will pay as a positive limit, e.g. ${price}`;
  }
  if (shape.flow === "credit" && netPrice > 0n) {
    return `${withArticle(shape.label)} is sold for a credit (a negative net price, received); ${price} would pay a debit for it: give the least credit you will take as a negative limit, e.g. -${price}`;
  }
  if (!singleExpiry(legs)) return null;
  const profile = strategyProfile(legs, netPrice);
  const custom = shape.name === "custom";
  const what = custom ? "these legs" : `the ${shape.label}`;
  if (profile.maxProfit !== null && profile.maxProfit < 0n) {
    return `at a net price of ${formatPrice(netPrice)} ${what} ${custom ? "lose" : "loses"} at every price at expiry (${formatMoney(-profile.maxProfit)} a unit at best): the legs are never worth more than ${formatPrice(netPrice + profile.maxProfit / MULTIPLIER)} a share at expiry`;
  }
  if (profile.maxLoss !== null && profile.maxLoss < 0n) {
    const least = netPrice - profile.maxLoss / MULTIPLIER; // the legs' least value at expiry, per share
    const why = least <= 0n ? `settling the legs costs at most ${formatPrice(-least)} a share, less than the credit` : `they are always worth at least ${formatPrice(least)} a share`;
    return `at a net price of ${formatPrice(netPrice)} ${what} ${custom ? "gain" : "gains"} at every price at expiry (${formatMoney(-profile.maxLoss)} a unit at least), a price no one takes: ${why}`;
  }
  return null;
}


const withArticle = (label: string) => `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
