import { failure } from "../errors";
import type { Result } from "../result";
import { err, ok } from "../result";
import type { TreeOptions } from "./binomial-tree";
import { crrPrice, DEFAULT_TREE_STEPS, treeVolatilityFloor } from "./binomial-tree";
import { black76Price, bsmPrice } from "./black-scholes";
import type { OptionModelInputs } from "./model-inputs";
import { intrinsicValue, modelInputsProblem } from "./model-inputs";
import { brentRoot } from "./root-finding";

/** The volatilities searched: 0.0001 (0.01 %) to 5 (500 %) per √year. */
export const IV_MIN = 1e-4;
export const IV_MAX = 5;
/** The solver stops when the volatility is known to within this (Brent's bracket half-width). */
export const IV_TOLERANCE = 1e-10;

/**
 * Which model the price came from. For "black-76", `spot` is the futures price and `dividendYield` is ignored.
 */
export type VolatilityModel =
  | { readonly model: "black-scholes-merton" }
  | { readonly model: "black-76" }
  | ({ readonly model: "binomial-tree" } & TreeOptions);

export type ImpliedVolatilityInputs = Omit<OptionModelInputs, "volatility">;

/**
 * The volatility at which `model` prices the option at `price` (per share), found by Brent's method on
 * [IV_MIN, IV_MAX] to IV_TOLERANCE. Every model price rises with volatility, so at most one fits.
 * Refused (NO_IMPLIED_VOLATILITY, the message naming the bound) when the price breaks a no-arbitrage bound
 * (below the intrinsic or discounted-forward value, at or above the stock's price for a call or the
 * strike's for a put) or lies outside the model's prices at IV_MIN and IV_MAX. A tree cannot price volatilities
 * below |r − q| √Δt (treeVolatilityFloor): for it the search starts at 1.001 × that floor when it is above IV_MIN.
 * Bad inputs other than the price throw INVALID_MODEL_INPUT, as the models do.
 */
export function impliedVolatility(price: number, inputs: ImpliedVolatilityInputs, model: VolatilityModel): Result<number> {
  const priceAt = pricer(inputs, model);
  const inputProblem = modelInputsProblem({ ...inputs, volatility: IV_MIN });
  if (inputProblem !== null) return refuse(inputProblem);
  if (!(Number.isFinite(price) && price >= 0)) return refuse(`the option price must be a finite number of dollars ≥ 0, got ${price}`);
  if (inputs.years === 0) return refuse("at expiry (years = 0) an option is worth its intrinsic value whatever the volatility");
  const { lower, upper, lowerWhat, upperWhat } = noArbitrageBounds(inputs, model);
  if (price < lower - 1e-12 * Math.max(1, lower)) {
    return refuse(`the price ${usd(price)} is below ${lowerWhat} ${usd(lower)}, an arbitrage: no volatility fits`);
  }
  if (price >= upper) return refuse(`the price ${usd(price)} is at or above ${upperWhat} ${usd(upper)}, an arbitrage: no volatility fits`);
  const low = lowestVolatility(inputs, model);
  const lowest = priceAt(low);
  const highest = priceAt(IV_MAX);
  const slack = 1e-12 * Math.max(1, price);
  const range = `[${round(low)}, ${IV_MAX}]`;
  if (price <= lowest + slack) {
    return refuse(`the price ${usd(price)} is at or below ${usd(lowest)}, the model's price at the lowest volatility searched (${round(low)} = ${round(low * 100)} %): no volatility in ${range} fits`);
  }
  if (price > highest) {
    return refuse(`the price ${usd(price)} is above ${usd(highest)}, the model's price at the highest volatility searched (${IV_MAX} = ${IV_MAX * 100} %): no volatility in ${range} fits`);
  }
  return ok(brentRoot((sigma) => priceAt(sigma) - price, low, IV_MAX, IV_TOLERANCE));
}

function lowestVolatility(inputs: ImpliedVolatilityInputs, model: VolatilityModel): number {
  if (model.model !== "binomial-tree") return IV_MIN;
  return Math.max(IV_MIN, 1.001 * treeVolatilityFloor(inputs, model.steps ?? DEFAULT_TREE_STEPS));
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

function pricer(inputs: ImpliedVolatilityInputs, model: VolatilityModel): (volatility: number) => number {
  switch (model.model) {
    case "black-scholes-merton":
      return (volatility) => bsmPrice({ ...inputs, volatility });
    case "black-76":
      return (volatility) =>
        black76Price({ right: inputs.right, forward: inputs.spot, strike: inputs.strike, years: inputs.years, rate: inputs.rate, volatility });
    case "binomial-tree":
      return (volatility) => crrPrice({ ...inputs, volatility }, model);
  }
}

/** The prices no model may leave (Hull ch. 11): a price outside them is free money for one side. */
function noArbitrageBounds(i: ImpliedVolatilityInputs, model: VolatilityModel) {
  const q = model.model === "black-76" ? i.rate : (i.dividendYield ?? 0);
  const carried = i.spot * Math.exp(-q * i.years);
  const discountedStrike = i.strike * Math.exp(-i.rate * i.years);
  const call = i.right === "call";
  const forwardValue = Math.max(0, call ? carried - discountedStrike : discountedStrike - carried);
  const american = model.model === "binomial-tree" && model.exercise === "american";
  const lower = american ? Math.max(forwardValue, intrinsicValue(i.right, i.spot, i.strike)) : forwardValue;
  const upper = call ? (american ? i.spot : carried) : american ? i.strike : discountedStrike;
  const underlying = model.model === "black-76" ? "futures price" : "stock price";
  return {
    lower,
    upper,
    lowerWhat: american ? "the intrinsic value (or discounted forward value)" : "the discounted forward intrinsic value",
    upperWhat: call ? `the ${american ? "" : "discounted "}${underlying}` : `the ${american ? "" : "discounted "}strike`,
  };
}

function refuse(message: string): Result<number> {
  return err(failure("NO_IMPLIED_VOLATILITY", `no implied volatility: ${message}`));
}

function usd(x: number): string {
  return `$${x.toFixed(x !== 0 && Math.abs(x) < 0.01 ? 6 : 4)}`;
}
