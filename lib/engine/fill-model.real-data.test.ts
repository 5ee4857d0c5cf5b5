import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAlphaVantage } from "@/lib/market/alpha-vantage";
import { usd } from "@/tests/support/engine-helpers";
import { DAILY_FILE, readSharedData, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { runBars } from "@/tests/support/working-order-fixtures";
import type { FillBar } from "./fill-model";
import { priceToMoney } from "./money";
import type { OrderRequest } from "./order";
import { workingOrdersFor } from "./working-orders";

/**
 * Hand-computed scenarios on the real daily NASDAQ-100 bars of ../shared/data (never committed; skipped when
 * absent). Daily bars: each is its day's first and last bar, so these orders are gtc. An order is placed at the
 * open of its first bar and matched from that bar on, without fees or slippage. Prices quoted are the file's.
 */
const present = fs.existsSync(path.join(SHARED_DATA_DIR, DAILY_FILE));

let cache: FillBar[] | undefined;
function daily(): FillBar[] {
  cache ??= parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.flatMap((b) =>
    b.high === null || b.low === null || b.close === null
      ? []
      : [{ symbol: b.symbol, time: b.start.getTime(), volume: b.volume ?? 0, open: priceToMoney(b.open), high: priceToMoney(b.high), low: priceToMoney(b.low), close: priceToMoney(b.close), firstOfDay: true, lastOfDay: true }],
  );
  return cache;
}

/** The request's symbol's bars from `date` on, with the order placed at the open of the first of them. */
type Unplaced<R> = R extends OrderRequest ? Omit<R, "symbol"> : never;
function placeOn(symbol: string, date: string, request: Unplaced<OrderRequest>) {
  const bars = daily()
    .filter((b) => b.symbol === symbol && new Date(b.time).toISOString().slice(0, 10) >= date)
    .sort((a, b) => a.time - b.time);
  const first = bars[0] as FillBar;
  expect(new Date(first.time).toISOString().slice(0, 10)).toBe(date);
  const orders = workingOrdersFor({ ...request, symbol } as OrderRequest, { id: "o1", placedAt: first.time, lastPrice: first.open });
  return runBars(orders, bars);
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

describe.skipIf(!present)("the fill model on real daily NASDAQ-100 bars", () => {
  it("AMZN: a buy limit at $225 placed 2025-07-31 (low 231.40) fills at the 2025-08-01 open of $217.21, below its limit", () => {
    const r = placeOn("AMZN", "2025-07-31", { side: "buy", quantity: 10, type: "limit", limitPrice: usd(225), timeInForce: "gtc" });
    expect(r.fills.map((f) => [day(f.time), f.price])).toEqual([["2025-08-01", usd(217.21)]]);
  });

  it("AAPL: a sell stop at $255 placed 2025-10-08 (low 256.11) triggers inside 2025-10-09 (open 257.805, low 253.14) at $255", () => {
    const r = placeOn("AAPL", "2025-10-08", { side: "sell", quantity: 10, type: "stop", stopPrice: usd(255), timeInForce: "gtc" });
    expect(r.events.map((e) => `${e.kind}:${day(e.time)}`)).toEqual(["triggered:2025-10-09", "filled:2025-10-09"]);
    expect(r.fills.map((f) => f.price)).toEqual([usd(255)]);
  });

  it("AAPL: a 3 % trailing sell stop placed 2025-09-02 (open 229.25) trails the 2025-09-05 high of 241.32 and exits 2025-09-09 at 241.32 × 0.97 = $234.0804", () => {
    const r = placeOn("AAPL", "2025-09-02", { side: "sell", quantity: 10, type: "trailing_stop", trail: { kind: "percent", bps: 300 }, timeInForce: "gtc" });
    // 2025-09-09 opens at 237 (above the stop) and reaches a low of 233.36 (below it): the stop price, not the open.
    expect(r.fills.map((f) => [day(f.time), f.price])).toEqual([["2025-09-09", usd(234.0804)]]);
    const marks = r.events.flatMap((e) => (e.kind === "water_mark_moved" ? [[day(e.time), e.waterMark]] : []));
    expect(marks.at(-1)).toEqual(["2025-09-05", usd(241.32)]);
  });

  it("AAPL: a market bracket placed 2025-08-04 (open 204.505) with take-profit 214.73 and stop-loss 194.28: the take-profit wins on 2025-08-06", () => {
    const r = placeOn("AAPL", "2025-08-04", {
      side: "buy", quantity: 10, type: "market", orderClass: "bracket", timeInForce: "gtc",
      takeProfit: { limitPrice: usd(214.73) }, stopLoss: { stopPrice: usd(194.28) },
    });
    // 2025-08-06: open 205.63, high 215.38 ≥ 214.73, low 205.59 > 194.28: only the take-profit, at its limit.
    expect(r.fills.map((f) => [f.orderId, day(f.time), f.price])).toEqual([["o1", "2025-08-04", usd(204.505)], ["o1:tp", "2025-08-06", usd(214.73)]]);
    expect(r.events.filter((e) => e.kind === "cancelled").map((e) => `${e.orderId}:${day(e.time)}`)).toEqual(["o1:sl:2025-08-06"]);
    expect(r.orders).toEqual([]);
  });
});
