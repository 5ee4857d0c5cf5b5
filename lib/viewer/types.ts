import type { MarginCallRow } from "./margin-calls";
import type { SESSION_STATUSES, TradingDefaults } from "@/lib/schemas/session";

/**
 * What the session viewer, the dashboard and the leaderboard show, as plain JSON (shared by the server
 * loaders and the browser). Money is a number of dollars here: display only; exact money stays in lib/engine.
 */
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_EVENT_TYPES = ["status", "decision", "order", "fill", "equity", "margin_call"] as const;
/** The viewer page ships the newest FIRST_DECISIONS; older ones load DECISION_PAGE at a time after it shows. */
export const FIRST_DECISIONS = 300;
export const DECISION_PAGE = 1_000;
export const isFinished = (s: SessionStatus) => s === "completed" || s === "failed" || s === "cancelled";

export type DecisionOutcome = "traded" | "held" | "failed";
export type OrderSide = "buy" | "sell" | "sell_short" | "buy_to_cover";

/** Metrics as stored on a finished session (lib/engine SessionMetrics, fees as a decimal string). */
export interface MetricsView {
  totalReturn: number | null;
  annualizedReturn: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  calmar: number | null;
  winRate: number | null;
  tradeCount: number;
  feesPaid: string | number;
}

/** Where the session's bars come from: shown as a badge, never hidden. */
export interface DataLabel {
  /** Every symbol is from the seeded synthetic market. */
  synthetic: boolean;
  /** Some bars were derived (minute bars made from hourly ones by a Brownian bridge). */
  derived: boolean;
  /** The bars' sources, e.g. ["synthetic"] or ["alpha-vantage"]. */
  sources: string[];
}

export interface SessionView {
  id: string;
  modelId: string;
  modelName: string;
  /** The user's name for this run ("prompt v2"), or null. */
  label: string | null;
  llm: string;
  /** A session an outside agent drives: the name of the model API token driving it ("driven by: …"); null otherwise. */
  drivenBy: string | null;
  /** The strategy prompt it runs with (the model's when it started); null where not loaded (lists of cards). */
  instructions: string | null;
  kind: "backtest" | "replay" | "paper";
  interval: "day" | "hour" | "minute";
  status: SessionStatus;
  symbols: string[];
  rangeStart: string | null;
  rangeEnd: string | null;
  decideEvery: number;
  /** The least wall time per bar (0: as fast as possible). */
  paceMs: number;
  /** Fees, slippage and shorting this session trades with (the model's defaults and the session's overrides). */
  trading: TradingDefaults;
  /** Stock borrow charged on shorts so far (apart from trading fees). */
  borrowFeesPaid: number;
  cursor: number;
  totalBars: number;
  startingCash: number;
  createdAt: string;
  startedAt: string | null;
  heartbeatAt: string | null;
  finishedAt: string | null;
  error: string | null;
  errorCode: string | null;
  metrics: MetricsView | null;
  benchmarkMetrics: MetricsView | null;
  /** The benchmark's name, e.g. "QQQ buy-and-hold" or "Equal-weight basket". */
  benchmarkName: string | null;
  data: DataLabel;
}

export interface DecisionSummary {
  id: string;
  /** Session clock of the bar, ISO. */
  clock: string;
  outcome: DecisionOutcome;
  /** The model's text, cut to a preview (the full text loads when the entry is expanded). */
  text: string;
  toolCalls: number;
  filledOrders: number;
  rejectedOrders: number;
  toolErrors: number;
  error: string | null;
  latencyMs: number;
}

export interface ToolCallView {
  id: string;
  step: number;
  name: string;
  input: unknown;
  ok: boolean;
  output?: unknown;
  error?: string;
  invalid?: boolean;
  note?: string;
}

/** A decision in full: loaded when its entry in the feed is expanded. */
export interface DecisionDetail extends DecisionSummary {
  fullText: string;
  llm: string;
  steps: number;
  errorCode: string | null;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: string | null;
  tools: ToolCallView[];
  /** Every model call behind the decision, as recorded when it returned (lib/trading/model-calls.ts). */
  modelCalls: ModelCallView[];
  /** The orders it placed (bracket legs too), each as it stands now with its life so far (lib/viewer/order-life.ts). */
  orders: DecisionOrderView[];
  /** Every fill of those orders, at whatever later bar it came. */
  fills: FillView[];
}

/** An order in a decision's details: the order, its kind and prices (dollars), and when it triggered and ended. */
export interface DecisionOrderView extends OrderView {
  type: string;
  timeInForce: string;
  orderClass: string;
  leg: string;
  parentId: string | null;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  triggeredAt: string | null;
  /** Session clock of a working order's end (drizzle/0031); null while working, for market orders, and for ends between bars. */
  endedAt: string | null;
  statusReason: string | null;
  /** A multi-leg order (class mleg, the parent): its shape and profile per unit at the net it traded or was asked at. */
  strategy?: { name: string; label: string; netPrice: number | null; maxProfit: number | null; maxLoss: number | null; breakevens: number[] };
}

export interface ModelCallView {
  index: number;
  provider: string;
  model: string;
  latencyMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  finishReason: string | null;
  /** The tools the model asked for in this call, by name. */
  toolCalls: string[];
  /** The text the call answered, if any. */
  text: string;
}

export interface OrderView {
  id: string;
  decisionId: string | null;
  symbol: string | null;
  side: OrderSide | null;
  quantity: number | null;
  status: string;
  filledQuantity: number;
  referencePrice: number | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  placedAt: string;
}

/**
 * An order that still works (new, held, accepted, triggered, partially filled: lib/engine/order-state.ts) as the
 * viewer's table and the price chart's levels show it; prices in dollars (display only).
 */
export interface WorkingOrderView {
  id: string;
  symbol: string;
  side: OrderSide;
  type: string;
  timeInForce: string;
  orderClass: string;
  /** entry, take_profit or stop_loss. */
  leg: string;
  /** A bracket's or oto's entry, for its exit legs. */
  parentId: string | null;
  quantity: number;
  filledQuantity: number;
  status: string;
  limitPrice: number | null;
  /** stop, stop_limit: the trigger; trailing_stop: the stop now (it moves with the water mark). */
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  waterMark: number | null;
  triggered: boolean;
  statusReason: string | null;
  placedAt: string;
  /** A person asked to cancel it; the session's runner cancels it at its next bar. */
  cancelRequested: boolean;
}

export interface FillView {
  id: string;
  orderId: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: number;
  fee: number;
  cashAfter: number;
  realizedPnl: number | null;
  quantityAfter: number;
  filledAt: string;
}

export interface EquitySample {
  barIndex: number;
  /** Bar time, ISO. */
  t: string;
  equity: number;
  cash: number;
  benchmark: number | null;
}

export interface PositionView {
  symbol: string;
  quantity: number;
  /** Signed like quantity (docs/engine.md). */
  costBasis: number;
  realizedPnl: number;
  /** Its price at the last bar (the mark the account was valued at); the last fill's until a bar's marks arrive. */
  lastPrice: number | null;
}

/** Everything the viewer shows; the SSE stream folds events into it (lib/viewer/fold.ts). */
export interface ViewerState {
  session: SessionView;
  /** The last session_events seq folded in. */
  lastSeq: number;
  equity: EquitySample[];
  /** The newest decisions, oldest first (the feed shows them reversed). */
  decisions: DecisionSummary[];
  /** How many older decisions come before `decisions[0]` and are not loaded yet (they load in pages). */
  olderDecisions: number;
  /** Every fill (price-chart markers, positions, live metrics); orders load with a decision's details. */
  fills: FillView[];
  /** The orders still working, oldest first (lib/viewer/working-orders.ts folds the `order` events into them). */
  workingOrders: WorkingOrderView[];
  positions: PositionView[];
  cash: number;
  /** The benchmark's value at each bar of the schedule (same starting cash); null when there is none. */
  benchmark: number[] | null;
  /** The orders of option expiries (exercise, assignment, expiring worthless), oldest first: rows of their own in the feed. */
  settlements: SettlementOrderView[];
  /** Margin calls issued and enforced (lib/viewer/margin-calls.ts), oldest first: rows of their own in the feed. */
  marginCalls: MarginCallRow[];
}

/** One event of GET /api/v1/sessions/:id/events (session_events row). */
export interface SessionEvent {
  seq: number;
  type: (typeof SESSION_EVENT_TYPES)[number];
  at: string | null;
  payload: Record<string, unknown>;
}

/** A position's or the book's Greeks: share-equivalents (delta, gamma), dollars a day (theta), dollars per volatility point (vega). */
export interface GreekTotalsView {
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  /** Decimal dollars at the mark. */
  value: string;
}

/** An option position's Greeks at the session's clock, modelled (get_portfolio's `options`: lib/trading/option-greeks.ts). */
export interface OptionPositionGreeksView {
  symbol: string;
  underlying: string;
  expiry: string;
  right: "call" | "put";
  strike: number;
  quantity: number;
  underlyingPrice: number;
  daysToExpiry: number;
  iv: number;
  /** Per share. */
  mark: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  /** Its chain row's: a provider's quote (volatility implied from its mid) or Bullpen's model. */
  source: "modelled" | "quoted";
  position: GreekTotalsView;
}

export interface OptionGreeksView {
  /** The clock they are modelled at (the session's last bar), ISO. */
  at: string;
  source: "modelled" | "quoted" | "mixed";
  /** What the chain prices at: a payoff "today" uses them. */
  rate: number;
  dividendYield: number;
  positions: OptionPositionGreeksView[];
  totals: GreekTotalsView;
  underlyings: { underlying: string; shares: number; optionDelta: number; netDelta: number }[];
  /** While contracts are written: what the shorts require now and the cash beyond it (below 0: a margin call). */
  margin?: { requirement: number; excess: number };
}

/** One contract of a chain (modelled or quoted) as the viewer's chain view shows it (get_option_chain's row). */
export interface OptionChainRowView {
  symbol: string;
  expiry: string;
  right: "call" | "put";
  strike: number;
  bid: number;
  ask: number;
  mid: number;
  iv: number;
  delta: number;
}

export interface OptionChainView {
  underlying: string;
  underlyingPrice: number;
  at: string;
  /** "quoted": a provider's bids and asks (the volatility implied by each mid); "modelled": Bullpen's chain model. */
  source: "modelled" | "quoted";
  expiries: { expiry: string; kind: "weekly" | "monthly" }[];
  /** The expiry shown. */
  expiry: string;
  contracts: OptionChainRowView[];
}

/**
 * An order the session placed itself at an option's expiry (decision null; lib/trading/settle-expiries.ts): the
 * contract's close (at 0 or its intrinsic value) or the shares it delivered, with the reason. From the `order` events.
 */
export interface SettlementOrderView {
  id: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  /** Per share (the contract's close price, or the strike for a delivery). */
  price: number;
  reason: ExpiryOutcome;
  /** The bar's clock, ISO. */
  placedAt: string;
}

export const EXPIRY_OUTCOMES = ["exercised", "assigned", "expired_worthless", "closed_at_intrinsic"] as const;
export type ExpiryOutcome = (typeof EXPIRY_OUTCOMES)[number];
