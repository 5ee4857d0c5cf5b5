import { fillCashDelta, formatMoney, inTheMoney, isOccSymbol, notional, parseOccSymbol, priceToMoney, settleExpiries, type OptionInstrument, type SettlementFill } from "@/lib/engine";
import type { Interval, MarketView } from "@/lib/market";
import { AppError } from "@/lib/errors";
import type { SessionBook } from "./book";
import type { SessionTradingRules } from "./trading-settings";
import { bookSettlementFill, deliveryProblem } from "./delivery";
import { expiryCloseOf } from "./option-prices";

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

/**
 * Whether the delivery is made. An exercise (a long contract) is the holder's choice: made only when the account can
 * take it as an order (cash, shares, shorting and its margin: delivery.ts). An assignment (a written contract) cannot be
 * declined: made whenever the cash stays at or above 0 and any short sale it needs is allowed; its margin is then the
 * margin calls' business.
 */
async function canDeliver(ctx: ExpiryContext, outcome: "exercised" | "assigned", contract: string, delivery: readonly SettlementFill[]): Promise<boolean> {
  if (outcome === "exercised") return (await deliveryProblem(ctx, contract, delivery)) === null;
  if (delivery.some((f) => f.side === "sell_short") && !ctx.rules.settings.allowShort) return false;
  const cash = delivery.reduce((c, f) => c + fillCashDelta(f.side, f.quantity, f.price, 0n, f.symbol), ctx.book.cash);
  return cash >= 0n;
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
      const intrinsic = { ...optionClose!, price: inTheMoney(contract, close) };
      if (s.outcome === "expired") as(optionClose!, "expired_worthless", 0);
      else if (await canDeliver(ctx, s.outcome, s.symbol, delivery)) {
        as(optionClose!, s.outcome, 0);
        delivery.forEach((f, i) => as(f, s.outcome, i + 1));
      } else if (ctx.book.cash + fillCashDelta(intrinsic.side, intrinsic.quantity, intrinsic.price, 0n, intrinsic.symbol) >= 0n) as(intrinsic, "closed_at_intrinsic", 0);
      else {
        throw new AppError(
          "halt",
          "CANNOT_SETTLE",
          `${s.symbol} was assigned at its expiry and this account can neither take the delivery nor pay its intrinsic value (${formatMoney(notional(intrinsic.quantity, intrinsic.price, intrinsic.symbol))}) from its cash (${formatMoney(ctx.book.cash)})`,
        );
      }
      settled++;
    }
  }
  return settled;
}
