import "server-only";
import { createHash } from "node:crypto";
import type { BarInterval } from "@/lib/agent/tool-contract";
import type { Db, Tx } from "@/lib/db/client";
import type { ModelRow } from "@/lib/db/queries/models";
import { getSessionHoldings } from "@/lib/db/queries/positions";
import { lockTradingSession, recordBar } from "@/lib/db/queries/sessions";
import { actAsCore, type Claims } from "@/lib/db/rls";
import { computeBorrowFees, parseMoney, priceToMoney, toDecimalString, type Money, type Position } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import { createMarketView, nyDayOf, type BarSource, type Interval, type MarketView } from "@/lib/market";
import { decide as defaultDecide, type DecideOptions, type DecisionResult } from "@/lib/services/decide";
import type { AgentContext } from "@/lib/agent/tools";
import type { SessionTradingRules } from "@/lib/services/trading-settings";

/** The decision use case (lib/services/decide.ts); injectable so tests can make a bar throw. */
export type DecideFn = (ctx: AgentContext, options: DecideOptions) => Promise<DecisionResult>;

/** Everything a bar needs that does not change during a run: loaded once per job (runner.ts). */
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
}

export type BarOutcome =
  | { kind: "recorded"; index: number; lastSeq: number; decided: boolean }
  /** Nothing to do: the bars are all run (finalize next). */
  | { kind: "done" }
  /** Not ours to run: paused, cancelled, finished, or another runner took over. */
  | { kind: "stop"; status: string; superseded: boolean };

/** The same bar of the same session always gets the same decision id, so a retried bar is recognisable. */
export function decisionIdFor(sessionId: string, barIndex: number): string {
  const h = createHash("sha256").update(`decision:${sessionId}:${barIndex}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Runs the bar at the session's cursor in ONE transaction as the owner: lock the session row, check it
 * is running, ours and at that bar; decide at the bar time t (the market view over the preloaded bars
 * shows closed bars before t and opens at t); then one statement marks the account to the quotes at t
 * (after borrow for the calendar days since the previous bar, owed by the shorts held before the
 * decision) and records the equity point, the events and the cursor. All of it commits or none of it does: a crash repeats a bar, never half of one.
 */
export async function runBar(run: SessionRun): Promise<BarOutcome> {
  // withUser, with the role switch and the lock pipelined in one round trip (they run in order).
  return run.db.transaction(async (tx): Promise<BarOutcome> => {
    // Committed without waiting for the WAL flush: a bar lost in a database crash is run again from the cursor.
    const [, s] = await Promise.all([actAsCore(tx, run.claims, { asyncCommit: true }), lockTradingSession(tx, { id: run.sessionId, userId: run.userId })]);
    if (!s) throw new AppError("halt", "SESSION_GONE", "The session no longer exists");
    if (s.status !== "running" || s.runnerId !== run.runnerId) return { kind: "stop", status: s.status, superseded: s.runnerId !== run.runnerId };
    if (s.cursor >= s.totalBars) return { kind: "done" };
    const index = s.cursor;
    const at = run.schedule[index];
    if (!at) throw new AppError("halt", "SCHEDULE_MISMATCH", `bar ${index} is not in the stored schedule of ${run.schedule.length} bars`);

    const clock = { now: () => at };
    const market = createMarketView({ clock, universe: run.universe, source: run.source, intervals: [run.interval] });
    const decisionId = decisionIdFor(run.sessionId, index);
    const decided = index % run.decideEvery === 0;
    // The quotes at t mark the account. Borrow since the previous bar is owed by the shorts held over
    // those nights, so it is computed on the positions before this bar's decision trades (a short opened
    // now owes nothing yet; one covered now still owes the nights it was held); it is debited below.
    const prices = await pricesOf(market, run.universe);
    const borrowFee = run.rules.borrowRateBps > 0 && index > 0 ? await borrowFeeFor(tx, run, index, prices) : 0n;
    let decision: DecisionResult | null = null;
    if (decided) {
      const ctx: AgentContext = {
        userId: run.userId,
        modelId: run.modelId,
        sessionId: run.sessionId,
        claims: run.claims,
        clock,
        market,
        db: tx,
        decisionId,
        interval: run.interval as BarInterval,
      };
      decision = await run.decide(ctx, { model: run.model, maxSteps: run.maxSteps, timeoutMs: run.timeoutMs, seed: run.seed, tradingRules: run.tradingRules });
    }

    // Mark to market at the quotes of the clock (the opens at t), in the same statement as the records.
    const recorded = await recordBar(tx, {
      sessionId: run.sessionId,
      userId: run.userId,
      decision: decision?.decision ? decisionPayload(decision) : null,
      withOrders: (decision?.orders.length ?? 0) > 0,
      barIndex: index,
      totalBars: s.totalBars,
      at,
      borrowFee: toDecimalString(borrowFee),
      prices: Object.fromEntries([...prices].map(([symbol, price]) => [symbol, toDecimalString(price)])),
    });
    if (!recorded.ok) {
      if (recorded.missingPrices) throw new AppError("halt", "MISSING_PRICE", `No price at ${at.toISOString()} for ${recorded.missingPrices}, held by the account: cannot value it`);
      throw new AppError("retry", "CURSOR_MOVED", "The session's cursor moved under its lock");
    }
    return { kind: "recorded", index, lastSeq: recorded.lastSeq, decided };
  });
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
 * Borrow on the shorts held since the previous bar (read before this bar's decision), for the calendar
 * days between the previous bar's New York day and this one's, priced at the quotes at t.
 */
async function borrowFeeFor(tx: Tx, run: SessionRun, index: number, prices: ReadonlyMap<string, Money>): Promise<Money> {
  const days = Math.round((Date.parse(nyDayOf(run.schedule[index]!)) - Date.parse(nyDayOf(run.schedule[index - 1]!))) / 86_400_000);
  if (days <= 0) return 0n;
  const account = await getSessionHoldings(tx, { sessionId: run.sessionId, userId: run.userId });
  const positions = new Map<string, Position>(
    (account?.positions ?? []).map((p) => [p.symbol, { symbol: p.symbol, quantity: Number(p.quantity), costBasis: parseMoney(p.costBasis), realizedPnl: 0n, feesPaid: 0n }]),
  );
  if (![...positions.values()].some((p) => p.quantity < 0)) return 0n;
  const fees = computeBorrowFees(positions, prices, { annualRateBps: run.rules.borrowRateBps, days });
  if (!fees.ok) throw new AppError("halt", fees.error.code, fees.error.message);
  return fees.value.total;
}

export { defaultDecide };
