import type { AccountState } from "./account";
import { fillCashDelta, notional } from "./cash-ledger";
import { EngineError } from "./errors";
import type { FeeModel } from "./fees";
import { fillFee, fillPrice } from "./fill-charges";
import { evaluateOrder, type Activation, type BarPrices, type Execution } from "./fill-rules";
import type { CancelReason, ExpireReason, ModelFill, OrderBookEvent } from "./fill-model-events";
import { maxMoney, minMoney, type Money } from "./money";
import { formatMoney, formatPrice } from "./money-format";
import { isBuySide, sideSign } from "./order";
import { fillEvent, transition, type OrderEvent } from "./order-state";
import { resolveSameBar } from "./same-bar";
import { sideRuleProblem } from "./side-rules";
import { remainingQuantity, trailStop, type WorkingOrder } from "./working-orders";

/**
 * One bar of one symbol as the fill model reads it: exact prices (lib/market's Bar has numbers: convert each with
 * priceToMoney), `time` the bar's start (ms since the epoch), volume in shares, and where it sits in its day.
 */
export interface FillBar extends BarPrices {
  readonly symbol: string;
  readonly time: number;
  readonly volume: number;
}

export interface FillModelSettings {
  readonly fees: FeeModel;
  readonly slippageBps: number;
  /** At most this share of a bar's volume (bps, 1–10 000) fills across the symbol's orders; absent: no cap. */
  readonly participationBps?: number;
}

export interface MatchBarInput {
  /** All working orders (any symbol); those of other symbols, or placed after this bar's start, pass through. */
  readonly orders: readonly WorkingOrder[];
  readonly bar: FillBar;
  readonly settings: FillModelSettings;
  /** Finer bars (e.g. minutes) inside `bar`, in time order: used only to tell which leg of a pair came first. */
  readonly finerBars?: readonly BarPrices[];
  /** When given, a fill the account cannot pay (cash < 0) or whose shares are not there is cancelled instead. */
  readonly account?: Pick<AccountState, "cash" | "positions">;
}

export interface MatchBarResult {
  /** The orders still working after the bar, in their original order. */
  readonly orders: WorkingOrder[];
  readonly events: OrderBookEvent[];
  readonly fills: ModelFill[];
}

/**
 * The fill model (docs/engine.md, "Orders that work across bars"): checks the working orders of `bar.symbol`
 * against one new bar and returns what happened. Pure and deterministic. Order of work within the bar:
 * 1. each eligible order in list order (held exits join when their entry fills), its trigger and fill by the
 *    price rules of fill-rules.ts, one-cancels-other pairs settled by resolveSameBar (same-bar.ts);
 * 2. trailing stops still working move their water mark with this bar's extreme, after the check (as LEAN does);
 * 3. time in force: ioc/fok end after their first bar, opg after a day's first bar, cls and day at a day's close.
 */
export function matchBar(input: MatchBarInput): MatchBarResult {
  const { bar, settings } = input;
  const current = new Map(input.orders.map((o) => [o.id, o]));
  const ended = new Set<string>();
  const events: OrderBookEvent[] = [];
  const fills: ModelFill[] = [];
  const activation = new Map<string, Activation>();
  const suppressed = new Set<string>();
  const chosen = new Map<string, Execution>();
  const held = new Map<string, number>();
  for (const p of input.account?.positions.values() ?? []) held.set(p.symbol, p.quantity);
  let cash = input.account?.cash;
  let capLeft = settings.participationBps === undefined ? Infinity : Math.floor((bar.volume * settings.participationBps) / 10_000);
  const time = bar.time;

  const get = (id: string) => current.get(id) as WorkingOrder;
  const move = (o: WorkingOrder, event: OrderEvent, patch: Partial<WorkingOrder> = {}): WorkingOrder => {
    const to = transition(o.status, event);
    if (!to.ok) throw EngineError.from(to.error, "halt");
    const next = { ...o, ...patch, status: to.value };
    current.set(o.id, next);
    return next;
  };
  const end = (o: WorkingOrder, event: "cancel" | "expire", reason: CancelReason | ExpireReason, message = "") => {
    move(o, event);
    ended.add(o.id);
    events.push(
      event === "cancel"
        ? { kind: "cancelled", orderId: o.id, reason: reason as CancelReason, message, time }
        : { kind: "expired", orderId: o.id, reason: reason as ExpireReason, time },
    );
    settleChildren(o);
  };
  const alive = (id: string | undefined) => id !== undefined && current.has(id) && !ended.has(id);
  const queue: string[] = [];
  const activate = (child: WorkingOrder, quantity: number, how: Activation | null) => {
    move(child, "activate", { quantity });
    events.push({ kind: "activated", orderId: child.id, parentId: child.parentId as string, quantity, time });
    if (how !== null) {
      activation.set(child.id, how);
      queue.push(child.id);
    }
  };
  /** An entry that ended: its held exits start with what it filled (from the next bar), or are cancelled. */
  const settleChildren = (parent: WorkingOrder) => {
    for (const child of current.values()) {
      if (child.parentId !== parent.id || child.status !== "held" || ended.has(child.id)) continue;
      const filled = get(parent.id).filledQuantity;
      if (filled > 0) activate(child, filled, null);
      else end(child, "cancel", "parent_ended", `its entry ${parent.id} ended without a fill`);
    }
  };

  for (const o of input.orders) {
    if (o.symbol !== bar.symbol || o.placedAt > bar.time || o.status === "held") continue;
    activation.set(o.id, "bar");
    queue.push(o.id);
  }

  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    if (!alive(id) || suppressed.has(id)) continue;
    let o = get(id);
    const how = activation.get(id) ?? "bar";
    let exec = chosen.get(id) ?? evaluateOrder(o, bar, how);
    const sibling = o.ocoWith;
    if (!chosen.has(id) && sibling !== undefined && alive(sibling) && activation.has(sibling) && !suppressed.has(sibling)) {
      const s = get(sibling);
      const sExec = evaluateOrder(s, bar, activation.get(sibling) ?? "bar");
      const winner = resolveSameBar(o, exec, s, sExec, input.finerBars);
      if (winner !== null) {
        const loser = winner.order.id === id ? sibling : id;
        suppressed.add(loser);
        chosen.set(winner.order.id, winner.execution);
        if (loser === id) continue;
        exec = winner.execution;
      }
    }
    if (exec.triggers) {
      o = move(o, "trigger", { triggered: true });
      events.push({ kind: "triggered", orderId: id, stopPrice: o.stopPrice as Money, time });
    }
    if (exec.fillAt === null) continue;
    const remaining = remainingQuantity(o);
    const quantity = Math.min(remaining, capLeft);
    if (o.timeInForce === "fok" && quantity < remaining) {
      end(o, "cancel", "fok", `only ${quantity} of ${remaining} ${o.symbol} could fill on the first bar (fill-or-kill)`);
      continue;
    }
    if (quantity <= 0) continue;
    const price = fillPrice(o, exec.fillAt, settings.slippageBps);
    const fee = fillFee(settings.fees, o, quantity, price);
    const problem = accountProblem(o, quantity, price, fee);
    if (problem) {
      end(o, "cancel", problem.reason, problem.message);
      continue;
    }
    const filledQuantity = o.filledQuantity + quantity;
    const fill: ModelFill = { id: `${id}@${time}`, orderId: id, symbol: o.symbol, side: o.side, quantity, referencePrice: exec.fillAt, price, fee, time };
    const event = fillEvent(filledQuantity, o.quantity);
    o = move(o, event, { filledQuantity, filledNotional: o.filledNotional + notional(quantity, price, o.symbol) });
    fills.push(fill);
    events.push({ kind: event === "fill" ? "filled" : "partially_filled", orderId: id, fill, filledQuantity, time });
    capLeft -= quantity;
    if (cash !== undefined) cash += fillCashDelta(o.side, quantity, price, fee, o.symbol);
    held.set(o.symbol, (held.get(o.symbol) ?? 0) + sideSign(o.side) * quantity);
    if (alive(sibling)) end(get(sibling as string), "cancel", "oco", `its other leg ${id} filled`);
    if (event === "fill") {
      ended.add(id);
      const atOpen = how === "bar" && exec.fillAt === bar.open && o.timeInForce !== "cls";
      for (const child of current.values()) {
        if (child.parentId === id && child.status === "held") activate(child, o.quantity, atOpen ? "bar" : { after: exec.fillAt as Money });
      }
    }
  }

  // 2. Water marks move after the trigger check, with this bar's extreme.
  for (const id of activation.keys()) {
    const o = get(id);
    if (ended.has(id) || o.type !== "trailing_stop" || o.triggered || o.trail === undefined || o.waterMark === undefined) continue;
    const buy = isBuySide(o.side);
    const mark = buy ? minMoney(o.waterMark, bar.low) : maxMoney(o.waterMark, bar.high);
    if (mark === o.waterMark) continue;
    const stopPrice = trailStop(o.side, mark, o.trail);
    current.set(id, { ...o, waterMark: mark, stopPrice });
    events.push({ kind: "water_mark_moved", orderId: id, waterMark: mark, stopPrice, time });
  }

  // 3. Time in force. The live map, not a copy: an exit its expiring entry activates (it comes after the entry)
  // is then seen too, and a day exit expires with its day.
  for (const [id, o] of current) {
    if (ended.has(id) || o.status === "held" || o.symbol !== bar.symbol || o.placedAt > bar.time) continue;
    const tif = o.timeInForce;
    if (tif === "ioc" || tif === "fok") end(o, "cancel", tif, `the rest of ${tif} order ${id} did not fill on its first bar`);
    else if (tif === "opg" && bar.firstOfDay) end(o, "expire", "opg");
    else if ((tif === "cls" || tif === "day") && bar.lastOfDay) end(o, "expire", tif);
  }

  function accountProblem(o: WorkingOrder, quantity: number, price: Money, fee: Money): { reason: CancelReason; message: string } | null {
    if (input.account === undefined) return null;
    const sideIssue = sideRuleProblem(o.side, o.symbol, held.get(o.symbol) ?? 0, quantity);
    if (sideIssue) return { reason: "insufficient_shares", message: sideIssue.message };
    const delta = fillCashDelta(o.side, quantity, price, fee, o.symbol);
    if (cash !== undefined && delta < 0n && cash + delta < 0n) {
      return { reason: "insufficient_cash", message: `filling ${quantity} ${o.symbol} at ${formatPrice(price)} needs ${formatMoney(-delta)}, cash is ${formatMoney(cash)}` };
    }
    return null;
  }

  const orders = input.orders.map((o) => get(o.id)).filter((o) => !ended.has(o.id));
  return { orders, events, fills };
}
