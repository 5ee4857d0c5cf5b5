import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { toolInputSchemas, type BarOutput, type OrderOutput, type PortfolioOutput } from "../tool-contract";
import { breakout, planBreakout, type BreakoutParams } from "./breakout";
import { breakoutLevels } from "./breakout-levels";
import { createBuiltinModel } from "./index";
import type { MarketSnapshot, OrderView } from "./types";

/**
 * The breakout rule on crafted bars whose true range is 2.00 every bar (high = close + 1, low = close − 1, no gaps),
 * so ATR(14) is exactly 2 and every level can be worked out by hand:
 *   AAA  flat: close 99, high 100     → range high 100.00, 0.5 ATR below: entry 100.20, stop-loss 97.20, take-profit 106.20
 *   BBB  falling 1 a bar to 51        → range high 71.00, 10 ATR below: no entry
 *   CCC  held 100 at cost 90, close 95 → +2.5 ATR: its bracket legs give way to a trailing stop 4.00 behind
 *   DDD  held 50 at cost 94, close 95  → +0.5 ATR: the bracket stays
 *   EEE  flat: close 100, high 101, an entry working at 100.50 → the range says 101.20: cancel and place again
 */
const CLOCK = "2025-10-30T13:30:00.000Z";
const DAY = 86_400_000;
const N = 30;
const flat = (close: number): BarOutput[] => series(() => close);
function series(close: (i: number) => number): BarOutput[] {
  const start = Date.parse(CLOCK) - N * DAY;
  return Array.from({ length: N }, (_, i) => {
    const c = close(i);
    return { t: new Date(start + i * DAY).toISOString(), o: c, h: c + 1, l: c - 1, c, v: 1_000 };
  });
}
const BARS: Record<string, BarOutput[]> = { AAA: flat(99), BBB: series((i) => 80 - i), CCC: flat(95), DDD: flat(95), EEE: flat(100) };

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
function order(o: Partial<OrderOutput> & Pick<OrderOutput, "orderId" | "symbol" | "side" | "type" | "leg" | "status">): OrderOutput {
  return { quantity: 10, timeInForce: "gtc", orderClass: "bracket", filledQuantity: 0, parentId: null, fills: [], placedAt: CLOCK, ...o };
}
const ORDERS: OrderOutput[] = [
  order({ orderId: ID(1), symbol: "CCC", side: "sell", type: "limit", leg: "take_profit", status: "accepted", limitPrice: "99.00", parentId: ID(9), quantity: 100 }),
  order({ orderId: ID(2), symbol: "CCC", side: "sell", type: "stop", leg: "stop_loss", status: "accepted", stopPrice: "87.00", parentId: ID(9), quantity: 100 }),
  order({ orderId: ID(3), symbol: "DDD", side: "sell", type: "limit", leg: "take_profit", status: "accepted", limitPrice: "100.00", quantity: 50 }),
  order({ orderId: ID(4), symbol: "DDD", side: "sell", type: "stop", leg: "stop_loss", status: "accepted", stopPrice: "91.00", quantity: 50 }),
  order({ orderId: ID(5), symbol: "EEE", side: "buy", type: "stop", leg: "entry", status: "accepted", stopPrice: "100.50", quantity: 190 }),
];
const PORTFOLIO: PortfolioOutput = {
  cash: "80000.00",
  equity: "100000.00",
  positions: [
    { symbol: "CCC", quantity: 100, averageCost: "90.00", marketValue: "9500.00", unrealizedPnl: "500.00" },
    { symbol: "DDD", quantity: 50, averageCost: "94.00", marketValue: "4750.00", unrealizedPnl: "50.00" },
  ],
  universe: Object.keys(BARS),
  cashHeldByOrders: "0.00",
};

const DEFAULTS: BreakoutParams = breakout.params.parse({});
function snapshot(over: Partial<MarketSnapshot> = {}): MarketSnapshot {
  return { clock: CLOCK, interval: "day", symbols: Object.keys(BARS), portfolio: PORTFOLIO, cash: 80_000, equity: 100_000, holdings: { CCC: 100, DDD: 50 }, bars: BARS, barErrors: {}, ...over };
}
const view = (over: Partial<OrderView> = {}): OrderView => ({ snapshot: snapshot(), orders: ORDERS, quotes: null, cancelled: null, ...over });

describe("breakout levels", () => {
  it("range high, ATR and last close by hand", () => {
    expect(breakoutLevels(BARS.AAA!, 20, 14)).toEqual({ rangeHigh: 100, atr: 2, lastClose: 99 });
    expect(breakoutLevels(BARS.BBB!, 20, 14)).toEqual({ rangeHigh: 71, atr: 2, lastClose: 51 });
    expect(breakoutLevels(BARS.AAA!.slice(-14), 10, 14)).toBeNull(); // ATR(14) needs 15 bars
  });
});

describe("the breakout rule", () => {
  it("first: cancels the legs of a winner and a stale entry, asks the price of the symbols it means to enter", () => {
    const plan = planBreakout(view(), DEFAULTS);
    expect(plan.cancels.map((c) => [c.orderId, c.symbol])).toEqual([[ID(1), "CCC"], [ID(2), "CCC"], [ID(5), "EEE"]]);
    expect(plan.cancels[0]!.reason).toContain("2.50 ATR above its average cost $90.00");
    expect(plan.cancels[2]!.reason).toContain("from $100.50 to $101.20");
    expect(plan.quotes).toEqual(["AAA", "EEE"]);
    expect(plan.places).toEqual([]);
    expect(plan.notes.join(" ")).toContain("AAA 0.50 ATR below, EEE 0.50 ATR below");
  });

  it("then: a bracketed buy stop above the range, a trailing stop for the winner; no chasing a gap", () => {
    const plan = planBreakout(view({ quotes: { AAA: 99.5, EEE: 102 }, cancelled: new Set([ID(1), ID(2), ID(5)]) }), DEFAULTS);
    expect(plan.places.map((p) => p.input)).toEqual([
      { symbol: "CCC", side: "sell", quantity: 100, type: "trailing_stop", trailPrice: 4, timeInForce: "gtc" },
      // 98 % of $100,000 over 5 positions = $19,600 → 195 shares at 100.20.
      { symbol: "AAA", side: "buy", quantity: 195, type: "stop", stopPrice: 100.2, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 106.2 }, stopLoss: { stopPrice: 97.2 } },
    ]);
    for (const p of plan.places) expect(toolInputSchemas.place_order.safeParse(p.input).success).toBe(true);
    expect(plan.notes).toContain("EEE opened at $102.00, at or above the entry $101.20: no chasing a gap.");
  });

  it("places nothing for a symbol whose cancel failed", () => {
    const plan = planBreakout(view({ quotes: { AAA: 99.5, EEE: 100.5 }, cancelled: new Set([ID(5)]) }), DEFAULTS);
    expect(plan.places.map((p) => p.input.symbol)).toEqual(["AAA", "EEE"]);
    expect(plan.notes.join(" ")).toContain(`CCC: ${ID(1)} and ${ID(2)} did not cancel`);
  });

  it("sizes within the cash left free by working orders, and keeps an entry whose level has not moved", () => {
    const orders = [...ORDERS.slice(0, 4), order({ orderId: ID(6), symbol: "AAA", side: "buy", type: "stop", leg: "entry", status: "accepted", stopPrice: "100.20" })];
    const poor = { ...PORTFOLIO, cash: "5000.00", cashHeldByOrders: "1000.00" };
    const first = planBreakout(view({ orders, snapshot: snapshot({ portfolio: poor, cash: 5_000 }) }), DEFAULTS);
    expect(first.cancels.map((c) => c.orderId)).toEqual([ID(1), ID(2)]); // AAA's entry at 100.20 stays
    expect(first.quotes).toEqual(["EEE"]);
    const then = planBreakout(view({ orders, snapshot: snapshot({ portfolio: poor, cash: 5_000 }), quotes: { EEE: 100 }, cancelled: new Set([ID(1), ID(2)]) }), DEFAULTS);
    // Free: 5,000 − 2 % of 100,000 − 1,000 held = 2,000 → 2,000 / (101.20 × 1.052) = 18 shares.
    expect(then.places.find((p) => p.input.symbol === "EEE")!.input.quantity).toBe(18);
  });

  it("fills the slots closest first, cancels an entry whose setup is gone, protects a position with no exit", () => {
    const orders = [order({ orderId: ID(7), symbol: "BBB", side: "buy", type: "stop", leg: "entry", status: "accepted", stopPrice: "72.00" })];
    const plan = planBreakout(view({ orders, snapshot: snapshot({ holdings: { DDD: 50 } }) }), { ...DEFAULTS, maxPositions: 2 });
    expect(plan.cancels.map((c) => [c.orderId, c.reason])).toEqual([[ID(7), "BBB is no longer within 1 ATR of its 20-bar high among the 2 closest"]]);
    expect(plan.quotes).toEqual(["AAA"]); // one slot left after DDD; AAA and EEE tie at 0.5 ATR, AAA first by name
    const then = planBreakout(view({ orders, snapshot: snapshot({ holdings: { DDD: 50 } }), quotes: { AAA: 99 }, cancelled: new Set([ID(7)]) }), { ...DEFAULTS, maxPositions: 2 });
    expect(then.places.map((p) => [p.input.symbol, p.input.type])).toEqual([["DDD", "trailing_stop"], ["AAA", "stop"]]);
  });

  it("warms up without enough bars", () => {
    const short = Object.fromEntries(Object.entries(BARS).map(([s, b]) => [s, b.slice(-10)]));
    const plan = planBreakout(view({ snapshot: snapshot({ bars: short }) }), DEFAULTS);
    expect(plan).toMatchObject({ cancels: [], quotes: [], places: [] });
    expect(plan.notes[0]).toMatch(/^Warming up: breakout needs 20 closed bars/);
  });
});

// ---- The model: each step reads the prompt so far (crafted tool results) and answers with real tool calls ----

type Results = Record<string, unknown>;
const TOOLS = ["get_portfolio", "get_orders", "get_bars", "get_quote", "cancel_order", "place_order"].map((name) => ({ type: "function" as const, name, inputSchema: { type: "object" as const } }));

/** A decision prompt with the turn's earlier steps: each step's calls answered by `answer`. */
function promptWith(steps: { toolCallId: string; toolName: string; input: string }[][], answer: (name: string, input: Record<string, unknown>) => unknown): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [
    { role: "system", content: "You are builtin:breakout." },
    { role: "user", content: [{ type: "text", text: `Clock: ${CLOCK}\nInterval: day\nUniverse: ${Object.keys(BARS).join(", ")}` }] },
  ];
  for (const calls of steps) {
    prompt.push({ role: "assistant", content: calls.map((c) => ({ type: "tool-call", toolCallId: c.toolCallId, toolName: c.toolName, input: JSON.parse(c.input) })) });
    prompt.push({
      role: "tool",
      content: calls.map((c) => ({ type: "tool-result", toolCallId: c.toolCallId, toolName: c.toolName, output: { type: "json", value: answer(c.toolName, JSON.parse(c.input)) as never } })),
    });
  }
  return prompt;
}

function answers(name: string, input: Record<string, unknown>): unknown {
  const symbol = String(input.symbol ?? "");
  const r: Results = {
    get_portfolio: PORTFOLIO,
    get_orders: { orders: ORDERS },
    get_bars: { symbol, interval: "day", bars: BARS[symbol] },
    get_quote: { symbol, price: symbol === "AAA" ? 99.5 : 102, at: CLOCK, basis: "open", derived: false, source: "test" },
    cancel_order: { order: { ...ORDERS.find((o) => o.orderId === input.orderId)!, status: "cancelled", reason: "requested" }, message: "Cancelled." },
    place_order: { ...order({ orderId: ID(20), symbol, side: input.side as "buy", type: input.type as "stop", leg: "entry", status: "accepted" }), legs: [], message: "Working.", duplicate: false },
  };
  return r[name];
}

async function turn() {
  const model = createBuiltinModel("breakout");
  const steps: { toolCallId: string; toolName: string; input: string }[][] = [];
  for (let i = 0; i < 6; i++) {
    const out = await model.doGenerate({ prompt: promptWith(steps, answers), tools: TOOLS });
    const calls = out.content.flatMap((c) => (c.type === "tool-call" ? [c] : []));
    if (calls.length === 0) return { steps, text: out.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("") };
    steps.push(calls);
  }
  throw new Error("the turn did not end");
}

describe("builtin:breakout as a language model", () => {
  it("gathers, cancels and quotes, places, then tells each as its tool answered, with deterministic ids", async () => {
    const { steps, text } = await turn();
    expect(steps.map((s) => s.map((c) => c.toolName))).toEqual([
      ["get_portfolio", "get_orders", ...Array(5).fill("get_bars")],
      ["cancel_order", "cancel_order", "cancel_order", "get_quote", "get_quote"],
      ["place_order", "place_order"],
    ]);
    expect(steps[0]![1]!.input).toBe('{"status":"open"}');
    expect(steps[0]![2]!.input).toBe('{"symbol":"AAA","limit":29,"interval":"day"}');
    expect(steps[2]!.map((c) => c.toolCallId)).toEqual([`breakout-${CLOCK}-s3-0`, `breakout-${CLOCK}-s3-1`]);
    expect(JSON.parse(steps[2]![1]!.input)).toMatchObject({ symbol: "AAA", type: "stop", stopPrice: 100.2, orderClass: "bracket" });
    expect(text).toContain("Cancelled the take-profit sell limit 100 CCC");
    expect(text).toContain(`Placed buy stop 195 AAA at $100.20 (bracket: take-profit $106.20, stop-loss $97.20), gtc: order ${ID(20)}, accepted`);
    expect(text).toContain("Placed sell trailing_stop 100 CCC, $4.00 behind the best price, gtc");
    expect(await turn()).toEqual({ steps, text });
  });

  it("says a rejected order was rejected", async () => {
    const model = createBuiltinModel("breakout");
    const steps: { toolCallId: string; toolName: string; input: string }[][] = [];
    const rejecting = (name: string, input: Record<string, unknown>) =>
      name === "place_order" ? { ...(answers(name, input) as object), status: "rejected", rejectCode: "INSUFFICIENT_CASH", message: "not enough cash" } : answers(name, input);
    let text = "";
    for (let i = 0; i < 6 && !text; i++) {
      const out = await model.doGenerate({ prompt: promptWith(steps, rejecting), tools: TOOLS });
      const calls = out.content.flatMap((c) => (c.type === "tool-call" ? [c] : []));
      if (calls.length === 0) text = out.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("");
      else steps.push(calls);
    }
    expect(text).toContain("Tried to place buy stop 195 AAA at $100.20");
    expect(text).toContain("but it was rejected (INSUFFICIENT_CASH): not enough cash");
    expect(text).not.toContain("Placed buy");
  });

  it("without the order tools it says what it needs and places nothing", async () => {
    const out = await createBuiltinModel("breakout").doGenerate({ prompt: promptWith([], answers), tools: TOOLS.filter((t) => t.name !== "get_orders") });
    expect(out.content).toEqual([{ type: "text", text: "I need get_orders to decide, and it was not offered. No orders." }]);
  });
});
