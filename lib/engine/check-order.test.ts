import { describe, expect, it } from "vitest";
import { createAccount } from "./account";
import { checkOrder, type CheckOrderInput } from "./check-order";
import { FREE_FEES } from "./fees";
import type { Money } from "./money";
import type { OrderSide } from "./order";
import { flatPosition, type Position } from "./position";
import { usd } from "@/tests/support/engine-helpers";

function pos(symbol: string, quantity: number, price: Money): Position {
  return { ...flatPosition(symbol), quantity, costBasis: BigInt(quantity) * price };
}

function input(o: {
  side?: OrderSide;
  quantity?: number;
  symbol?: string;
  cash?: Money;
  positions?: Position[];
  price?: Money | null;
  marks?: Record<string, Money>;
  over?: Partial<CheckOrderInput>;
}): CheckOrderInput {
  return {
    request: { type: "market", symbol: o.symbol ?? "AAPL", side: o.side ?? "buy", quantity: o.quantity ?? 100 },
    account: createAccount(o.cash ?? usd(100_000), { positions: new Map((o.positions ?? []).map((p) => [p.symbol, p])) }),
    price: o.price === undefined ? usd(52) : o.price,
    marks: new Map(Object.entries(o.marks ?? {})),
    fees: FREE_FEES,
    slippageBps: 0,
    symbols: new Set(["AAPL", "MSFT", "TSLA"]),
    settings: { allowShort: true, shortMarginRequirementBps: 15_000 },
    ...o.over,
  };
}

function rejection(i: CheckOrderInput) {
  const r = checkOrder(i);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`);
  return r.error;
}

describe("checkOrder", () => {
  it("computes the fill: slippage against the buyer, fee, cash delta", () => {
    const r = checkOrder(
      input({ quantity: 10, over: { slippageBps: 10, fees: { ...FREE_FEES, perShare: usd(0.01), minimum: usd(1) } } }),
    );
    // 52 × 1.001 = 52.052; fee max($1, 10 × $0.01) = $1; delta = −(520.52 + 1)
    expect(r).toEqual({
      ok: true,
      value: {
        symbol: "AAPL", side: "buy", quantity: 10, referencePrice: usd(52), price: usd(52.052),
        fee: usd(1), cashDelta: usd(-521.52), cashAfter: usd(100_000 - 521.52),
      },
    });
  });

  it("needs cash ≥ cost + fee for a buy: exactly enough passes, one micro less fails", () => {
    const over = { fees: { ...FREE_FEES, perOrder: usd(10) } };
    const exact = usd(5_210); // 100 × $52 + $10
    expect(checkOrder(input({ cash: exact, over })).ok).toBe(true);
    expect(rejection(input({ cash: exact - 1n, over })).code).toBe("INSUFFICIENT_CASH");
    expect(rejection(input({ cash: usd(3_900.12), over }))).toEqual({
      code: "INSUFFICIENT_CASH",
      message: "need $5,210.00 (100 AAPL × $52.00 + $10.00 fee), have $3,900.12; you can afford at most 74 AAPL",
    });
  });

  it("shows micros when cents would hide the shortfall", () => {
    expect(rejection(input({ cash: usd(5_200) - 1n })).message).toMatch(/^need \$5,200\.000000 .*have \$5,199\.999999/);
  });

  it.each([
    ["unknown symbol", input({ symbol: "AAPX" }), "UNKNOWN_SYMBOL", "AAPX is not tradable in this session; tradable symbols: AAPL, MSFT, TSLA"],
    ["bad symbol", input({ symbol: "aapl" }), "INVALID_SYMBOL", 'symbol "aapl" must be upper-case: send "AAPL"'],
    ["zero quantity", input({ quantity: 0 }), "INVALID_QUANTITY", "quantity must be a positive whole number of shares, e.g. 10; got 0"],
    ["no price now", input({ price: null }), "MARKET_CLOSED", "AAPL has no price now: the market is closed or no bar opens at this time; try again at the next open"],
    ["sell more than held", input({ side: "sell", quantity: 5, positions: [pos("AAPL", 3, usd(50))] }), "INSUFFICIENT_SHARES", "have 3 AAPL, asked to sell 5; sell at most 3"],
    ["cover with no short", input({ side: "buy_to_cover", quantity: 5 }), "INSUFFICIENT_SHARES", "short 0 AAPL, asked to cover 5"],
    ["buy while short", input({ positions: [pos("AAPL", -3, usd(50))], marks: {} }), "POSITION_CONFLICT", 'you are short 3 AAPL; close the short with side "buy_to_cover" before buying'],
    ["short disabled", input({ side: "sell_short", positions: [pos("AAPL", 3, usd(50))], over: { settings: { allowShort: false, shortMarginRequirementBps: 15_000 } } }), "SHORTING_DISABLED", 'short selling is disabled for this model; you can sell the 3 AAPL you hold with side "sell"'],
    ["margin below 100%", input({ over: { settings: { allowShort: true, shortMarginRequirementBps: 5_000 } } }), "INVALID_SETTINGS", "shortMarginRequirementBps must be a whole number ≥ 10000 (100 %), got 5000"],
  ] as const)("rejects: %s", (_name, i, code, message) => {
    expect(rejection(i)).toEqual({ code, message });
  });

  it("fills only simple market orders at once; working orders are refused until the session book holds them", () => {
    const req = (r: object) => ({ ...input({}), request: { symbol: "AAPL", side: "buy", quantity: 1, ...r } as CheckOrderInput["request"] });
    expect(rejection(req({ type: "limit", limitPrice: 50_000_000n }))).toEqual({
      code: "INVALID_ORDER_TYPE",
      message: 'limit orders cannot be placed in this session yet: only simple market orders fill here; send {"type":"market"} without orderClass',
    });
    expect(rejection(req({ type: "market", timeInForce: "opg" })).message).toMatch(/^market orders with timeInForce "opg" cannot/);
    expect(rejection(req({ type: "market", orderClass: "bracket" })).message).toMatch(/^bracket orders cannot/);
    for (const tif of ["day", "gtc", "ioc", "fok"]) expect(checkOrder(req({ type: "market", timeInForce: tif })).ok).toBe(true);
  });

  describe("short margin (150 %)", () => {
    // Short 100 @ $100: short value $10,000, requirement $15,000; cash after = cash + $10,000.
    const short = (cash: Money) => input({ side: "sell_short", quantity: 100, price: usd(100), cash });

    it("passes with exactly enough collateral and fails one micro below", () => {
      expect(checkOrder(short(usd(5_000)))).toMatchObject({ ok: true, value: { cashAfter: usd(15_000) } });
      expect(rejection(short(usd(5_000) - 1n))).toEqual({
        code: "INSUFFICIENT_MARGIN",
        message:
          "shorting 100 AAPL needs cash of at least $15,000.000000 afterwards as short collateral (150% of $10,000.00 total short value), but cash would be $14,999.999999; at most 99 AAPL can be shorted",
      });
    });

    it("counts other shorts at their marks, and needs those marks", () => {
      const positions = [pos("MSFT", -10, usd(400))]; // $4,000 short value at the $400 mark
      // total short value 10,000 + 4,000 = 14,000 → requirement 21,000; cash after = 11,000 + 10,000 = 21,000
      expect(checkOrder(input({ side: "sell_short", price: usd(100), cash: usd(11_000), positions, marks: { MSFT: usd(400) } })).ok).toBe(true);
      expect(rejection(input({ side: "sell_short", price: usd(100), cash: usd(11_000), positions, marks: { MSFT: usd(401) } })).code).toBe("INSUFFICIENT_MARGIN");
      expect(rejection(input({ side: "sell_short", price: usd(100), cash: usd(11_000), positions })).code).toBe("MISSING_PRICE");
    });

    it("stops a buy from spending the collateral of open shorts", () => {
      const positions = [pos("MSFT", -10, usd(400))]; // requirement $6,000
      const buy = (cash: Money) => input({ quantity: 10, price: usd(100), cash, positions, marks: { MSFT: usd(400) } });
      expect(checkOrder(buy(usd(7_000))).ok).toBe(true); // 7,000 − 1,000 = 6,000 ≥ 6,000
      expect(rejection(buy(usd(7_000) - 1n))).toMatchObject({ code: "INSUFFICIENT_MARGIN", message: expect.stringMatching(/at most 9 AAPL can be bought$/) });
    });

    it("never blocks a cover or a sell for margin", () => {
      // Short 100 entered at $100, price now $140: requirement 21,000 > cash 15,000, yet covering is allowed.
      const positions = [pos("AAPL", -100, usd(100))];
      expect(checkOrder(input({ side: "buy_to_cover", quantity: 50, price: usd(140), cash: usd(15_000), positions })).ok).toBe(true);
      const both = [...positions, pos("MSFT", 5, usd(10))];
      expect(checkOrder(input({ side: "sell", symbol: "MSFT", quantity: 5, price: usd(10), cash: usd(15_000), positions: both, marks: { AAPL: usd(140) } })).ok).toBe(true);
    });

    it("still needs cash ≥ 0 for a cover", () => {
      const positions = [pos("AAPL", -100, usd(100))];
      expect(rejection(input({ side: "buy_to_cover", quantity: 100, price: usd(160), cash: usd(15_000), positions })).code).toBe("INSUFFICIENT_CASH");
    });
  });
});
