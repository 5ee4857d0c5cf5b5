import fc from "fast-check";
import type { FillBar } from "@/lib/engine/fill-model";
import type { BarPrices } from "@/lib/engine/fill-rules";
import type { Money } from "@/lib/engine/money";
import { TIME_IN_FORCE_BY_TYPE, type OrderSide, type OrderType, type TimeInForce } from "@/lib/engine/order";
import type { OrderFields } from "@/lib/engine/order-contract-rules";
import { HOUR, T0 } from "./working-order-fixtures";

/**
 * Random bars and random order intents for the fill model's property tests. Prices are whole cents of at least
 * $5; bars are consistent (low ≤ open, close ≤ high) and grouped into days of `barsPerDay` bars.
 */
export interface BarShape {
  readonly gapBps: number;
  readonly bodyBps: number;
  readonly upBps: number;
  readonly downBps: number;
  readonly volume: number;
  /** Finer bars for this bar: none, or three along open → high → low → close ("high") or open → low → high → close. */
  readonly finer: "none" | "high" | "low";
}

export const barShapeArb: fc.Arbitrary<BarShape> = fc.record({
  gapBps: fc.integer({ min: -400, max: 400 }),
  bodyBps: fc.integer({ min: -400, max: 400 }),
  upBps: fc.integer({ min: 0, max: 400 }),
  downBps: fc.integer({ min: 0, max: 400 }),
  volume: fc.integer({ min: 0, max: 5_000 }),
  finer: fc.constantFrom("none", "high", "low"),
});

/** Three finer bars that walk `bar` from its open through its high and low (in the order `first`) to its close. */
export function finerBarsOf(bar: FillBar, first: "high" | "low"): BarPrices[] {
  const path = first === "high" ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close];
  return [0, 1, 2].map((k) => {
    const a = path[k] as Money;
    const b = path[k + 1] as Money;
    return { open: a, close: b, high: a > b ? a : b, low: a < b ? a : b, firstOfDay: false, lastOfDay: false };
  });
}

const CENT = 10_000n;
const MIN_CENTS = 500n;
const move = (cents: bigint, bps: number) => {
  const c = (cents * BigInt(10_000 + bps)) / 10_000n;
  return c < MIN_CENTS ? MIN_CENTS : c;
};

export function barsFrom(shapes: readonly BarShape[], barsPerDay: number, startCents = 10_000n): FillBar[] {
  let prevClose = startCents;
  return shapes.map((s, i) => {
    const open = move(prevClose, s.gapBps);
    const close = move(open, s.bodyBps);
    const high = move(open > close ? open : close, s.upBps);
    const low = move(open < close ? open : close, -s.downBps);
    prevClose = close;
    return {
      symbol: "AAPL",
      time: T0 + i * HOUR,
      volume: s.volume,
      open: open * CENT,
      high: high * CENT,
      low: low * CENT,
      close: close * CENT,
      firstOfDay: i % barsPerDay === 0,
      lastOfDay: i % barsPerDay === barsPerDay - 1,
    };
  });
}

/** What a model might ask for; `fieldsFor` turns it into order fields priced around the last price. */
export interface OrderIntent {
  readonly type: OrderType;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly tifPick: number;
  readonly orderClass: "simple" | "bracket" | "oco" | "oto";
  readonly long: boolean;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly percentTrail: boolean;
  readonly stopLimitLoss: boolean;
}

export function orderIntentArb(o: { sides: readonly OrderSide[]; types: readonly OrderType[]; classes: readonly OrderIntent["orderClass"][] }): fc.Arbitrary<OrderIntent> {
  return fc.record({
    type: fc.constantFrom(...o.types),
    side: fc.constantFrom(...o.sides),
    quantity: fc.integer({ min: 1, max: 60 }),
    tifPick: fc.nat({ max: 5 }),
    orderClass: fc.constantFrom(...o.classes),
    long: fc.boolean(),
    a: fc.integer({ min: -800, max: 800 }),
    b: fc.integer({ min: -300, max: 300 }),
    c: fc.integer({ min: 1, max: 800 }),
    d: fc.integer({ min: 1, max: 800 }),
    percentTrail: fc.boolean(),
    stopLimitLoss: fc.boolean(),
  });
}

/** `last` moved by `bps`, in whole cents. */
function px(last: Money, bps: number): Money {
  const cents = (last / CENT) * BigInt(10_000 + bps) / 10_000n;
  return (cents < 1n ? 1n : cents) * CENT;
}

export function fieldsFor(i: OrderIntent, last: Money): OrderFields {
  const linked = i.orderClass !== "simple";
  const side: OrderSide = i.orderClass === "bracket" || i.orderClass === "oto" ? (i.long ? "buy" : "sell_short") : i.orderClass === "oco" ? (i.long ? "sell" : "buy_to_cover") : i.side;
  const type: OrderType = i.orderClass === "oco" ? "limit" : linked && i.type === "trailing_stop" ? "limit" : i.type;
  const buy = side === "buy" || side === "buy_to_cover";
  const allowed: readonly TimeInForce[] = linked ? ["day", "gtc"] : TIME_IN_FORCE_BY_TYPE[type];
  const timeInForce = allowed[i.tifPick % allowed.length] as TimeInForce;
  const f: { -readonly [K in keyof OrderFields]: OrderFields[K] } = { symbol: "AAPL", side, quantity: i.quantity, type, timeInForce, orderClass: i.orderClass };
  const away = Math.abs(i.a) + 1; // a stop on the side it triggers from
  if (type === "limit") f.limitPrice = px(last, i.a);
  if (type === "stop" || type === "stop_limit") f.stopPrice = px(last, buy ? away : -away);
  if (type === "stop_limit") f.limitPrice = px(f.stopPrice as Money, i.b);
  if (type === "trailing_stop") {
    if (i.percentTrail) f.trailBps = away;
    else f.trailPrice = px(last, away - 10_000); // away bps of the last price, at least a cent
  }
  if (!linked) return f;
  // Exits of a long: take profit above the entry, stop below (a short's the reverse); the oco's side is the exit's.
  const exitsLong = side === "buy" || side === "sell";
  const entry = i.orderClass === "oco" ? last : (f.limitPrice ?? f.stopPrice ?? last);
  const ref = i.orderClass === "oco" || type === "market" ? last : entry;
  const tp = px(ref, exitsLong ? i.c : -i.c);
  const slStop = px(ref, exitsLong ? -i.d : i.d);
  const slLimit = i.stopLimitLoss ? px(slStop, exitsLong ? -50 : 50) : undefined;
  if (i.orderClass === "oco") f.limitPrice = tp;
  const both = i.orderClass !== "oto";
  if (both || i.a % 2 === 0) f.takeProfit = { limitPrice: tp };
  if (both || i.a % 2 !== 0) f.stopLoss = { stopPrice: slStop, ...(slLimit === undefined ? {} : { limitPrice: slLimit }) };
  return f;
}
