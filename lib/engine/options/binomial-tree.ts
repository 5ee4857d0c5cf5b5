import { EngineError } from "../errors";
import type { OptionValuation } from "./black-scholes";
import { greeksOf } from "./greeks";
import type { OptionModelInputs } from "./model-inputs";
import { intrinsicValue, requireModelInputs } from "./model-inputs";

/**
 * Cox-Ross-Rubinstein binomial tree (Cox, Ross & Rubinstein 1979; Hull ch. 13 and 21) for options on a stock
 * with a continuous dividend yield: u = e^(σ√Δt), d = 1/u, p = (e^((r−q)Δt) − d)/(u − d), discounting at r.
 * American exercise compares each node's continuation value with the intrinsic value.
 *
 * The CRR price oscillates between odd and even step counts. `averageOddEven` prices with `steps` and
 * `steps + 1` and returns the mean, which cancels most of the oscillation (Broadie & Detemple 1996 discuss
 * this and other corrections); options.test.ts prints both sequences for Hull's American put.
 */
export interface TreeOptions {
  readonly exercise: "american" | "european";
  /** Time steps, 2 to MAX_TREE_STEPS; DEFAULT_TREE_STEPS when absent. Work grows as steps². */
  readonly steps?: number;
  readonly averageOddEven?: boolean;
}

export const DEFAULT_TREE_STEPS = 500;
export const MAX_TREE_STEPS = 5000;

/** The tree's price per share alone. */
export function crrPrice(i: OptionModelInputs, options: TreeOptions): number {
  requireTreeInputs(i, options);
  const steps = options.steps ?? DEFAULT_TREE_STEPS;
  if (!options.averageOddEven) return roll(i, options.exercise, steps).price;
  return (roll(i, options.exercise, steps).price + roll(i, options.exercise, steps + 1).price) / 2;
}

/**
 * Price and Greeks. Delta, gamma and theta come from the tree's first two steps (Hull 21.1); vega and rho
 * by central differences of the tree's price (σ ± 0.01, r ± 0.001: wide enough to step over the lattice's jitter), on the same number of steps.
 */
export function crrTree(i: OptionModelInputs, options: TreeOptions): OptionValuation {
  requireTreeInputs(i, options);
  const steps = options.steps ?? DEFAULT_TREE_STEPS;
  const counts = options.averageOddEven ? [steps, steps + 1] : [steps];
  const rolls = counts.map((n) => roll(i, options.exercise, n));
  const mean = (f: (r: Roll) => number) => rolls.reduce((sum, r) => sum + f(r), 0) / rolls.length;
  const price = mean((r) => r.price);
  if (i.years === 0) {
    return { price, greeks: greeksOf({ delta: mean((r) => r.delta), gamma: 0, thetaPerYear: 0, vegaPerUnit: 0, rhoPerUnit: 0 }) };
  }
  const bumped = (change: Partial<OptionModelInputs>) => crrPrice({ ...i, ...change }, options);
  const dSigma = Math.min(0.01, i.volatility / 2);
  const dRate = 0.001;
  return {
    price,
    greeks: greeksOf({
      delta: mean((r) => r.delta),
      gamma: mean((r) => r.gamma),
      thetaPerYear: mean((r) => r.thetaPerYear),
      vegaPerUnit: (bumped({ volatility: i.volatility + dSigma }) - bumped({ volatility: i.volatility - dSigma })) / (2 * dSigma),
      rhoPerUnit: (bumped({ rate: i.rate + dRate }) - bumped({ rate: i.rate - dRate })) / (2 * dRate),
    }),
  };
}

/**
 * The lowest volatility an n-step tree can price: below |r − q| × √Δt the up-probability leaves (0, 1)
 * (the carry outruns the branches). The implied-volatility solver starts its search above it.
 */
export function treeVolatilityFloor(i: Pick<OptionModelInputs, "years" | "rate" | "dividendYield">, steps: number): number {
  return Math.abs(i.rate - (i.dividendYield ?? 0)) * Math.sqrt(i.years / steps);
}

interface Roll {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly thetaPerYear: number;
}

function roll(i: OptionModelInputs, exercise: TreeOptions["exercise"], steps: number): Roll {
  const { spot: s, strike: k, right } = i;
  if (i.years === 0) {
    const delta = intrinsicValue(right, s, k) > 0 ? (right === "call" ? 1 : -1) : 0;
    return { price: intrinsicValue(right, s, k), delta, gamma: 0, thetaPerYear: 0 };
  }
  const dt = i.years / steps;
  const up = Math.exp(i.volatility * Math.sqrt(dt));
  const down = 1 / up;
  const p = (Math.exp((i.rate - (i.dividendYield ?? 0)) * dt) - down) / (up - down);
  if (!(p > 0 && p < 1)) {
    throw new EngineError(
      "INVALID_MODEL_INPUT",
      `binomial tree: the up-probability is ${p.toFixed(4)}, outside (0, 1), with ${steps} steps: the carry r − q is large for volatility ${i.volatility}; use more steps`,
    );
  }
  const discount = Math.exp(-i.rate * dt);
  const pu = discount * p;
  const pd = discount * (1 - p);
  const american = exercise === "american";
  const upSquared = up * up;
  const values = new Float64Array(steps + 1);
  let price = s * Math.pow(down, steps);
  for (let j = 0; j <= steps; j++, price *= upSquared) values[j] = intrinsicValue(right, price, k);
  const kept: number[][] = [];
  for (let step = steps - 1; step >= 0; step--) {
    let node = s * Math.pow(down, step);
    for (let j = 0; j <= step; j++, node *= upSquared) {
      const held = pu * values[j + 1]! + pd * values[j]!;
      values[j] = american ? Math.max(held, intrinsicValue(right, node, k)) : held;
    }
    if (step <= 2) kept[step] = Array.from(values.subarray(0, step + 1));
  }
  const [f0, f1, f2] = [kept[0]!, kept[1]!, kept[2]];
  const delta = (f1[1]! - f1[0]!) / (s * up - s * down);
  if (!f2) return { price: f0[0]!, delta, gamma: 0, thetaPerYear: 0 };
  const gamma = ((f2[2]! - f2[1]!) / (s * upSquared - s) - (f2[1]! - f2[0]!) / (s - s * down * down)) / (0.5 * (s * upSquared - s * down * down));
  return { price: f0[0]!, delta, gamma, thetaPerYear: (f2[1]! - f0[0]!) / (2 * dt) };
}

function requireTreeInputs(i: OptionModelInputs, options: TreeOptions): void {
  requireModelInputs(i, "binomial tree");
  const steps = options.steps ?? DEFAULT_TREE_STEPS;
  if (!Number.isInteger(steps) || steps < 2 || steps > MAX_TREE_STEPS) {
    throw new EngineError("INVALID_MODEL_INPUT", `binomial tree: steps must be a whole number from 2 to ${MAX_TREE_STEPS}, got ${steps}`);
  }
  if (options.exercise !== "american" && options.exercise !== "european") {
    throw new EngineError("INVALID_MODEL_INPUT", `binomial tree: exercise must be "american" or "european", got ${String(options.exercise)}`);
  }
  if (i.years > 0 && i.volatility <= 0) {
    throw new EngineError("INVALID_MODEL_INPUT", "binomial tree: volatility must be above 0 before expiry (the tree has no branches at 0)");
  }
}
