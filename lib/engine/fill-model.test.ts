import { describe, expect, it } from "vitest";
import { usd } from "@/tests/support/engine-helpers";
import { bar, HOUR, lifecycle, NO_COSTS, place, runBars, T0 } from "@/tests/support/working-order-fixtures";
import { createAccount } from "./account";
import { computeFee } from "./fees";
import { matchBar } from "./fill-model";
import type { OrderRequest } from "./order";

const buyLimit = (limitPrice: number, extra: Partial<OrderRequest> = {}): OrderRequest =>
  ({ symbol: "AAPL", side: "buy", quantity: 100, type: "limit", limitPrice: usd(limitPrice), timeInForce: "gtc", ...extra }) as OrderRequest;

describe("matchBar: what an order may see", () => {
  it("an order placed at bar t is not matched against an earlier bar, and acts from bar t's open", () => {
    const orders = place(buyLimit(101), 100, 1);
    const before = matchBar({ orders, bar: bar(0, 100, 100, 90, 95), settings: NO_COSTS });
    expect(before.fills).toEqual([]);
    expect(before.orders).toEqual(orders);
    const at = matchBar({ orders, bar: bar(1, 100, 102, 99, 101), settings: NO_COSTS });
    expect(at.fills.map((f) => [f.quantity, f.price])).toEqual([[100, usd(100)]]);
  });

  it("bars of another symbol pass working orders through untouched", () => {
    const orders = place(buyLimit(101), 100);
    const r = matchBar({ orders, bar: { ...bar(0, 50, 50, 50, 50), symbol: "MSFT" }, settings: NO_COSTS });
    expect(r).toEqual({ orders, events: [], fills: [] });
  });
});

describe("matchBar: limits and stops across bars", () => {
  it("a buy limit waits, then fills at the limit inside a bar, or at the open on a gap below it", () => {
    const inside = runBars(place(buyLimit(97), 100), [bar(0, 100, 101, 98, 99), bar(1, 99, 99.5, 96, 98)]);
    expect(inside.fills.map((f) => [f.time, f.price])).toEqual([[T0 + HOUR, usd(97)]]);
    const gap = runBars(place(buyLimit(97), 100), [bar(0, 100, 101, 98, 99), bar(1, 95, 96, 94, 95)]);
    expect(gap.fills.map((f) => f.price)).toEqual([usd(95)]);
  });

  it("a sell stop that gaps through fills at the open; one touched inside the bar at its stop", () => {
    const req: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 10, type: "stop", stopPrice: usd(95), timeInForce: "gtc" };
    const gap = runBars(place(req, 100), [bar(0, 100, 101, 96, 97), bar(1, 93, 94, 92, 93)]);
    expect(lifecycle(gap.events)).toEqual(["triggered:o1", "filled:o1"]);
    expect(gap.fills.map((f) => [f.time, f.price])).toEqual([[T0 + HOUR, usd(93)]]);
    const inside = runBars(place(req, 100), [bar(0, 100, 101, 94, 97)]);
    expect(inside.fills.map((f) => f.price)).toEqual([usd(95)]);
  });

  it("a buy stop-limit with its limit under the stop triggers on one bar and fills as a limit on the next", () => {
    const req: OrderRequest = { symbol: "AAPL", side: "buy", quantity: 10, type: "stop_limit", stopPrice: usd(104), limitPrice: usd(103), timeInForce: "gtc" };
    const r = runBars(place(req, 100), [bar(0, 100, 105, 99, 104), bar(1, 104, 104.5, 102, 103)]);
    expect(lifecycle(r.events)).toEqual(["triggered:o1", "filled:o1"]);
    expect(r.fills.map((f) => [f.time, f.price])).toEqual([[T0 + HOUR, usd(103)]]);
  });

  it("a sell trailing stop by price moves its stop with the high-water mark and exits at it", () => {
    const req: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 10, type: "trailing_stop", trail: { kind: "price", amount: usd(2) }, timeInForce: "gtc" };
    const orders = place(req, 100);
    expect(orders[0]).toMatchObject({ waterMark: usd(100), stopPrice: usd(98) });
    // bar 0: low 99 > stop 98, then the mark rises to the high 104 → stop 102. bar 1: low 101 ≤ 102 → at 102.
    const r = runBars(orders, [bar(0, 100, 104, 99, 103), bar(1, 103, 103.5, 101, 101.5)]);
    expect(lifecycle(r.events)).toEqual(["water_mark_moved:o1", "triggered:o1", "filled:o1"]);
    expect(r.events[0]).toMatchObject({ waterMark: usd(104), stopPrice: usd(102) });
    expect(r.fills.map((f) => [f.time, f.price])).toEqual([[T0 + HOUR, usd(102)]]);
  });

  it("a trailing stop by percent: 5 % under a high of 110 is 104.50; a gap to 103 fills at the open", () => {
    const req: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 10, type: "trailing_stop", trail: { kind: "percent", bps: 500 }, timeInForce: "gtc" };
    const r = runBars(place(req, 100), [bar(0, 100, 110, 99, 109), bar(1, 103, 104, 102, 103)]);
    expect(r.events[0]).toMatchObject({ kind: "water_mark_moved", waterMark: usd(110), stopPrice: usd(104.5) });
    expect(r.fills.map((f) => f.price)).toEqual([usd(103)]);
  });

  it("a buy trailing stop (covering a short) trails the low-water mark from above", () => {
    const req: OrderRequest = { symbol: "AAPL", side: "buy_to_cover", quantity: 10, type: "trailing_stop", trail: { kind: "price", amount: usd(1) }, timeInForce: "gtc" };
    // stop 51; bar 0 never reaches it, low 48 → stop 49; bar 1 opens 48.50, high 49.20 ≥ 49 → at max(48.50, 49) = 49.
    const r = runBars(place(req, 50), [bar(0, 50, 50.5, 48, 48.5), bar(1, 48.5, 49.2, 48.3, 49)]);
    expect(r.fills.map((f) => f.price)).toEqual([usd(49)]);
  });
});

describe("matchBar: time in force", () => {
  it("day expires at the day's last bar; gtc keeps working", () => {
    const day = runBars(place(buyLimit(90, { timeInForce: "day" }), 100), [bar(0, 100, 101, 99, 100), bar(1, 100, 101, 99, 100, { lastOfDay: true })]);
    expect(lifecycle(day.events)).toEqual(["expired:o1"]);
    expect(day.orders).toEqual([]);
    const gtc = runBars(place(buyLimit(90), 100), [bar(0, 100, 101, 99, 100, { lastOfDay: true })]);
    expect(gtc.orders).toHaveLength(1);
  });

  it("ioc fills what it can at the open and cancels the rest; fok fills all or nothing", () => {
    const capped = { ...NO_COSTS, participationBps: 500 }; // 5 % of 1,000 shares = 50
    const thin = bar(0, 100, 101, 99, 100, { volume: 1_000 });
    const ioc = runBars(place(buyLimit(101, { timeInForce: "ioc" }), 100), [thin], capped);
    expect(lifecycle(ioc.events)).toEqual(["partially_filled:o1", "cancelled:o1"]);
    expect(ioc.fills.map((f) => f.quantity)).toEqual([50]);
    const fok = runBars(place(buyLimit(101, { timeInForce: "fok" }), 100), [thin], capped);
    expect(lifecycle(fok.events)).toEqual(["cancelled:o1"]);
    expect(fok.fills).toEqual([]);
    // ioc looks only at the open: a limit the bar reaches later does not fill.
    const late = runBars(place(buyLimit(99.5, { timeInForce: "ioc" }), 100), [bar(0, 100, 101, 99, 100)]);
    expect(lifecycle(late.events)).toEqual(["cancelled:o1"]);
  });

  it("opg waits for a day's first bar and fills at its open or expires; cls fills at a day's last close", () => {
    const opg = runBars(place({ symbol: "AAPL", side: "buy", quantity: 5, type: "market", timeInForce: "opg" }, 100), [
      bar(0, 100, 101, 99, 100, { lastOfDay: true }),
      bar(18, 102, 103, 101, 102, { firstOfDay: true }),
    ]);
    expect(opg.fills.map((f) => [f.time, f.price])).toEqual([[T0 + 18 * HOUR, usd(102)]]);
    const opgMiss = runBars(place(buyLimit(101, { timeInForce: "opg" }), 100), [bar(18, 102, 103, 100, 102, { firstOfDay: true })]);
    expect(lifecycle(opgMiss.events)).toEqual(["expired:o1"]);
    const cls = runBars(place({ symbol: "AAPL", side: "buy", quantity: 5, type: "market", timeInForce: "cls" }, 100), [
      bar(0, 100, 101, 99, 100),
      bar(1, 100, 101, 99, 100.75, { lastOfDay: true }),
    ]);
    expect(cls.fills.map((f) => [f.time, f.price])).toEqual([[T0 + HOUR, usd(100.75)]]);
  });
});

describe("matchBar: participation cap, fees and slippage", () => {
  it("a capped order fills part per bar, stays partially filled, and pays one order's fee in total", () => {
    const fees = { perShare: usd(0.01), perOrder: usd(1), minimum: 0n, notionalBps: 0 };
    const settings = { fees, slippageBps: 0, participationBps: 5_000 }; // half of each bar's volume
    const r = runBars(place(buyLimit(101), 100), [bar(0, 100, 101, 99, 100, { volume: 120 }), bar(1, 100, 101, 99, 100, { volume: 120 })], settings);
    expect(lifecycle(r.events)).toEqual(["partially_filled:o1", "filled:o1"]);
    // 60 shares: $1 + 60 × $0.01 = $1.60; then 40 shares: $0.40. Together $2.00 = the fee of 100 shares at once.
    expect(r.fills.map((f) => [f.quantity, f.fee])).toEqual([[60, usd(1.6)], [40, usd(0.4)]]);
    expect(usd(2)).toBe(computeFee(fees, 100, usd(100), "AAA"));
  });

  it("slippage moves the price against the trader, never past the limit", () => {
    const settings = { ...NO_COSTS, slippageBps: 10 };
    // Gap fill at the open 100: 100 × 1.001 = 100.10 ≤ 101.
    expect(runBars(place(buyLimit(101), 100), [bar(0, 100, 101, 99, 100)], settings).fills[0]?.price).toBe(usd(100.1));
    // At the limit 97: 97.097 would be above the limit, so 97.
    expect(runBars(place(buyLimit(97), 100), [bar(0, 100, 101, 96, 100)], settings).fills[0]).toMatchObject({ referencePrice: usd(97), price: usd(97) });
    // A sell stop at 95: 95 × 0.999 = 94.905.
    const stop: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 1, type: "stop", stopPrice: usd(95), timeInForce: "gtc" };
    expect(runBars(place(stop, 100), [bar(0, 100, 101, 94, 96)], settings).fills[0]?.price).toBe(usd(94.905));
  });

  it("with an account, a fill it cannot pay is cancelled, not overdrawn", () => {
    const r = matchBar({ orders: place(buyLimit(101), 100), bar: bar(0, 100, 101, 99, 100), settings: NO_COSTS, account: createAccount(usd(9_999)) });
    expect(r.fills).toEqual([]);
    expect(r.events).toMatchObject([{ kind: "cancelled", reason: "insufficient_cash" }]);
  });
});

describe("matchBar: brackets, oco, oto", () => {
  const bracket = (entry: Partial<OrderRequest> = {}): OrderRequest =>
    ({ ...buyLimit(100), orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) }, ...entry }) as OrderRequest;

  it("a bracket's exits are held until the entry fills, then the take-profit wins and cancels the stop-loss", () => {
    const legs = place(bracket(), 102);
    expect(legs.map((o) => [o.id, o.role, o.status])).toEqual([["o1", "entry", "accepted"], ["o1:tp", "take_profit", "held"], ["o1:sl", "stop_loss", "held"]]);
    const r = runBars(legs, [bar(0, 102, 103, 101, 102), bar(1, 101, 102, 99.5, 101), bar(2, 104, 111, 103, 110)]);
    expect(lifecycle(r.events)).toEqual(["filled:o1", "activated:o1:tp", "activated:o1:sl", "filled:o1:tp", "cancelled:o1:sl"]);
    expect(r.fills.map((f) => [f.orderId, f.time, f.price])).toEqual([["o1", T0 + HOUR, usd(100)], ["o1:tp", T0 + 2 * HOUR, usd(110)]]);
    expect(r.orders).toEqual([]);
  });

  it("both legs inside one bar: the stop-loss first, unless finer bars show the take-profit came first", () => {
    const afterEntry = runBars(place(bracket(), 102), [bar(0, 101, 102, 99.5, 101)]).orders;
    const wide = bar(1, 104, 111, 94, 100);
    const coarse = runBars(afterEntry, [wide]);
    expect(coarse.fills.map((f) => [f.orderId, f.price])).toEqual([["o1:sl", usd(95)]]);
    expect(lifecycle(coarse.events)).toEqual(["triggered:o1:sl", "filled:o1:sl", "cancelled:o1:tp"]);
    const up = { ...bar(1, 104, 111, 104, 110), firstOfDay: false, lastOfDay: false };
    const down = { ...bar(1, 110, 110, 94, 100), firstOfDay: false, lastOfDay: false };
    const upFirst = runBars(afterEntry, [wide], NO_COSTS, { finerBars: [up, down] });
    expect(upFirst.fills.map((f) => [f.orderId, f.price])).toEqual([["o1:tp", usd(110)]]);
    const downFirst = runBars(afterEntry, [wide], NO_COSTS, { finerBars: [{ ...down, open: usd(104), high: usd(104) }, { ...up, open: usd(94), low: usd(94) }] });
    expect(downFirst.fills.map((f) => [f.orderId, f.price])).toEqual([["o1:sl", usd(95)]]);
  });

  it("an entry filled at the open lets its exits see the whole bar: a market bracket can take profit the same bar", () => {
    const legs = place(bracket({ type: "market" } as Partial<OrderRequest>), 100);
    const r = runBars(legs, [bar(0, 100, 111, 99, 110)]);
    expect(r.fills.map((f) => [f.orderId, f.price])).toEqual([["o1", usd(100)], ["o1:tp", usd(110)]]);
  });

  it("an entry filled inside the bar: its stop-loss may trigger after it the same bar, its take-profit waits", () => {
    // Limit entry 100 from an open of 101; the low 94 came after the entry, so the stop 95 is hit.
    const r = runBars(place(bracket(), 102), [bar(0, 101, 111, 94, 100)]);
    expect(r.fills.map((f) => [f.orderId, f.price])).toEqual([["o1", usd(100)], ["o1:sl", usd(95)]]);
  });

  it("an entry that expires unfilled cancels its held exits; one that filled part activates them for that part", () => {
    const none = runBars(place(bracket({ timeInForce: "day" }), 102), [bar(0, 102, 103, 101, 102, { lastOfDay: true })]);
    expect(lifecycle(none.events)).toEqual(["expired:o1", "cancelled:o1:tp", "cancelled:o1:sl"]);
    const settings = { ...NO_COSTS, participationBps: 5_000 };
    const part = runBars(place(bracket({ timeInForce: "day" }), 102), [bar(0, 101, 102, 99, 101, { lastOfDay: true, volume: 60 })], settings);
    expect(lifecycle(part.events)).toEqual(["partially_filled:o1", "expired:o1", "activated:o1:tp", "activated:o1:sl", "expired:o1:tp", "expired:o1:sl"]);
    const gtc = runBars(place(bracket(), 102), [bar(0, 101, 102, 99, 101, { lastOfDay: true, volume: 60 })], settings);
    expect(gtc.orders.map((o) => [o.id, o.status, o.filledQuantity])).toEqual([["o1", "partially_filled", 30], ["o1:tp", "held", 0], ["o1:sl", "held", 0]]);
  });

  it("an oco works both exits at once and the first to fill cancels the other", () => {
    const oco: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 100, type: "limit", limitPrice: usd(110), orderClass: "oco", timeInForce: "gtc", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) } };
    const legs = place(oco, 100);
    expect(legs.map((o) => [o.id, o.type, o.status, o.ocoWith])).toEqual([["o1", "limit", "accepted", "o1:sl"], ["o1:sl", "stop", "accepted", "o1"]]);
    const r = runBars(legs, [bar(0, 100, 104, 97, 103), bar(1, 96, 97, 94, 95)]);
    expect(lifecycle(r.events)).toEqual(["triggered:o1:sl", "filled:o1:sl", "cancelled:o1"]);
    expect(r.fills.map((f) => [f.orderId, f.time, f.price])).toEqual([["o1:sl", T0 + HOUR, usd(95)]]);
  });

  it("an oto: a buy stop entry with a stop-loss; an entry triggered inside the bar meets its stop-loss after it (conservative)", () => {
    const oto: OrderRequest = { symbol: "AAPL", side: "buy", quantity: 10, type: "stop", stopPrice: usd(105), orderClass: "oto", timeInForce: "gtc", stopLoss: { stopPrice: usd(100) } };
    const legs = place(oto, 102);
    expect(legs.map((o) => o.id)).toEqual(["o1", "o1:sl"]);
    const r = runBars(legs, [bar(0, 102, 106, 99, 101)]);
    expect(r.fills.map((f) => [f.orderId, f.price])).toEqual([["o1", usd(105)], ["o1:sl", usd(100)]]);
  });
});
