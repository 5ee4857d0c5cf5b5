import {
  applyFillToPosition,
  checkOrder,
  EngineError,
  failure,
  fillCashDelta,
  flatPosition,
  FREE_FEES,
  type EngineFailure,
  type Money,
  type Position,
  type SettlementFill,
} from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import type { PlacedOrder, SessionBook } from "./book";
import { uuidFrom } from "./ids";
import { expiredBy } from "./option-prices";
import { marginMarksFor } from "./order-prices";
import { recordFilled } from "./place-order";
import type { SessionTradingRules } from "./trading-settings";

/**
 * The delivery of an exercised or assigned contract (settle-expiries.ts at expiry, exercise-option.ts before it): 100
 * shares a contract change hands at the strike, no fee, as fills of orders the contract's settlement makes.
 */
export interface DeliveryContext {
  readonly sessionId: string;
  readonly book: SessionBook;
  readonly market: MarketView;
  readonly rules: SessionTradingRules;
}

/**
 * Why the account, `contract` closed, cannot take the delivery fills one after the other (cash for shares bought, shares
 * or margin for shares sold, the other shorts marked now), or null when it can. Checked on a copy of the book.
 */
export async function deliveryProblem(ctx: DeliveryContext, contract: string, delivery: readonly SettlementFill[]): Promise<EngineFailure | null> {
  const positions = new Map(ctx.book.positions);
  positions.delete(contract);
  // Contracts past their expiry's close are being settled this bar and have no quote: leave them out.
  const now = ctx.market.now();
  for (const symbol of [...positions.keys()]) if (expiredBy(symbol, now)) positions.delete(symbol);
  let cash = ctx.book.cash;
  for (const f of delivery) {
    const taken = await take(ctx, f, cash, positions);
    if (!taken.ok) return taken.error;
    cash = taken.value;
    const applied = applyFillToPosition(positions.get(f.symbol) ?? flatPosition(f.symbol), { id: "check", ...f, fee: 0n });
    if (!applied.ok) return applied.error;
    positions.set(f.symbol, applied.value.position);
  }
  return null;
}

async function take(ctx: DeliveryContext, f: SettlementFill, cash: Money, positions: ReadonlyMap<string, Position>) {
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
  return checked.ok ? ({ ok: true, value: checked.value.cashAfter } as const) : ({ ok: false, error: checked.error ?? failure("INVALID_REQUEST", "") } as const);
}

/** One settlement fill as an order of the session's own (or the decision's, for an early exercise), filled at once on the book. */
export function bookSettlementFill(
  ctx: Pick<DeliveryContext, "sessionId" | "book">,
  f: SettlementFill,
  o: { key: string; decisionId: string | null; placedAt: Date; reason: string; request?: string | null },
): PlacedOrder {
  const base = { id: uuidFrom(`order:${ctx.sessionId}:${o.key}`), idempotencyKey: o.key, decisionId: o.decisionId, placedAt: o.placedAt, request: o.request ?? null, reason: o.reason };
  const cashDelta = fillCashDelta(f.side, f.quantity, f.price, 0n, f.symbol);
  return recordFilled(ctx.book, ctx.sessionId, base, { ...f, referencePrice: f.price, fee: 0n, cashDelta, cashAfter: ctx.book.cash + cashDelta });
}
