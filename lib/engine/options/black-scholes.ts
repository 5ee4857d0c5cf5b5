import type { Greeks } from "./greeks";
import { greeksOf } from "./greeks";
import type { OptionModelInputs } from "./model-inputs";
import { requireModelInputs } from "./model-inputs";
import { normalCdf, normalPdf } from "./normal";

/** A model's price per share and its Greeks. */
export interface OptionValuation {
  readonly price: number;
  readonly greeks: Greeks;
}

/** Black-76 inputs: a European option on a futures (or forward) price, discounted at `rate`. */
export interface Black76Inputs {
  readonly right: OptionModelInputs["right"];
  readonly forward: number;
  readonly strike: number;
  readonly years: number;
  readonly rate: number;
  readonly volatility: number;
}

/**
 * Black-Scholes-Merton: a European option on a stock paying a continuous dividend yield q (Merton 1973;
 * Hull, Options, Futures and Other Derivatives, ch. 15 and 17). Rho moves r with q held, so the carry r − q moves.
 */
export function blackScholesMerton(i: OptionModelInputs): OptionValuation {
  requireModelInputs(i, "Black-Scholes-Merton");
  return generalized(i, i.rate - (i.dividendYield ?? 0), true);
}

/** The Black-Scholes-Merton price alone (what the implied-volatility solver evaluates). */
export function bsmPrice(i: OptionModelInputs): number {
  return blackScholesMerton(i).price;
}

/**
 * Black-76: a European option on a futures price F (Black 1976; Hull ch. 18). Delta and gamma are with respect
 * to F; rho moves r with F held, so rho = −T × price.
 */
export function black76(i: Black76Inputs): OptionValuation {
  const asModel: OptionModelInputs = { right: i.right, spot: i.forward, strike: i.strike, years: i.years, rate: i.rate, volatility: i.volatility };
  requireModelInputs(asModel, "Black-76");
  return generalized(asModel, 0, false);
}

export function black76Price(i: Black76Inputs): number {
  return black76(i).price;
}

/**
 * The generalized Black-Scholes formula with cost of carry b (Haug, The Complete Guide to Option Pricing
 * Formulas, 2nd ed., 1.1.6): b = r − q for a stock with yield q, b = 0 for a futures contract. When σ√T is 0
 * (at expiry, or no volatility) the option is worth its discounted forward intrinsic value; N(d) becomes 1, 0
 * or ½ (at the money) and gamma and vega are 0.
 */
function generalized(i: OptionModelInputs, carry: number, rateMovesCarry: boolean): OptionValuation {
  const { spot: s, strike: k, years: t, rate: r, volatility: sigma } = i;
  const carryDiscount = Math.exp((carry - r) * t);
  const discount = Math.exp(-r * t);
  const sqrtT = Math.sqrt(t);
  const spread = sigma * sqrtT;
  const call = i.right === "call";
  const sign = call ? 1 : -1;
  // n1, n2: N(d1), N(d2) for a call, N(−d1), N(−d2) for a put (exact in the far tail, unlike 1 − N(d)).
  let n1: number, n2: number, pd1: number;
  if (spread < 1e-12) {
    const forward = s * Math.exp(carry * t);
    n1 = n2 = forward === k ? 0.5 : (forward > k) === call ? 1 : 0;
    pd1 = 0;
  } else {
    const d1 = (Math.log(s / k) + (carry + (sigma * sigma) / 2) * t) / spread;
    const d2 = d1 - spread;
    n1 = normalCdf(sign * d1);
    n2 = normalCdf(sign * d2);
    pd1 = normalPdf(d1);
  }
  const price = Math.max(0, sign * (s * carryDiscount * n1 - k * discount * n2));
  const decay = spread < 1e-12 ? 0 : (-s * carryDiscount * pd1 * sigma) / (2 * sqrtT);
  const thetaPerYear = decay - sign * ((carry - r) * s * carryDiscount * n1 + r * k * discount * n2);
  const rhoPerUnit = rateMovesCarry ? sign * t * k * discount * n2 : -t * price;
  return {
    price,
    greeks: greeksOf({
      delta: sign * carryDiscount * n1,
      gamma: spread < 1e-12 ? 0 : (carryDiscount * pd1) / (s * spread),
      thetaPerYear,
      vegaPerUnit: s * carryDiscount * pd1 * sqrtT,
      rhoPerUnit,
    }),
  };
}

