import { failure } from "../../errors";
import type { Money } from "../../money";
import { err, ok, type Result } from "../../result";
import { parseLegs, type ParsedLeg, type StrategyLeg } from "./legs";
import { recognizeStrategy, type StrategyShape } from "./recognize-strategy";
import { netPriceProblem, strategyProfile, type StrategyProfile } from "./strategy-profile";

export interface StrategyPreview {
  readonly legs: readonly ParsedLeg[];
  readonly shape: StrategyShape;
  /** Per unit, at the net price given. */
  readonly profile: StrategyProfile;
}

/**
 * Legs and a net price checked together, what an order or a preview needs: INVALID_LEGS (parseLegs) or
 * INVALID_ORDER_PRICE (netPriceProblem: a price of the wrong sign for the shape, or one at which every outcome loses
 * or gains), else the parsed legs, the shape and the profile per unit.
 */
export function previewStrategy(legs: readonly StrategyLeg[], netPrice: Money): Result<StrategyPreview> {
  const parsed = parseLegs(legs);
  if (!parsed.ok) return parsed;
  const problem = netPriceProblem(parsed.value, netPrice);
  if (problem !== null) return err(failure("INVALID_ORDER_PRICE", problem));
  return ok({ legs: parsed.value, shape: recognizeStrategy(parsed.value), profile: strategyProfile(parsed.value, netPrice) });
}
