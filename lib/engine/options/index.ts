/** Options in the pure engine: contracts (OCC symbols), pricing models, Greeks, implied volatility, strikes. See docs/engine.md, "Options". */
export type { OptionContractSpec, OptionRight } from "./occ";
export { formatOccSymbol, isOccSymbol, MAX_STRIKE, OPTION_MULTIPLIER, optionContract, parseOccSymbol } from "./occ";
export type { OptionModelInputs } from "./model-inputs";
export { intrinsicValue, MAX_MODEL_VOLATILITY } from "./model-inputs";
export type { Greeks } from "./greeks";
export { DAYS_PER_YEAR } from "./greeks";
export type { Black76Inputs, OptionValuation } from "./black-scholes";
export { black76, black76Price, blackScholesMerton, bsmPrice } from "./black-scholes";
export type { TreeOptions } from "./binomial-tree";
export { crrPrice, crrTree, DEFAULT_TREE_STEPS, MAX_TREE_STEPS } from "./binomial-tree";
export type { ImpliedVolatilityInputs, VolatilityModel } from "./implied-volatility";
export { impliedVolatility, IV_MAX, IV_MIN, IV_TOLERANCE } from "./implied-volatility";
export { normalCdf, normalPdf } from "./normal";
export { isListedStrike, nextStrikeAbove, nextStrikeBelow, strikeStep, strikesAround } from "./strike-grid";
export { cashSecuredPutReserve, coveredContracts, nakedOptionRequirement, outOfTheMoney } from "./option-margin";
export type { ShortOptionInputs } from "./option-margin";
export { EXERCISE_THRESHOLD, inTheMoney, settleExpiries } from "./expiry";
export type { ExpirySettlement, ExpiringPosition, SettlementFill } from "./expiry";
export { realisedVolatility, TRADING_DAYS_PER_YEAR } from "./realised-volatility";
export type { VolatilityBase } from "./volatility-surface";
export {
  atTheMoneyVolatility,
  clampVolatility,
  LONG_VOL_RETURNS,
  SHORT_VOL_RETURNS,
  standardisedMoneyness,
  surfaceVolatility,
  VOL_CAP,
  VOL_FLOOR,
} from "./volatility-surface";
export type { ModelQuote, SpreadInput } from "./quote-spread";
export { modelQuote, spreadWidth, tickCents } from "./quote-spread";
export { POSITION_INTENTS, sideOfIntent } from "./position-intent";
export type { PositionIntent } from "./position-intent";
export type { OptionLeg, ParsedLeg, StockLeg, StrategyLeg } from "./strategies/legs";
export { MAX_LEGS, MIN_LEGS, parseLegs, underlyingOf } from "./strategies/legs";
export type { StrategyName, StrategyShape } from "./strategies/recognize-strategy";
export { recognizeStrategy } from "./strategies/recognize-strategy";
export type { ButterflySpec, CalendarSpec, IronButterflySpec, IronCondorSpec, StraddleSpec, StrangleSpec, VerticalSpec } from "./strategies/strategy-builders";
export { butterfly, calendar, ironButterfly, ironCondor, straddle, strangle, vertical } from "./strategies/strategy-builders";
export { payoffAtExpiry, payoffCurve } from "./strategies/strategy-payoff";
export { strategyGreeks } from "./strategies/strategy-greeks";
export type { StrategyProfile } from "./strategies/strategy-profile";
export { netPriceProblem, strategyProfile } from "./strategies/strategy-profile";
export type { LongContracts, PairedMargin, StrategyGroup, StrategyMarginKind, WrittenContracts } from "./strategies/strategy-margin";
export { pairWrittenContracts, spreadRequirement, STRATEGY_MARGIN_KINDS } from "./strategies/strategy-margin";
export type { LegQuote } from "./strategies/strategy-net-price";
export { netPriceAtQuotes, netPriceOf } from "./strategies/strategy-net-price";
export type { StrategyPreview } from "./strategies/preview-strategy";
export { previewStrategy } from "./strategies/preview-strategy";
