import { checkWorkingOrder, type CheckWorkingOrderInput } from "./check-working-order";
import { marketClosed } from "./check-order-messages";
import { orderPriceVsMarketProblem } from "./check-order-prices";
import { failure, type EngineFailure } from "./errors";
import { maxMoney, minMoney, type Money } from "./money";
import { isBuySide, type OrderClass, type TimeInForce, type Trail } from "./order";
import { buildOrderRequest, type OrderFields } from "./order-contract-rules";
import { showPrice } from "./order-price";
import { transition } from "./order-state";
import { trailStop, workingOrdersFor, type WorkingOrder } from "./working-orders";

/**
 * Replacing a working order (Alpaca's replace, docs/engine.md "Replacing an order"): the order ends `replaced` and a
 * new order with a new id takes its place, placed now, with the fields that may change (quantity, limit, stop, trail,
 * time in force) changed and everything else kept. The type, side, symbol and class never change (cancel and place a
 * new order for that). Pure; nothing changes on a refusal.
 *
 * - An entry (a simple order, or a bracket's or oto's entry before it fills): re-checked exactly as a new order of the
 *   same class (checkWorkingOrder) against the working orders WITHOUT the old one and its legs, so what the old one
 *   reserved is free for the new one. Its legs waiting for it are replaced with it (new legs, the new quantity, linked
 *   to the new entry). A trailing stop keeps its water mark (the better of it and the last price), so moving the trail
 *   does not forget the best price seen.
 * - A leg (a take-profit or stop-loss of a bracket, oto or oco): only its prices change (its quantity and time in
 *   force are its order's); checked with its sibling and, while it waits, its entry, as place_order checks legs; the
 *   other leg of its pair is linked to the new leg.
 * - Refused without a candidate (nothing to write): an id not working (UNKNOWN_ORDER), a triggered or partly filled
 *   order (ORDER_NOT_REPLACEABLE: the transition table lets a partly filled order be replaced, but its fills would
 *   then belong to two orders; cancel it and place the rest), nothing to change or a field its type does not take
 *   (INVALID_REPLACE), a combination the contract refuses. Refused WITH a candidate (the caller writes it as a
 *   rejected order): what the market refuses, as place_order's are (a stop on the wrong side, not enough free cash).
 */
export interface ReplaceChanges {
  readonly quantity?: number;
  readonly limitPrice?: Money;
  readonly stopPrice?: Money;
  readonly trail?: Trail;
  readonly timeInForce?: TimeInForce;
}

export interface ReplaceWorkingOrderInput extends Omit<CheckWorkingOrderInput, "request" | "id"> {
  readonly targetId: string;
  /** The class of the request the target belongs to (the book keeps it; a WorkingOrder does not). */
  readonly orderClass: OrderClass;
  readonly changes: ReplaceChanges;
  /** The new order's id: a replaced entry's legs become `${newId}:tp` and `${newId}:sl`. */
  readonly newId: string;
}

export interface EndedByReplace {
  /** The old order as it ends: status `replaced`. */
  readonly order: WorkingOrder;
  /** The id of the order that takes its place. */
  readonly by: string;
  readonly reason: "requested" | "parent_replaced";
}

export interface ReplacedWorkingOrder {
  readonly ended: readonly EndedByReplace[];
  /** The new orders, entry first, to add to the working orders. */
  readonly orders: readonly WorkingOrder[];
  /** Orders still working whose link moved to a new order (the other leg of a pair). */
  readonly relinked: readonly WorkingOrder[];
  /** The class of the new orders (a bracket that lost a leg is an oto now; with none left, simple). */
  readonly orderClass: OrderClass;
}

export type ReplaceResult =
  | { readonly ok: true; readonly value: ReplacedWorkingOrder }
  /** `candidate`: the order that was asked for, when there was one to write as rejected. */
  | { readonly ok: false; readonly error: EngineFailure; readonly candidate: WorkingOrder | null };

const refuse = (error: EngineFailure, candidate: WorkingOrder | null = null): ReplaceResult => ({ ok: false, error, candidate });

const LEG_WORD = { entry: "entry", take_profit: "take-profit", stop_loss: "stop-loss" } as const;

export function replaceWorkingOrder(input: ReplaceWorkingOrderInput): ReplaceResult {
  const target = input.working.find((o) => o.id === input.targetId);
  if (target === undefined) {
    return refuse(failure("UNKNOWN_ORDER", `no working order ${input.targetId}: it has filled, ended or never existed; get_orders shows the working ones`));
  }
  const problem = replaceableProblem(target, input.changes, input.orderClass);
  if (problem) return refuse(problem);
  return target.role === "entry" ? replaceEntry(input, target) : replaceLeg(input, target);
}

function describe(o: WorkingOrder): string {
  return `${o.side} ${o.quantity} ${o.symbol} ${o.type.replace("_", "-")}${o.role === "entry" ? "" : ` (${LEG_WORD[o.role]} leg)`}`;
}

function replaceableProblem(o: WorkingOrder, c: ReplaceChanges, cls: OrderClass): EngineFailure | null {
  const given = (Object.keys(c) as (keyof ReplaceChanges)[]).filter((k) => c[k] !== undefined);
  if (given.length === 0) {
    return failure("INVALID_REPLACE", "nothing to change: give at least one of quantity, limitPrice, stopPrice, trailPrice or trailPercent, timeInForce");
  }
  if (o.status === "triggered" || o.triggered) {
    return failure("ORDER_NOT_REPLACEABLE", `order ${o.id} (${describe(o)}) has triggered and is working as a ${o.type === "stop_limit" ? "limit" : "market"} order now: it can no longer be replaced, only cancelled (cancel_order)`);
  }
  if (o.filledQuantity > 0) {
    return failure("ORDER_NOT_REPLACEABLE", `order ${o.id} (${describe(o)}) has filled ${o.filledQuantity} of ${o.quantity} shares: a partly filled order cannot be replaced; cancel it (the filled shares stay yours) and place a new order for the rest`);
  }
  const to = transition(o.status, "replace");
  if (!to.ok) return failure("ORDER_NOT_REPLACEABLE", `order ${o.id} (${describe(o)}) is ${o.status} and cannot be replaced`);
  const takes = {
    limitPrice: o.type === "limit" || o.type === "stop_limit",
    stopPrice: o.type === "stop" || o.type === "stop_limit",
    trail: o.type === "trailing_stop",
  };
  for (const field of ["limitPrice", "stopPrice", "trail"] as const) {
    if (c[field] === undefined || takes[field]) continue;
    const name = field === "trail" ? "trailPrice or trailPercent" : field;
    return failure("INVALID_REPLACE", `order ${o.id} is a ${o.type} order: it takes no ${name}. replace_order keeps an order's type; to change it, cancel the order and place a new one`);
  }
  if (o.role !== "entry" && (c.quantity !== undefined || c.timeInForce !== undefined)) {
    const whose = cls === "oco" ? "the oco's (cancel it and place a new oco to change them)" : `its entry's (replace the entry ${o.parentId ?? ""} while it waits, or cancel and place new exits)`;
    return failure("INVALID_REPLACE", `order ${o.id} is the ${LEG_WORD[o.role]} leg of a ${cls} order: only its prices can change here; its quantity and time in force are ${whose}`);
  }
  return null;
}

function trailFields(trail: Trail | undefined): Pick<OrderFields, "trailPrice" | "trailBps"> {
  if (trail === undefined) return {};
  return trail.kind === "price" ? { trailPrice: trail.amount } : { trailBps: trail.bps };
}

/** The exits of an entry, as the order contract names them. */
function legFields(legs: readonly WorkingOrder[]): Pick<OrderFields, "takeProfit" | "stopLoss"> {
  const tp = legs.find((l) => l.role === "take_profit");
  const sl = legs.find((l) => l.role === "stop_loss");
  return {
    ...(tp ? { takeProfit: { limitPrice: tp.limitPrice! } } : {}),
    ...(sl ? { stopLoss: { stopPrice: sl.stopPrice!, ...(sl.type === "stop_limit" ? { limitPrice: sl.limitPrice! } : {}) } } : {}),
  };
}

/** The class an entry's request has with the legs still waiting for it (a bracket that lost a leg is an oto). */
function classWith(cls: OrderClass, legs: number): OrderClass {
  if (legs === 0) return "simple";
  return cls === "bracket" && legs === 1 ? "oto" : cls;
}

function replaceEntry(input: ReplaceWorkingOrderInput, target: WorkingOrder): ReplaceResult {
  const c = input.changes;
  const legs = input.working.filter((o) => o.parentId === target.id);
  const cls = classWith(input.orderClass, legs.length);
  const fields: OrderFields = {
    symbol: target.symbol,
    side: target.side,
    quantity: c.quantity ?? target.quantity,
    type: target.type,
    timeInForce: c.timeInForce ?? target.timeInForce,
    ...(cls === "simple" ? {} : { orderClass: cls }),
    limitPrice: c.limitPrice ?? target.limitPrice,
    stopPrice: target.type === "trailing_stop" ? undefined : (c.stopPrice ?? target.stopPrice),
    ...trailFields(c.trail ?? target.trail),
    ...legFields(legs),
  };
  const built = buildOrderRequest(fields);
  if (!built.ok) return refuse(built.error);
  const request = built.value;
  const others = input.working.filter((o) => o.id !== target.id && o.parentId !== target.id);
  const checked = checkWorkingOrder({ ...input, request, id: input.newId, working: others });
  if (!checked.ok) {
    const [asked] = workingOrdersFor(request, { id: input.newId, placedAt: input.placedAt, lastPrice: input.lastPrices.get(target.symbol) ?? 1n });
    return refuse(checked.error, asked!);
  }
  const orders = [...checked.value.orders];
  const last = input.lastPrices.get(target.symbol)!;
  const entry = orders[0]!;
  if (entry.type === "trailing_stop" && target.waterMark !== undefined && entry.trail !== undefined) {
    const mark = isBuySide(entry.side) ? minMoney(target.waterMark, last) : maxMoney(target.waterMark, last);
    orders[0] = { ...entry, waterMark: mark, stopPrice: trailStop(entry.side, mark, entry.trail) };
  }
  const suffix = { take_profit: ":tp", stop_loss: ":sl", entry: "" } as const;
  const ended: EndedByReplace[] = [
    { order: { ...target, status: "replaced" }, by: input.newId, reason: "requested" },
    ...legs.map((l) => ({ order: { ...l, status: "replaced" as const }, by: `${input.newId}${suffix[l.role]}`, reason: "parent_replaced" as const })),
  ];
  return { ok: true, value: { ended, orders, relinked: [], orderClass: cls } };
}

function replaceLeg(input: ReplaceWorkingOrderInput, target: WorkingOrder): ReplaceResult {
  const c = input.changes;
  const sibling = target.ocoWith === undefined ? undefined : input.working.find((o) => o.id === target.ocoWith);
  const parent = target.parentId === undefined ? undefined : input.working.find((o) => o.id === target.parentId);
  const next: WorkingOrder = {
    ...target,
    id: input.newId,
    placedAt: input.placedAt,
    limitPrice: target.type === "stop" ? undefined : (c.limitPrice ?? target.limitPrice),
    stopPrice: target.role === "stop_loss" ? (c.stopPrice ?? target.stopPrice) : undefined,
    ocoWith: sibling?.id,
  };
  const last = input.lastPrices.get(target.symbol);
  if (last === undefined) return refuse(marketClosed(target.symbol), next);
  const pair = sibling ? [next, sibling] : [next];
  // How place_order would have checked these exits: with their entry while they wait for it, else as an oco pair
  // (or one exit alone) against the last price.
  let fields: OrderFields;
  if (target.status === "held" && parent !== undefined) {
    const cls = classWith(input.orderClass, pair.length);
    fields = {
      symbol: parent.symbol,
      side: parent.side,
      quantity: parent.quantity,
      type: parent.type,
      timeInForce: parent.timeInForce,
      orderClass: cls,
      limitPrice: parent.limitPrice,
      stopPrice: parent.type === "trailing_stop" ? undefined : parent.stopPrice,
      ...trailFields(parent.trail),
      ...legFields(pair),
    };
  } else if (sibling) {
    const legs = legFields(pair);
    fields = { symbol: next.symbol, side: next.side, quantity: next.quantity, type: "limit", timeInForce: next.timeInForce, orderClass: "oco", limitPrice: legs.takeProfit!.limitPrice, ...legs };
  } else {
    fields = { symbol: next.symbol, side: next.side, quantity: next.quantity, type: next.type, timeInForce: next.timeInForce, limitPrice: next.limitPrice, stopPrice: next.stopPrice };
  }
  // A bracket's or oto's active exits are checked as the oco pair they now are; the words name the order the model placed.
  const named = (f: EngineFailure): EngineFailure =>
    input.orderClass === "oco" ? f : { ...f, message: f.message.replace(/^an oco (?:sell|buy_to_cover)'s /, `this ${input.orderClass}'s `) };
  const built = buildOrderRequest(fields);
  if (!built.ok) return refuse(named(built.error), next);
  const priceIssue = orderPriceVsMarketProblem(built.value, last);
  if (priceIssue) return refuse(named(priceIssue), next);
  if (next.role === "take_profit" && target.status !== "held" && !sibling) {
    // A lone take-profit on the wrong side of the market would take no profit: it sells below (buys above) the price now.
    const wrong = isBuySide(next.side) ? next.limitPrice! >= last : next.limitPrice! <= last;
    if (wrong) {
      return refuse(failure("INVALID_ORDER_PRICE", `take-profit ${showPrice(next.limitPrice!)} must be ${isBuySide(next.side) ? "below" : "above"} the last price ${showPrice(last)}, or it takes no profit`), next);
    }
  }
  return {
    ok: true,
    value: {
      ended: [{ order: { ...target, status: "replaced" }, by: input.newId, reason: "requested" }],
      orders: [next],
      relinked: sibling ? [{ ...sibling, ocoWith: input.newId }] : [],
      orderClass: input.orderClass,
    },
  };
}
