import type { LanguageModelV4 } from "@ai-sdk/provider";
import { breakout } from "./breakout";
import { buyAndHold } from "./buy-and-hold";
import { coveredCall } from "./covered-call";
import { meanReversion } from "./mean-reversion";
import { createStrategyModel, type BuiltinModelSettings } from "./model";
import { momentum } from "./momentum";
import { random } from "./random";
import { BUILTIN_STRATEGY_NAMES, type AnyStrategy, type BuiltinStrategyName } from "./types";

export { parseDecisionLines, parseDecisionPrompt, type ParsedPrompt } from "./prompt";
export { MAX_SYMBOLS } from "./snapshot";
export { DEFAULT_SEED, type BuiltinModelSettings } from "./model";
export { BUILTIN_STRATEGY_NAMES, type BuiltinStrategyName } from "./types";

const FACTORIES: Record<BuiltinStrategyName, (settings: BuiltinModelSettings) => LanguageModelV4> = {
  "buy-and-hold": (s) => createStrategyModel(buyAndHold, s),
  momentum: (s) => createStrategyModel(momentum, s),
  "mean-reversion": (s) => createStrategyModel(meanReversion, s),
  random: (s) => createStrategyModel(random, s),
  breakout: (s) => createStrategyModel(breakout, s),
  "covered-call": (s) => createStrategyModel(coveredCall, s),
};

/** A built-in strategy as people choose it (the model form): its id, name, what it does, and its rule. */
export interface BuiltinStrategyInfo {
  name: BuiltinStrategyName;
  /** The model id that runs it: `builtin:<name>`. */
  llm: string;
  title: string;
  summary: string;
  /** The rule it trades by with its default parameters, in one sentence (the same words its decisions start with). */
  rule: string;
}

const info = <P>(s: AnyStrategy<P>): BuiltinStrategyInfo => ({ name: s.name, llm: `builtin:${s.name}`, title: s.title, summary: s.summary, rule: s.rule(s.params.parse({})) });

/** Every built-in strategy, in BUILTIN_STRATEGY_NAMES order, described by the strategy itself. */
export const BUILTIN_STRATEGIES: readonly BuiltinStrategyInfo[] = [info(buyAndHold), info(momentum), info(meanReversion), info(random), info(breakout), info(coveredCall)];

export function isBuiltinStrategyName(name: string): name is BuiltinStrategyName {
  return (BUILTIN_STRATEGY_NAMES as readonly string[]).includes(name);
}

/** `createBuiltinModel("momentum", { seed })` → a LanguageModelV4 with modelId "builtin:momentum". */
export function createBuiltinModel(name: BuiltinStrategyName, settings: BuiltinModelSettings = {}): LanguageModelV4 {
  return FACTORIES[name](settings);
}
