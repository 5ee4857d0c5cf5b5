import "server-only";
import type { BarInterval } from "@/lib/agent/tool-contract";
import type { Db } from "@/lib/db/client";
import { recordModelCall, type ModelCallWrite } from "@/lib/db/queries/model-calls";
import type { ModelRow } from "@/lib/db/queries/models";
import { withUser, type Claims } from "@/lib/db/rls";
import { computeBorrowFees, EngineError, priceToMoney, type Money } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import { createMarketView, nyDayOf, type BarSource, type Interval, type MarketView } from "@/lib/market";
import type { SessionTradingRules } from "./trading-settings";
import type { SessionBook } from "./book";
import { applyCancelRequests } from "./cancel-order";
import { commitBar } from "./commit-bar";
import type { TradingContext } from "./context";
import { decide as defaultDecide, type DecideOptions, type DecisionResult } from "./decide";
import { decisionIdFor, uuidFrom } from "./ids";
import { finerViewOf, matchWorkingOrders } from "./match-working-orders";
import { withOptionMarks } from "./option-prices";
import { matchOptionOrders } from "./match-option-orders";
import { settleDueExpiries } from "./settle-expiries";
import { checkMarginAtBar } from "./margin-call";
import type { ModelCallRecord, RecordedCall } from "./model-calls";

export { decisionIdFor };

/** The decision (decide.ts); injectable so tests can script a bar. */
export type DecideFn = (ctx: TradingContext, options: DecideOptions) => Promise<DecisionResult>;

/** Everything a session's runner holds while it owns the session (runner.ts loads it at the claim). */
export interface SessionRun {
  db: Db;
  sessionId: string;
  userId: string;
  modelId: string;
  /** Built from the session row: the runner acts as the session's owner, nobody else. */
  claims: Claims;
  runnerId: string;
  interval: Interval;
  universe: readonly string[];
  schedule: readonly Date[];
  /** The next bar to run; the database's cursor when the runner claimed the session, advanced by each commit. */
  cursor: number;
  /** Replays: decide at bars whose index is a multiple of this; the others are only marked to market. */
  decideEvery: number;
  source: BarSource;
  model: DecideOptions["model"] & Pick<ModelRow, "llm">;
  rules: SessionTradingRules;
  /** The same rules in words, for the decision prompt. */
  tradingRules: string;
  maxSteps: number;
  timeoutMs: number;
  seed: number;
  /** The least wall time per bar (the runner waits out the rest); 0: none. */
  paceMs: number;
  decide: DecideFn;
  /** Replay exactly: every model answer comes from this session's record, none from a provider. */
  replayOf: string | null;
  /** The model calls already recorded for the bars from the cursor on (this session's, or the replayed one's), by bar and call. */
  recorded: ReadonlyMap<number, ReadonlyMap<number, RecordedCall>>;
  /** The session's cash and positions, owned by this runner (book.ts). */
  book: SessionBook;
  /** Aborted when the session is paused, cancelled or taken over, or the worker stops: the bar in flight ends unwritten. */
  signal: AbortSignal;
}

export type BarOutcome =
  | { kind: "recorded"; index: number; lastSeq: number; decided: boolean }
  /** Nothing to do: the bars are all run (finalize next). */
  | { kind: "done" }
  /** Not ours to write any more (paused, cancelled, taken over) or stopped from outside: nothing of the bar was written. */
  | { kind: "stop" };

/**
 * Runs the bar at the runner's cursor. The decision runs OUTSIDE any transaction, against the session
 * book (trades fill on it at once), at the bar time t: the market view over the preloaded bars shows the
 * closed bars before t and the opens at t. Every model call is recorded as it returns, so a bar run again
 * answers from the record. Then commitBar writes the bar whole in one short transaction, or not at all.
 */
export async function runBar(run: SessionRun): Promise<BarOutcome> {
  const index = run.cursor;
  if (index >= run.schedule.length) return { kind: "done" };
  const at = run.schedule[index]!;
  const clock = { now: () => at };
  const market = createMarketView({ clock, universe: run.universe, source: run.source, intervals: [run.interval] });
  const decisionId = decisionIdFor(run.sessionId, index);
  const decided = index % run.decideEvery === 0;
  // Borrow since the previous bar is owed by the shorts held over those nights: computed on the book
  // before this bar's trades (a short opened now owes nothing yet; one covered now still owes its nights).
  const prices = await pricesOf(market, run.universe);
  const borrowFee = run.rules.borrowRateBps > 0 && index > 0 ? borrowFeeFor(run, index, prices) : 0n;

  // Contracts whose expiry closed before this bar are settled first (exercised or expired), on the book as it stood.
  await settleDueExpiries({ sessionId: run.sessionId, book: run.book, market, interval: run.interval, rules: run.rules, clock });
  // A person's cancels come first: an order they asked to cancel does not fill at this bar's match.
  if (run.book.cancelRequests.length > 0) applyCancelRequests({ book: run.book, sessionId: run.sessionId, clock });
  // Working orders meet the bar that has just closed before anyone decides (match-working-orders.ts).
  const finer = finerViewOf({ clock, universe: run.universe, source: run.source, interval: run.interval });
  await matchWorkingOrders({ sessionId: run.sessionId, book: run.book, rules: run.rules, market, interval: run.interval, schedule: run.schedule, index, finer });
  await matchOptionOrders({ sessionId: run.sessionId, book: run.book, rules: run.rules, market, schedule: run.schedule, index });

  // Margin re-marked before each decision: a call issued, or one not met since the last decision enforced (margin-call.ts).
  const marginCall = decided ? await checkMarginAtBar({ sessionId: run.sessionId, book: run.book, market, rules: run.rules, clock, barIndex: index, decideEvery: run.decideEvery }) : null;

  let decision: DecisionResult | null = null;
  const builtinCalls: ModelCallWrite[] = [];
  if (decided) {
    const remote = !run.model.llm.startsWith("builtin:");
    const write = (call: ModelCallRecord): ModelCallWrite => ({
      id: uuidFrom(`call:${run.sessionId}:${index}:${call.callIndex}`),
      userId: run.userId,
      modelId: run.modelId,
      sessionId: run.sessionId,
      barIndex: index,
      decisionId,
      callIndex: call.callIndex,
      provider: call.provider,
      providerModel: call.modelId,
      requestDigest: call.requestDigest,
      response: call.response,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      latencyMs: call.latencyMs,
    });
    const ctx: TradingContext = {
      userId: run.userId,
      modelId: run.modelId,
      sessionId: run.sessionId,
      claims: run.claims,
      clock,
      market,
      book: run.book,
      rules: run.rules,
      decisionId,
      interval: run.interval as BarInterval,
      read: (fn) => withUser(run.claims, fn, run.db),
    };
    // A remote model's answers may differ if asked again: the ones it gave this bar before are replayed.
    const recorded = run.recorded.get(index) ?? new Map<number, RecordedCall>();
    decision = await run.decide(ctx, {
      model: run.model,
      maxSteps: run.maxSteps,
      timeoutMs: run.timeoutMs,
      seed: run.seed,
      tradingRules: run.tradingRules,
      abortSignal: run.signal,
      record: run.replayOf
        ? { recorded, recordOnly: true, onCall: () => {} }
        : {
            recorded,
            // ...so each is stored the moment it returns, outside the bar's transaction. A built-in's answer
            // is a function of the request: its calls are written with the bar.
            onCall: remote ? (call) => recordCall(run, write(call)) : (call) => void builtinCalls.push(write(call)),
          },
    });
  }
  if (run.signal.aborted) return { kind: "stop" };

  const committed = await commitBar({
    db: run.db,
    claims: run.claims,
    sessionId: run.sessionId,
    userId: run.userId,
    modelId: run.modelId,
    runnerId: run.runnerId,
    barIndex: index,
    totalBars: run.schedule.length,
    at,
    book: run.book,
    decision: decision?.decision ?? null,
    decisionEvent: decision?.decision ? decisionPayload(decision) : null,
    marginCall,
    modelCalls: builtinCalls,
    borrowFee,
    // Contracts held are marked at the modelled mid (lib/trading/option-prices.ts); stocks at the quotes above.
    prices: await withOptionMarks(market, run.book.openPositions(), prices),
  });
  if (!committed.ok) return { kind: "stop" };
  run.book.committed();
  // Cancels a person asked for since: applied at the start of the next bar.
  run.book.cancelRequests = committed.cancelRequests;
  run.book.chargeBorrow(borrowFee);
  run.cursor = index + 1;
  return { kind: "recorded", index, lastSeq: committed.lastSeq, decided };
}

/** Stores a call as it returns (as the trading core); when the bar's record already has it (another runner was first), returns that one. */
async function recordCall(run: SessionRun, call: ModelCallWrite): Promise<RecordedCall | undefined> {
  const stored = await recordModelCall(run.db, run.claims, call);
  if (stored.inserted > 0) return undefined;
  // Taken by a transaction that committed after this statement began: run the bar again (it will replay).
  if (stored.requestDigest === null) throw new AppError("retry", "MODEL_CALL_RACE", `model call ${call.callIndex + 1} of bar ${call.barIndex} was being recorded by another runner`);
  return { requestDigest: stored.requestDigest, response: stored.response as RecordedCall["response"] };
}

/** The `decision` event: what a live feed needs; the full record is GET /:id/decisions. */
function decisionPayload({ decision: d }: DecisionResult): Record<string, unknown> {
  return {
    id: d.id,
    clock: d.clock.toISOString(),
    outcome: d.outcome,
    llm: d.llm,
    text: d.text.slice(0, 4000),
    steps: d.steps,
    toolCalls: Array.isArray(d.toolCalls) ? d.toolCalls.length : 0,
    filledOrders: d.filledOrders,
    rejectedOrders: d.rejectedOrders,
    toolErrors: d.toolErrors,
    error: d.error,
    errorCode: d.errorCode,
    latencyMs: d.latencyMs,
    costUsd: d.costUsd,
    inputTokens: d.inputTokens,
    outputTokens: d.outputTokens,
  };
}

/** The price of every symbol of the universe the clock allows (quotes; a symbol without one is left out). */
async function pricesOf(market: MarketView, universe: readonly string[]): Promise<Map<string, Money>> {
  const prices = new Map<string, Money>();
  const quotes = await market.quotes(universe).catch(async () => {
    const each = await Promise.all(universe.map((symbol) => market.quote(symbol).catch(() => null)));
    return each.filter((q) => q !== null);
  });
  for (const q of quotes) prices.set(q.symbol, priceToMoney(q.price));
  return prices;
}

/**
 * Borrow on the shorts the book holds since the previous bar, for the calendar days between the previous
 * bar's New York day and this one's, priced at the quotes at t.
 */
function borrowFeeFor(run: SessionRun, index: number, prices: ReadonlyMap<string, Money>): Money {
  const days = Math.round((Date.parse(nyDayOf(run.schedule[index]!)) - Date.parse(nyDayOf(run.schedule[index - 1]!))) / 86_400_000);
  if (days <= 0) return 0n;
  const shorts = run.book.openPositions().filter((p) => p.quantity < 0);
  if (shorts.length === 0) return 0n;
  const fees = computeBorrowFees(new Map(shorts.map((p) => [p.symbol, p])), prices, { annualRateBps: run.rules.borrowRateBps, days });
  if (!fees.ok) throw EngineError.from(fees.error);
  return fees.value.total;
}

export { defaultDecide };
