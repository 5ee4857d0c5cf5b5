import type { Money, OrderSide, OrderStatus, Position } from "@/lib/engine";

/**
 * THE SESSION BOOK (docs/trading.md): a session's cash, positions and this bar's orders and fills, in
 * memory, owned by the session's single fenced runner. The model's trade tools check and fill against
 * it and answer at once; nothing touches the database while a model thinks. At the end of the bar the
 * runner writes what the bar added (`pending`) in one short transaction (commit-bar.ts) and calls
 * `committed()`; if that transaction fails or the runner loses its fence, the book is thrown away and
 * the next runner loads a fresh one from the database, so the database is always the truth.
 */

export interface BookOrder {
  /** Derived from the session and the idempotency key: the same call gets the same id after a crash. */
  id: string;
  idempotencyKey: string;
  decisionId: string | null;
  symbol: string | null;
  side: OrderSide | null;
  quantity: number | null;
  status: Extract<OrderStatus, "filled" | "rejected">;
  referencePrice: Money | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  /** The sanitized request of an order that did not parse (audit). */
  request: string | null;
  placedAt: Date;
}

export interface BookFill {
  id: string;
  orderId: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  referencePrice: Money;
  price: Money;
  fee: Money;
  cashDelta: Money;
  cashAfter: Money;
  realizedPnl: Money | null;
  quantityAfter: number;
  filledAt: Date;
}

/** An order as a trade tool reports it, with its fill; `duplicate`: an earlier call with the same key made it. */
export interface PlacedOrder {
  order: BookOrder;
  fill: BookFill | null;
  duplicate: boolean;
}

export interface BookState {
  cash: Money;
  feesPaid: Money;
  borrowFeesPaid: Money;
  realizedPnl: Money;
  positions: Iterable<Position>;
  /** Idempotency keys of the orders already stored for this session (a key from an earlier bar). */
  storedKeys: Iterable<string>;
}

export class SessionBook {
  cash: Money;
  feesPaid: Money;
  borrowFeesPaid: Money;
  realizedPnl: Money;
  readonly positions = new Map<string, Position>();
  /** What this bar added, in the order it happened: written by the bar's commit. */
  pending: { orders: BookOrder[]; fills: BookFill[] } = { orders: [], fills: [] };
  private readonly placed = new Map<string, PlacedOrder>();
  private readonly storedKeys: Set<string>;

  constructor(state: BookState) {
    this.cash = state.cash;
    this.feesPaid = state.feesPaid;
    this.borrowFeesPaid = state.borrowFeesPaid;
    this.realizedPnl = state.realizedPnl;
    for (const p of state.positions) this.positions.set(p.symbol, p);
    this.storedKeys = new Set(state.storedKeys);
  }

  /** The result of the order placed under `key` by this runner, if any. */
  placedUnder(key: string): PlacedOrder | undefined {
    return this.placed.get(key);
  }

  /** An order under `key` was stored before this runner's book was loaded (read it from the database). */
  storedBefore(key: string): boolean {
    return this.storedKeys.has(key);
  }

  /** Records an order (and applies its fill: cash, fees, realized P&L and the position after it). */
  record(order: BookOrder, fill: { fill: BookFill; position: Position } | null): PlacedOrder {
    this.pending.orders.push(order);
    if (fill) {
      this.pending.fills.push(fill.fill);
      this.cash = fill.fill.cashAfter;
      this.feesPaid += fill.fill.fee;
      this.realizedPnl += fill.fill.realizedPnl ?? 0n;
      this.positions.set(fill.position.symbol, fill.position);
    }
    const placed = { order, fill: fill?.fill ?? null, duplicate: false };
    this.placed.set(order.idempotencyKey, placed);
    return placed;
  }

  /** Borrow owed since the previous bar: paid from cash at the bar's mark (it may take cash below zero). */
  chargeBorrow(fee: Money): void {
    this.cash -= fee;
    this.borrowFeesPaid += fee;
  }

  /** Open positions (quantity ≠ 0), by symbol. */
  openPositions(): Position[] {
    return [...this.positions.values()].filter((p) => p.quantity !== 0).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  /** Symbols whose position changed this bar (their rows are written by the commit). */
  touchedSymbols(): string[] {
    return [...new Set(this.pending.fills.map((f) => f.symbol))];
  }

  /** The bar's writes committed: later bars start empty; its keys now count as stored. */
  committed(): void {
    for (const o of this.pending.orders) this.storedKeys.add(o.idempotencyKey);
    this.pending = { orders: [], fills: [] };
  }
}
