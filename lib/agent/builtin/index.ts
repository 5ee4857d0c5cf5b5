import type { LanguageModelV4 } from "@ai-sdk/provider";
import { buyAndHold } from "./buy-and-hold";
import { meanReversion } from "./mean-reversion";
import { createStrategyModel, type BuiltinModelSettings } from "./model";
import { momentum } from "./momentum";
import { random } from "./random";
import { BUILTIN_STRATEGY_NAMES, type BuiltinStrategyName } from "./types";

export { parseDecisionLines, parseDecisionPrompt, type ParsedPrompt } from "./prompt";
export { MAX_SYMBOLS } from "./snapshot";
export { DEFAULT_SEED, type BuiltinModelSettings } from "./model";
export { BUILTIN_STRATEGY_NAMES, type BuiltinStrategyName } from "./types";

const FACTORIES: Record<BuiltinStrategyName, (settings: BuiltinModelSettings) => LanguageModelV4> = {
  "buy-and-hold": (s) => createStrategyModel(buyAndHold, s),
  momentum: (s) => createStrategyModel(momentum, s),
  "mean-reversion": (s) => createStrategyModel(meanReversion, s),
  random: (s) => createStrategyModel(random, s),
};

export function isBuiltinStrategyName(name: string): name is BuiltinStrategyName {
  return (BUILTIN_STRATEGY_NAMES as readonly string[]).includes(name);
}

/** `createBuiltinModel("momentum", { seed })` → a LanguageModelV4 with modelId "builtin:momentum". */
export function createBuiltinModel(name: BuiltinStrategyName, settings: BuiltinModelSettings = {}): LanguageModelV4 {
  return FACTORIES[name](settings);
}
