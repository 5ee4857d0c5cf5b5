import { failure } from "../../errors";
import { err, ok, type Result } from "../../result";
import { greeksOf, type Greeks } from "../greeks";
import type { ParsedLeg } from "./legs";

/**
 * The Greeks of one unit of a strategy, per share of the unit as its net price is (a unit's dollars are × 100): the
 * legs' Greeks per share, each × its ratio, bought added and sold subtracted; a stock leg adds delta ratio / 100 a
 * share and nothing else. Floats, for display (never for cash). MISSING_PRICE names an option leg without Greeks.
 */
export function strategyGreeks(legs: readonly ParsedLeg[], greeksOfLeg: (symbol: string) => Greeks | undefined): Result<Greeks> {
  const sum = { delta: 0, gamma: 0, thetaPerYear: 0, vegaPerUnit: 0, rhoPerUnit: 0 };
  for (const l of legs) {
    const sign = l.side === "buy" ? 1 : -1;
    if (l.kind === "stock") {
      sum.delta += (sign * l.ratio) / 100;
      continue;
    }
    const g = greeksOfLeg(l.symbol);
    if (g === undefined) return err(failure("MISSING_PRICE", `no Greeks for ${l.symbol}, needed for the strategy's Greeks`));
    const w = sign * l.ratio;
    sum.delta += w * g.delta;
    sum.gamma += w * g.gamma;
    sum.thetaPerYear += w * g.thetaPerYear;
    sum.vegaPerUnit += w * g.vegaPerUnit;
    sum.rhoPerUnit += w * g.rhoPerUnit;
  }
  return ok(greeksOf(sum));
}
