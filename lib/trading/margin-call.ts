import {
  accountMargin,
  checkOrder,
  EngineError,
  formatMoney,
  isOccSymbol,
  marginSymbols,
  parseMoney,
  toDecimalString as dec,
  type AccountMargin,
  type EngineFailure,
  type MarginLine,
  type Money,
  type ProposedFill,
} from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import type { SessionBook } from "./book";
import { uuidFrom } from "./ids";
import { HELD, optionQuoteOn } from "./option-prices";
import { marksFor, priceAt } from "./order-prices";
import { recordFilled, reject } from "./place-order";
import type { SessionTradingRules } from "./trading-settings";

/**
 * Margin re-marked at every decided bar while option contracts are written (issue #23 item 5; docs/trading.md "Margin
 * calls"). Before the model decides,
 * the shorts' requirement (lib/engine/account-margin.ts) is computed at the bar's prices, written contracts at their
 * modelled mid and their underlyings at the open. When cash is below it:
 *   - a MARGIN CALL is issued: a margin_call event in the feed, and the model is told in its prompt (and get_portfolio)
 *     how much is missing; it has this decision to meet it (buy back contracts or shares, sell long positions);
 *   - still short of it at the next decided bar, the session buys the shorts back itself (forced close, as a broker
 *     liquidates): written contracts first, the largest requirement per contract first, then short stock, each whole at
 *     the ask (contracts) or the open plus slippage (stock), fees as usual, until cash covers what is left. Each is an
 *     order of the session's own (no decision, reason margin_call), recorded with the bar; a buy-back the cash cannot
 *     pay is recorded as rejected and the next is tried.
 * A call met by the next decided bar ends quietly (cash ≥ requirement: nothing is recorded).
 */
export interface MarginCallEvent {
  readonly barIndex: number;
  readonly at: string;
  readonly status: "issued" | "forced_close";
  /** Decimal dollars at the check (before a forced close: what was missing). */
  readonly requirement: string;
  readonly cash: string;
  readonly shortfall: string;
  readonly lines: readonly { symbol: string; kind: MarginLine["kind"]; quantity: number; requirement: string }[];
  /** forced_close: the shorts bought back, and the requirement and cash after. */
  readonly closed?: readonly string[];
  readonly requirementAfter?: string;
  readonly cashAfter?: string;
}

export interface MarginCheckContext {
  readonly sessionId: string;
  readonly book: SessionBook;
  readonly market: MarketView;
  readonly rules: SessionTradingRules;
  readonly clock: { now(): Date };
  readonly barIndex: number;
  /** Bars between decisions (1 in backtests): a call issued at the previous decided bar and not met is enforced now. */
  readonly decideEvery: number;
}

/** The bar's margin check; returns the margin_call event to record, or null when there is nothing to say. */
export async function checkMarginAtBar(ctx: MarginCheckContext): Promise<MarginCallEvent | null> {
  const { book } = ctx;
  // Only while contracts are written: a book of stock shorts alone keeps its order-time rule (no maintenance calls),
  // so sessions without written contracts run and replay exactly as they always did.
  const written = book.openPositions().some((p) => p.quantity < 0 && isOccSymbol(p.symbol));
  // The prices hold for the whole bar: read once, for the check and for a forced close (which only removes shorts).
  const prices = written ? await marksFor(ctx.market, marginSymbols(book.openPositions())) : null;
  const margin = prices && marginAt(ctx, prices);
  if (margin === null || book.cash >= margin.requirement) {
    book.marginCall = null;
    return null;
  }
  const at = ctx.clock.now().toISOString();
  const issued = eventOf(ctx.barIndex, at, "issued", margin, book.cash);
  const previous = book.marginCall;
  const outstanding = previous?.status === "issued" && previous.barIndex === ctx.barIndex - ctx.decideEvery;
  if (!outstanding) {
    book.marginCall = issued;
    return issued;
  }
  const closed = await forceClose(ctx, margin, prices!);
  const after = marginAt(ctx, prices!);
  const forced: MarginCallEvent = {
    ...issued,
    status: "forced_close",
    closed,
    requirementAfter: dec(after.requirement),
    cashAfter: dec(book.cash),
  };
  book.marginCall = null;
  return forced;
}

/** A margin call issued at `clock`, in words, for the decision prompt (null when none was). */
export function marginCallNotice(book: SessionBook, clock: Date): string | null {
  const call = book.marginCall;
  if (call?.status !== "issued" || call.at !== clock.toISOString()) return null;
  const lines = call.lines.filter((l) => parseMoney(l.requirement) > 0n).map((l) => `${l.quantity} ${l.symbol} (${l.kind.replace(/_/g, " ")}) ${formatMoney(parseMoney(l.requirement))}`);
  return (
    `MARGIN CALL: your shorts require ${formatMoney(parseMoney(call.requirement))} of cash, you have ${formatMoney(parseMoney(call.cash))} (short by ${formatMoney(parseMoney(call.shortfall))}; ${lines.join("; ")}). ` +
    `Meet it this decision (buy back written contracts or short shares, or sell long positions to raise cash); if cash is still below the requirement at the next decision, the session buys your shorts back at market, written contracts first.`
  );
}

/** The book's shorts' requirement now, at the bar's `prices` (a missing price is ours to have read: a halt). */
function marginAt(ctx: MarginCheckContext, prices: ReadonlyMap<string, Money>): AccountMargin {
  const margin = accountMargin(ctx.book.openPositions(), prices, ctx.rules.settings);
  if (!margin.ok) throw EngineError.from(margin.error, "halt");
  return margin.value;
}

function eventOf(barIndex: number, at: string, status: MarginCallEvent["status"], m: AccountMargin, cash: Money): MarginCallEvent {
  return {
    barIndex,
    at,
    status,
    requirement: dec(m.requirement),
    cash: dec(cash),
    shortfall: dec(m.requirement - cash),
    lines: m.lines.map((l) => ({ symbol: l.symbol, kind: l.kind, quantity: l.quantity, requirement: dec(l.requirement) })),
  };
}

/** Buys back shorts, written contracts first (largest requirement per unit first), then stock, until cash covers the rest. */
async function forceClose(ctx: MarginCheckContext, margin: AccountMargin, prices: ReadonlyMap<string, Money>): Promise<string[]> {
  const perUnit = (l: MarginLine) => l.requirement / BigInt(l.quantity);
  // What requires margin: a partly covered call is bought back only for its uncovered part.
  const lines = [...margin.lines]
    .filter((l) => l.kind !== "covered_call" && l.requirement > 0n)
    .sort((a, b) => Number(isOccSymbol(b.symbol)) - Number(isOccSymbol(a.symbol)) || (perUnit(b) > perUnit(a) ? 1 : perUnit(b) < perUnit(a) ? -1 : 0));
  const closed: string[] = [];
  for (const line of lines) {
    if (ctx.book.cash >= marginAt(ctx, prices).requirement) break;
    const held = ctx.book.positions.get(line.symbol)?.quantity ?? 0;
    if (held >= 0) continue;
    if (await buyBack(ctx, line.symbol, Math.min(-held, line.quantity))) closed.push(line.symbol);
  }
  return closed;
}

async function buyBack(ctx: MarginCheckContext, symbol: string, quantity: number): Promise<boolean> {
  const { book } = ctx;
  const key = `${ctx.sessionId}:margin_call:${ctx.barIndex}:${symbol}`;
  const placedAt = ctx.clock.now();
  const base = { id: uuidFrom(`order:${ctx.sessionId}:${key}`), idempotencyKey: key, decisionId: null, placedAt, request: null, reason: "margin_call" };
  const order = { symbol, side: "buy_to_cover" as const, quantity, type: "market" as const };
  const contract = isOccSymbol(symbol);
  const price = contract ? (await optionQuoteOn(ctx.market, symbol, HELD)).ask : (await priceAt(ctx.market, symbol, placedAt)).price;
  const checked = checkOrder({
    request: order,
    account: { cash: book.cash, positions: book.positions },
    price,
    fees: ctx.rules.fees,
    slippageBps: contract ? 0 : ctx.rules.slippageBps,
    symbols: new Set([symbol]),
    settings: ctx.rules.settings,
  });
  if (!checked.ok) {
    const failed: EngineFailure = checked.error;
    if (EngineError.from(failed).kind === "halt") throw EngineError.from(failed);
    reject(book, base, order, failed, price);
    return false;
  }
  recordFilled(book, ctx.sessionId, base, checked.value satisfies ProposedFill);
  return true;
}
