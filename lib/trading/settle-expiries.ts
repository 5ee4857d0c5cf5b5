import { inTheMoney, isOccSymbol, parseOccSymbol, priceToMoney, settleExpiries, type OptionInstrument, type SettlementFill } from "@/lib/engine";
import { sessionOf, type Interval, type MarketView } from "@/lib/market";
import { AppError } from "@/lib/errors";
import type { SessionBook } from "./book";
import type { SessionTradingRules } from "./trading-settings";
import { bookSettlementFill, deliveryProblem } from "./delivery";

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
      const at = ctx.clock.now();
      const as = (f: SettlementFill, reason: string, n: number) => bookSettlementFill(ctx, f, { key: `${ctx.sessionId}:expiry:${s.symbol}:${n}`, decisionId: null, placedAt: at, reason });
      if (s.outcome === "expired") as(optionClose!, "expired_worthless", 0);
      else if ((await deliveryProblem(ctx, s.symbol, delivery)) === null) {
        as(optionClose!, s.outcome, 0);
        delivery.forEach((f, i) => as(f, s.outcome, i + 1));
      } else as({ ...optionClose!, price: inTheMoney(contract, close) }, "closed_at_intrinsic", 0);
      settled++;
    }
  }
  return settled;
}
