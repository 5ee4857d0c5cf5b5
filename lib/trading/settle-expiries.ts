import {
  applyFillToPosition,
  checkOrder,
  EngineError,
  flatPosition,
  fillCashDelta,
  FREE_FEES,
  inTheMoney,
  isOccSymbol,
  parseOccSymbol,
  priceToMoney,
  settleExpiries,
  type Money,
  type OptionInstrument,
  type Position,
  type SettlementFill,
} from "@/lib/engine";
import { sessionOf, type Interval, type MarketView } from "@/lib/market";
import { AppError } from "@/lib/errors";
import type { SessionBook } from "./book";
import type { SessionTradingRules } from "./trading-settings";
import { uuidFrom } from "./ids";
import { recordFilled } from "./place-order";
import { marginMarksFor } from "./order-prices";

/**
 * Expiry in a session (issue #23 item 4; the rule is lib/engine/options/expiry.ts): at the first bar at or after 16:00
 * New York (the close; 13:00 on an early close) of a contract's expiry date, before anything else of the bar, every
 * open contract of that expiry is settled on the underlying's last close at or before then. In the money by $0.01 or
 * more: exercised, 100 shares a contract at the strike, no fee. A delivery the account cannot take (a call's shares it
 * cannot pay for, a put's shares it does not hold and may not short) is not made: the contract is closed at its
 * intrinsic value instead, as a broker's auto-close would (reason closed_at_intrinsic). The others expire worthless
 * (closed at 0). Each fill is an order of the session's own (no decision), recorded with the bar.
 */
export interface ExpiryContext {
  readonly sessionId: string;
  readonly book: SessionBook;
  readonly market: MarketView;
  readonly interval: Interval;
  readonly rules: SessionTradingRules;
  readonly clock: { now(): Date };
}

/** The close of `expiry`'s session (16:00 New York, or an early close). */
export function expiryCloseOf(expiry: string): Date {
  const session = sessionOf(expiry);
  if (!session) throw new AppError("halt", "INVALID_MODEL_INPUT", `the expiry ${expiry} is not a trading day`);
  return session.close;
}

export async function settleDueExpiries(ctx: ExpiryContext): Promise<number> {
  const now = ctx.clock.now();
  const due = new Map<string, { contract: OptionInstrument; quantity: number }[]>();
  for (const p of ctx.book.openPositions()) {
    if (!isOccSymbol(p.symbol)) continue;
    const parsed = parseOccSymbol(p.symbol);
    if (!parsed.ok) throw new AppError("halt", "INVALID_SYMBOL", parsed.error.message);
    const contract = parsed.value;
    if (expiryCloseOf(contract.expiry).getTime() > now.getTime()) continue;
    const key = `${contract.underlying}:${contract.expiry}`;
    due.set(key, [...(due.get(key) ?? []), { contract, quantity: p.quantity }]);
  }
  if (due.size === 0) return 0;
  let settled = 0;
  for (const group of due.values()) {
    const { underlying, expiry } = group[0]!.contract;
    const [last] = await ctx.market.bars(underlying, ctx.interval, { to: expiryCloseOf(expiry), limit: 1 });
    if (!last || last.close === null) throw new AppError("halt", "MISSING_PRICE", `no close of ${underlying} at or before the ${expiry} expiry to settle its options on`);
    const close = priceToMoney(last.close, underlying);
    const shares = ctx.book.positions.get(underlying)?.quantity ?? 0;
    for (const s of settleExpiries(group, close, shares)) {
      const contract = group.find((g) => g.contract.symbol === s.symbol)!.contract;
      const [optionClose, ...delivery] = s.fills;
      const as = (f: SettlementFill, reason: string, n: number) => book(ctx, f, reason, `${s.symbol}:${n}`);
      if (s.outcome === "expired") as(optionClose!, "expired_worthless", 0);
      else if (await canTakeAll(ctx, s.symbol, delivery)) {
        as(optionClose!, s.outcome, 0);
        delivery.forEach((f, i) => as(f, s.outcome, i + 1));
      } else as({ ...optionClose!, price: inTheMoney(contract, close) }, "closed_at_intrinsic", 0);
      settled++;
    }
  }
  return settled;
}

/**
 * Whether the account, the settled contract closed, can take the delivery fills at the strike one after the other
 * (cash for shares bought, shares or margin for shares sold, the other shorts marked now): checked on a copy.
 */
async function canTakeAll(ctx: ExpiryContext, contract: string, delivery: readonly SettlementFill[]): Promise<boolean> {
  const positions = new Map(ctx.book.positions);
  positions.delete(contract);
  let cash = ctx.book.cash;
  for (const f of delivery) {
    const taken = await canTake(ctx, f, cash, positions);
    if (!taken) return false;
    cash = taken.cashAfter;
    const applied = applyFillToPosition(positions.get(f.symbol) ?? flatPosition(f.symbol), { id: "check", ...f, fee: 0n });
    if (!applied.ok) return false;
    positions.set(f.symbol, applied.value.position);
  }
  return true;
}

async function canTake(ctx: ExpiryContext, f: SettlementFill, cash: Money, positions: ReadonlyMap<string, Position>) {
  const checked = checkOrder({
    request: { symbol: f.symbol, side: f.side, quantity: f.quantity, type: "market" },
    account: { cash, positions },
    price: f.price,
    marks: await marginMarksFor(ctx.market, positions, f.symbol, f.side),
    fees: FREE_FEES,
    slippageBps: 0,
    symbols: new Set([f.symbol]),
    settings: ctx.rules.settings,
  });
  if (!checked.ok && EngineError.from(checked.error).kind === "halt") throw EngineError.from(checked.error);
  return checked.ok ? checked.value : null;
}

/** One settlement fill as an order of the session's own, filled at once, on the book (`part`: the contract and the fill's place). */
function book(ctx: ExpiryContext, f: SettlementFill, reason: string, part: string): void {
  const key = `${ctx.sessionId}:expiry:${part}`;
  const base = { id: uuidFrom(`order:${ctx.sessionId}:${key}`), idempotencyKey: key, decisionId: null, placedAt: ctx.clock.now(), request: null, reason };
  const cashDelta = fillCashDelta(f.side, f.quantity, f.price, 0n, f.symbol);
  recordFilled(ctx.book, ctx.sessionId, base, { ...f, referencePrice: f.price, fee: 0n, cashDelta, cashAfter: ctx.book.cash + cashDelta });
}
