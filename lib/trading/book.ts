import { AppError } from "@/lib/errors";
import type { MarginCallEvent } from "./margin-call";
import { isTerminalStatus, type Money, type OrderClass, type OrderSide, type OrderStatus, type OrderType, type Position, type WorkingOrder } from "@/lib/engine";

/**
 * THE SESSION BOOK (docs/trading.md): a session's cash, positions and this bar's orders and fills, in
 * memory, owned by the session's single fenced runner. The model's trade tools check and fill against
 * it and answer at once; nothing touches the database while a model thinks. At the end of the bar the
 * runner writes what the bar added (`pending`) in one short transaction (commit-bar.ts) and calls
 * `committed()`; if that transaction fails or the runner loses its fence, the book is thrown away and
 * the next runner loads a fresh one from the database, so the database is always the truth.
 * Working orders (limit, stop, trailing, brackets: lib/engine/working-orders.ts) live here across bars:
 * `working()` is what the fill model matches and what reserves buying power; an order placed or moved on
 * (filled, cancelled, water mark) this bar is written by the bar's commit, inserted or updated.
 */

export interface BookOrder {
  /** Derived from the session and the idempotency key: the same call gets the same id after a crash. */
  id: string;
  idempotencyKey: string;
  decisionId: string | null;
  symbol: string | null;
  side: OrderSide | null;
  quantity: number | null;
  /** A market order: filled or rejected. A working order: its state now (working.order.status). */
  status: OrderStatus;
  referencePrice: Money | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  /** The sanitized request of an order that did not parse (audit). */
  request: string | null;
  placedAt: Date;
  /** An order that works across bars: its engine state now, its request's class, why it ended (not by a fill). */
  working?: WorkingState;
  /** A refused request's type when it was not a market order (its row keeps it, for the audit). */
  type?: OrderType;
  /** replace_order: the order this one replaced (or, rejected, tried to replace). */
  replacesId?: string;
  /** Why an order the session made itself was made (an option's expiry: expired_worthless, exercised, closed_at_intrinsic). */
  reason?: string;
  /** replace_order: the order that replaced this one (its status is then `replaced`). */
  replacedById?: string;
  /** A multi-leg order's parent (place-combo-order.ts): its net limit, time in force and the strategy recognised. */
  combo?: ComboState;
  /** A leg of a multi-leg order: its parent's id. */
  comboParentId?: string;
}

/** A multi-leg parent: symbol = the underlying, side null, quantity = the units; its legs are orders of their own. */
export interface ComboState {
  type: "market" | "limit";
  timeInForce: "day" | "gtc";
  /** Per share of one unit, signed: + a debit paid, − a credit received; null for a market order. */
  netLimit: Money | null;
  /** The shape and its profile as stored in orders.strategy (JSON: money as decimal strings). */
  strategy: Record<string, unknown>;
}

export interface WorkingState {
  order: WorkingOrder;
  orderClass: OrderClass;
  statusReason: string | null;
  /** Start of the bar that triggered it (stop, stop-limit, trailing stop), when this book saw it happen; the stored one stays. */
  triggeredAt?: Date;
  /** Session clock of its end, when this book ended it (the engine's event time). */
  endedAt?: Date;
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
  /** A working order's legs after the first (a bracket's take-profit and stop-loss, an oco's stop-loss). */
  legs?: BookOrder[];
}

export interface BookState {
  cash: Money;
  feesPaid: Money;
  borrowFeesPaid: Money;
  realizedPnl: Money;
  positions: Iterable<Position>;
  /** Idempotency keys of the orders already stored for this session (a key from an earlier bar). */
  storedKeys: Iterable<string>;
  /** The session's working orders as stored, oldest first (load-book.ts). */
  working?: Iterable<BookOrder>;
  /** Orders a person asked to cancel that no bar has applied yet (order_cancel_requests), oldest first. */
  cancelRequests?: Iterable<string>;
  /** The session's last margin_call event (margin-call.ts), if any. */
  marginCall?: MarginCallEvent | null;
}

/** A person's cancel request a bar applied: `ended` when its order had ended before the bar (filled, expired, …). */
export interface AppliedCancelRequest {
  orderId: string;
  outcome: "cancelled" | "ended";
}

type Pending = { orders: BookOrder[]; fills: BookFill[]; updated: Map<string, BookOrder>; cancelRequests: AppliedCancelRequest[] };
const nothingPending = (): Pending => ({ orders: [], fills: [], updated: new Map(), cancelRequests: [] });

export class SessionBook {
  cash: Money;
  feesPaid: Money;
  borrowFeesPaid: Money;
  realizedPnl: Money;
  readonly positions = new Map<string, Position>();
  /** What this bar added, in the order it happened: written by the bar's commit. */
  pending: Pending = nothingPending();
  /**
   * Orders a person asked to cancel (docs/trading.md, "A person cancels a working order"), not applied yet: the
   * claim's read and each bar's commit say which; the next bar applies them before matching (cancel-order.ts).
   */
  cancelRequests: string[];
  /**
   * The last margin call this session recorded (margin-call.ts): issued at a decided bar and not met by the next, the
   * shorts are bought back. Set by each bar's margin check; loaded from the session's last margin_call event.
   */
  marginCall: MarginCallEvent | null;
  private readonly placed = new Map<string, PlacedOrder>();
  private readonly storedKeys: Set<string>;
  /** Working orders (not ended), by id, in the order they were placed. */
  private readonly open = new Map<string, BookOrder>();

  constructor(state: BookState) {
    this.cash = state.cash;
    this.feesPaid = state.feesPaid;
    this.borrowFeesPaid = state.borrowFeesPaid;
    this.realizedPnl = state.realizedPnl;
    for (const p of state.positions) this.positions.set(p.symbol, p);
    this.storedKeys = new Set(state.storedKeys);
    for (const o of state.working ?? []) this.open.set(o.id, o);
    this.cancelRequests = [...(state.cancelRequests ?? [])];
    this.marginCall = state.marginCall ?? null;
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
    if (fill) this.applyFill(fill.fill, fill.position);
    const placed = { order, fill: fill?.fill ?? null, duplicate: false };
    this.placed.set(order.idempotencyKey, placed);
    return placed;
  }

  /** Records a working order's legs (entry first), accepted and working from now on (a replacement's too). */
  recordWorking(legs: BookOrder[]): PlacedOrder {
    for (const leg of legs) {
      this.pending.orders.push(leg);
      if (leg.working && !isTerminalStatus(leg.status)) this.open.set(leg.id, leg);
    }
    const [entry, ...rest] = legs;
    const placed: PlacedOrder = { order: entry!, fill: null, duplicate: false, legs: rest };
    this.placed.set(entry!.idempotencyKey, placed);
    return placed;
  }

  /** A fill applied to the book: cash, fees, realized P&L and the position after it. */
  applyFill(fill: BookFill, position: Position): void {
    this.pending.fills.push(fill);
    this.cash = fill.cashAfter;
    this.feesPaid += fill.fee;
    this.realizedPnl += fill.realizedPnl ?? 0n;
    this.positions.set(position.symbol, position);
  }

  /** The working orders, as the engine takes them (fill model, reservations, cancel). */
  working(): WorkingOrder[] {
    return [...this.open.values()].map((o) => o.working!.order);
  }

  /** Working orders and this bar's orders, by id (an order another session or user owns is never here). */
  orderById(id: string): BookOrder | undefined {
    return this.open.get(id) ?? this.pending.orders.find((o) => o.id === id) ?? this.pending.updated.get(id);
  }

  /**
   * A working order moved on (the fill model, a cancel): its new engine state, or its end (`status` terminal).
   * Placed this bar: its row is still to be inserted as it stands now; else its stored row is updated.
   */
  moveWorking(
    next: WorkingOrder,
    statusReason: string | null = null,
    { triggeredAt, endedAt, ...links }: { triggeredAt?: Date; endedAt?: Date } & Pick<BookOrder, "replacedById"> = {},
  ): BookOrder {
    const before = this.orderById(next.id);
    if (!before?.working) throw new AppError("halt", "ILLEGAL_TRANSITION", `no working order ${next.id} on the book to move on`);
    const moved: BookOrder = {
      ...before,
      ...links,
      status: next.status,
      quantity: next.quantity,
      working: {
        ...before.working,
        order: next,
        statusReason: statusReason ?? before.working.statusReason,
        triggeredAt: before.working.triggeredAt ?? triggeredAt,
        endedAt: before.working.endedAt ?? endedAt,
      },
    };
    if (isTerminalStatus(next.status)) this.open.delete(next.id);
    else this.open.set(next.id, moved);
    const k = this.pending.orders.findIndex((o) => o.id === next.id);
    if (k >= 0) this.pending.orders[k] = moved;
    else this.pending.updated.set(next.id, moved);
    return moved;
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
    this.pending = nothingPending();
  }
}
