/**
 * Bullpen's trading engine: pure TypeScript, no I/O, no clock, no randomness. See docs/engine.md.
 */
export type { Result } from "./result";
export { ok, err } from "./result";
export type { EngineErrorCode, EngineFailure, ErrorCategory, HaltCode, RejectCode } from "./errors";
export { EngineError, errorCategory, failure, HALT_CODES, REJECT_CODES } from "./errors";
export type { RoundingMode } from "./rounding";
export { divRound } from "./rounding";

export type { Money } from "./money";
export { MAX_PRICE_NUMBER, MICROS_PER_DOLLAR, ZERO, parseMoney, priceToMoney, moneyToNumber, toDecimalString } from "./money";
export { absMoney, minMoney, maxMoney } from "./money";
export { formatMoney, formatPrice } from "./money-format";

export type { EquityInstrument, Instrument, OptionInstrument } from "./instrument";
export { equity, isValidSymbol, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN, symbolProblem } from "./instrument";
export type { MarketOrderRequest, OrderClass, OrderRequest, OrderSide, OrderType, TimeInForce, Trail } from "./order";
export { isBuySide, isOpeningSide, isValidQuantity, ORDER_CLASSES, ORDER_SIDES, ORDER_TYPES, orderClassOf, quantityProblem, sideSign, TIME_IN_FORCE, timeInForceOf } from "./order";
export { orderRequestSchema, parseOrderRequest } from "./parse-order-request";
export type { OrderEvent, OrderStatus } from "./order-state";
export { fillEvent, isTerminalStatus, ORDER_EVENTS, ORDER_STATUSES, ORDER_TRANSITIONS, transition } from "./order-state";

export type { FeeModel } from "./fees";
export { computeFee, feeModelProblem, FREE_FEES } from "./fees";
export { applySlippage, slippageProblem } from "./slippage";
export { fillCashDelta, multiplierOf, notional } from "./cash-ledger";
export type { Fill } from "./fill";
export { fillProblem } from "./fill";

export type { Position, PositionChange } from "./position";
export { applyFillToPosition, averageCost, flatPosition, unrealizedPnl } from "./position";
export type { AccountState, AppliedFill } from "./account";
export { applyFill, createAccount, foldFills } from "./account";
export type { BorrowFees, BorrowFeeTerms } from "./borrow-fee";
export { accrueBorrowFees, computeBorrowFees } from "./borrow-fee";
export { marginRequirement, shortValueAfter } from "./margin";
export type { AccountMargin, MarginKind, MarginLine } from "./account-margin";
export { accountMargin, MARGIN_KINDS, marginSymbols, mayNeedMargin } from "./account-margin";
export type { CheckOrderInput, ProposedFill, TradingSettings } from "./check-order";
export { checkOrder } from "./check-order";
export type { CheckComboInput, ComboLegFill } from "./check-combo";
export { checkCombo, withLegs } from "./check-combo";
export type { WorkingOrder } from "./working-orders";
export { remainingQuantity, workingOrdersFor } from "./working-orders";
export type { AcceptedWorkingOrder, CheckWorkingOrderInput } from "./check-working-order";
export { checkWorkingOrder } from "./check-working-order";
export type { CancelledWorkingOrder } from "./cancel-working-order";
export { cancelWorkingOrder } from "./cancel-working-order";
export type { ReservationSettings, Reserved } from "./reservations";
export { reservedBy, UNBOUNDED_RESERVE_BPS } from "./reservations";
export type { FillBar, FillModelSettings, MatchBarInput, MatchBarResult } from "./fill-model";
export { matchBar } from "./fill-model";
export type { BarPrices } from "./fill-rules";
export type { CancelReason, ExpireReason, ModelFill, OrderBookEvent } from "./fill-model-events";
export type { AccountValuation } from "./valuation";
export { valueAccount } from "./valuation";

export type { EquityPoint, MetricsInput, MetricsInterval, SessionMetrics } from "./metrics";
export { computeMetrics, PERIODS_PER_YEAR } from "./metrics";
export type { EndedByReplace, ReplaceChanges, ReplacedWorkingOrder, ReplaceResult, ReplaceWorkingOrderInput } from "./replace-working-order";
export { replaceWorkingOrder } from "./replace-working-order";
export { trailPercentProblem } from "./parse-order-request";
export { orderPriceProblem, orderPriceToMoney } from "./order-price";
export * from "./options";
