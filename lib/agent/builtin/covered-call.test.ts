import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { toolInputSchemas, type BarOutput, type OptionChainOutput, type OptionRowOutput, type OrderOutput, type PortfolioOutput } from "../tool-contract";
import { CHAIN_CLOSES, coveredCall, pickCall, planCoveredCall, type CoveredCallParams } from "./covered-call";
import { createBuiltinModel } from "./index";
import type { MarketSnapshot, OptionView } from "./types";

/**
 * The covered-call rule on a crafted view, Monday 2025-07-21 at the open, equity $250,000, five underlyings (an equal
 * share of 98 % each: $49,000), 21 flat daily closes each:
 *   AAA  $100, nothing held              → 4.90 lots: buy 400, then sell 4 calls
 *   BBB  $240, 200 held, 2 calls written → 2.04 lots: covered, nothing to do
 *   CCC  $200, its 3 calls assigned at this bar's start (300 sold at $198) → 2.45 lots, but the 300 called away are bought back; 3 calls sold
 *   DDD  $400, 100 held, its call expired worthless at this bar's start  → 1.22 lots: sell the next call
 *   EEE  $600, nothing held              → 0.82 lots: one lot is more than its share, not traded
 * Listed expiries from 07-22 to 60 days out (09-19): weeklies 07-25, 08-01, 08-08, 08-22, 08-29, 09-05, 09-12 and the
 * monthlies 08-15 (25 days out, the nearest 30) and 09-19 (60).
 */
const CLOCK = "2025-07-21T13:30:00.000Z";
const DAY = 86_400_000;
const flat = (close: number, n = CHAIN_CLOSES): BarOutput[] =>
  Array.from({ length: n }, (_, i) => ({ t: new Date(Date.parse(CLOCK) - (n - i) * DAY).toISOString(), o: close, h: close, l: close, c: close, v: 1_000 }));
const PRICES: Record<string, number> = { AAA: 100, BBB: 240, CCC: 200, DDD: 400, EEE: 600 };
const BARS = Object.fromEntries(Object.entries(PRICES).map(([s, p]) => [s, flat(p)]));
const SYMBOLS = Object.keys(PRICES);

const BBB_CALL = "BBB250815C00250000";
const PORTFOLIO: PortfolioOutput = {
  cash: "162600.00",
  equity: "250000.00",
  positions: [
    { symbol: "BBB", quantity: 200, averageCost: "230.00", marketValue: "48000.00", unrealizedPnl: "2000.00" },
    { symbol: BBB_CALL, quantity: -2, averageCost: "3.50", marketValue: "-600.00", unrealizedPnl: "100.00" },
    { symbol: "DDD", quantity: 100, averageCost: "390.00", marketValue: "40000.00", unrealizedPnl: "1000.00" },
  ],
  universe: SYMBOLS,
};
const HOLDINGS = { BBB: 200, [BBB_CALL]: -2, DDD: 100 };

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
function filledOrder(orderId: string, symbol: string, side: OrderOutput["side"], quantity: number, price: string, reason: string): OrderOutput {
  return {
    orderId, symbol, side, quantity, type: "market", timeInForce: "day", orderClass: "simple", leg: "entry", status: "filled", filledQuantity: quantity,
    parentId: null, fills: [{ fillId: `f-${orderId}`, quantity, price, fee: "0.00", filledAt: CLOCK }], reason, placedAt: CLOCK,
  };
}
/** The engine's expiry settlements at this bar's start (get_orders shows them with their reason). */
const SETTLEMENTS: OrderOutput[] = [
  filledOrder(ID(1), "CCC250718C00198000", "buy_to_cover", 3, "0.00", "assigned"),
  filledOrder(ID(2), "CCC", "sell", 300, "198.00", "assigned"),
  filledOrder(ID(3), "DDD250718C00420000", "buy_to_cover", 1, "0.00", "expired_worthless"),
];

const EXPIRIES: OptionChainOutput["expiries"] = [
  ...["2025-07-25", "2025-08-01", "2025-08-08"].map((expiry) => ({ expiry, kind: "weekly" as const })),
  { expiry: "2025-08-15", kind: "monthly" },
  ...["2025-08-22", "2025-08-29", "2025-09-05", "2025-09-12"].map((expiry) => ({ expiry, kind: "weekly" as const })),
  { expiry: "2025-09-19", kind: "monthly" },
];
function row(underlying: string, expiry: string, strike: number, delta: number, bid: number): OptionRowOutput {
  const yymmdd = expiry.slice(2).replaceAll("-", "");
  return {
    symbol: `${underlying}${yymmdd}C${String(strike * 1000).padStart(8, "0")}`, expiry, right: "call", strike, bid, ask: bid + 0.1, mid: bid + 0.05,
    iv: 0.3, delta, gamma: 0.02, theta: -0.05, vega: 0.1, source: "modelled",
  };
}
function chain(underlying: string, rows: OptionRowOutput[]): OptionChainOutput {
  return {
    underlying, underlyingPrice: PRICES[underlying]!, at: CLOCK, source: "modelled", model: { realisedVolatility: 0.3, longRunVolatility: 0.3, rate: 0.04, dividendYield: 0 },
    expiries: EXPIRIES, contracts: rows, matched: rows.length, truncated: false,
  };
}
const CHAINS: Record<string, OptionChainOutput> = {
  AAA: chain("AAA", [
    row("AAA", "2025-08-08", 104, 0.3, 1.1),
    row("AAA", "2025-08-15", 104, 0.33, 1.6),
    row("AAA", "2025-08-15", 105, 0.29, 1.35),
    row("AAA", "2025-08-15", 106, 0.24, 1.1),
    row("AAA", "2025-08-22", 106, 0.3, 1.5),
  ]),
  CCC: chain("CCC", [row("CCC", "2025-08-15", 210, 0.34, 3.2), row("CCC", "2025-08-15", 215, 0.27, 2.05)]),
  DDD: chain("DDD", [row("DDD", "2025-08-15", 420, 0.31, 5.2), row("DDD", "2025-09-19", 430, 0.3, 9.0)]),
};

const DEFAULTS: CoveredCallParams = coveredCall.params.parse({ maxSymbols: 5 });
function snapshot(over: Partial<MarketSnapshot> = {}): MarketSnapshot {
  return { clock: CLOCK, interval: "day", symbols: SYMBOLS, portfolio: PORTFOLIO, cash: 162_600, equity: 250_000, holdings: HOLDINGS, bars: BARS, barErrors: {}, ...over };
}
const view = (over: Partial<OptionView> = {}): OptionView => ({ snapshot: snapshot(), settlements: SETTLEMENTS, bought: null, chains: null, ...over });
const answered = (chains: Record<string, OptionChainOutput>) => Object.fromEntries(Object.entries(chains).map(([s, c]) => [s, { ok: true as const, value: c }]));

describe("the covered-call rule", () => {
  it("first: buys whole lots up to an equal share (the assigned shares back), and asks the chains of the lots with no call", () => {
    const plan = planCoveredCall(view(), DEFAULTS);
    expect(plan.trades.map((t) => [t.side, t.symbol, t.quantity])).toEqual([["buy", "AAA", 400], ["buy", "CCC", 300]]);
    expect(plan.trades[0]!.reason).toBe("its equal share $49,000.00 at the last close $100.00 is 4.90 lots of 100, 0 held");
    expect(plan.trades[1]!.reason).toBe("buy back the 300 shares called away at the expiry (its equal share $49,000.00 at the last close $200.00 is 2.45 lots of 100, 0 held)");
    // A chain per underlying with uncovered lots, from tomorrow to 2 × 30 days out, |delta| 0.2–0.4, as the tool takes it.
    expect(plan.chains).toEqual(["AAA", "CCC", "DDD"].map((underlying) => ({ underlying, right: "call", expiryFrom: "2025-07-22", expiryTo: "2025-09-19", minDelta: 0.2, maxDelta: 0.4, limit: 200 })));
    for (const c of plan.chains) expect(toolInputSchemas.get_option_chain.safeParse(c).success).toBe(true);
    expect(plan.options).toEqual([]);
    expect(plan.notes).toEqual([
      "3 contracts CCC250718C00198000 (the $198.00 call of 2025-07-18) were assigned at the expiry's close: 300 CCC sold at $198.00 ($59,400.00).",
      "1 contract DDD250718C00420000 (the $420.00 call of 2025-07-18) expired worthless at the expiry's close: the premium is kept, the shares stay.",
      `BBB: 200 shares covered by 2 ${BBB_CALL} (the $250.00 call of 2025-08-15, 25 days out).`,
      "EEE: 100 shares at the last close $600.00 cost $60,000.00, more than its equal share $49,000.00: not traded.",
    ]);
  });

  it("then: one call per uncovered 100 shares, counting the shares the buys filled: the monthly expiry nearest 30 days, the delta nearest 0.30", () => {
    const plan = planCoveredCall(view({ bought: { AAA: 400, CCC: 300 }, chains: answered(CHAINS) }), DEFAULTS);
    expect(plan.options.map((o) => o.input)).toEqual([
      { symbol: "AAA250815C00105000", side: "sell", positionIntent: "sell_to_open", quantity: 4 },
      { symbol: "CCC250815C00215000", side: "sell", positionIntent: "sell_to_open", quantity: 3 },
      { symbol: "DDD250815C00420000", side: "sell", positionIntent: "sell_to_open", quantity: 1 },
    ]);
    for (const o of plan.options) expect(toolInputSchemas.place_option_order.safeParse(o.input).success).toBe(true);
    expect(plan.options[0]!.reason).toBe(
      "400 shares with no call written against them: the $105.00 call of 2025-08-15 (monthly, 25 days out, nearest 30) has delta 0.29 (nearest 0.3), bid $1.35 ($540.00 for 4 calls); the shares are called away if AAA closes above $105.00 on 2025-08-15, +5.0% from $100.00",
    );
    expect(plan.options[2]!.reason).toMatch(/^100 shares with no call written against them \(1 call expired worthless at the expiry: rolled to the next\): the \$420\.00 call/);
    expect(plan.trades.map((t) => t.symbol)).toEqual(["AAA", "CCC"]); // the same plan as the first step
  });

  it("a buy that did not fill leaves its lots without a call; a chain that failed is said", () => {
    const plan = planCoveredCall(view({ bought: { CCC: 300 }, chains: { ...answered(CHAINS), DDD: { ok: false, error: "NOT_ENOUGH_BARS: DDD has 5 daily closes" } } }), DEFAULTS);
    expect(plan.options.map((o) => o.input.symbol)).toEqual(["CCC250815C00215000"]);
    expect(plan.notes).toContain("DDD: get_option_chain failed (NOT_ENOUGH_BARS: DDD has 5 daily closes): no call this bar.");
  });

  it("without monthly preference: the expiry nearest 30 days of any kind (08-22, 32 days)", () => {
    const out = pickCall(CHAINS.AAA!, "2025-07-21", { ...DEFAULTS, preferMonthly: false });
    expect(out).toMatchObject({ row: { symbol: "AAA250822C00106000", delta: 0.3 }, days: 32, kind: "weekly" });
    // The nearest expiry without a call in the range gives way to the next nearest.
    expect(pickCall(chain("DDD", [row("DDD", "2025-09-19", 430, 0.3, 9)]), "2025-07-21", DEFAULTS)).toMatchObject({ row: { symbol: "DDD250919C00430000" }, days: 60 });
    expect(pickCall(chain("DDD", [row("DDD", "2025-08-15", 430, 0.3, 0)]), "2025-07-21", DEFAULTS)).toEqual({
      why: "no call with a bid and a delta of 0.2–0.4 in the expiries listed (2025-08-15 and 2025-09-19)",
    });
  });

  it("sizes within the free cash, and calls cover the shares written against before new ones", () => {
    const poor = snapshot({ cash: 50_000, equity: 250_000 });
    const plan = planCoveredCall(view({ snapshot: poor, settlements: [] }), DEFAULTS);
    // Free: 50,000 − 2 % of 250,000 = 45,000 → AAA's 4 lots ($40,000), then CCC 0 of 2 ($200 × 100 each, $5,000 left).
    expect(plan.trades.map((t) => [t.symbol, t.quantity])).toEqual([["AAA", 400]]);
    expect(plan.notes).toContain("CCC: 2 lots wanted (its equal share $49,000.00 at the last close $200.00 is 2.45 lots of 100), free cash $5,000.00 buys 0 lots.");
    // Three calls written against one lot (its share is 2.04 lots): two lots are bought to cover them, no chain asked.
    const naked = planCoveredCall(view({ snapshot: snapshot({ holdings: { BBB: 100, [BBB_CALL]: -3 } }), settlements: [] }), DEFAULTS);
    expect(naked.trades.find((t) => t.symbol === "BBB")).toEqual({ side: "buy", symbol: "BBB", quantity: 200, reason: "cover the 3 calls written against 1 lot" });
    expect(naked.chains.map((c) => c.underlying)).toEqual(["AAA", "CCC"]);
  });

  it("warms up: buys the shares, asks no chain before it has 21 daily closes", () => {
    const short = Object.fromEntries(Object.entries(BARS).map(([s, b]) => [s, b.slice(-5)]));
    const plan = planCoveredCall(view({ snapshot: snapshot({ bars: short }), settlements: [] }), DEFAULTS);
    expect(plan.trades.map((t) => t.symbol)).toEqual(["AAA", "CCC"]);
    expect(plan.chains).toEqual([]);
    expect(plan.notes).toContain("AAA: 5 daily closes so far; the modelled chain needs 21: no call yet.");
  });

  it("trades the first maxSymbols of the universe, or the symbols asked for that are in it", () => {
    expect(coveredCall.symbols(SYMBOLS, coveredCall.params.parse({}))).toEqual(["AAA", "BBB", "CCC"]);
    expect(coveredCall.symbols(SYMBOLS, coveredCall.params.parse({ symbols: ["ddd", "ZZZ", "AAA"] }))).toEqual(["DDD", "AAA"]);
    const plan = planCoveredCall(view({ snapshot: snapshot({ symbols: ["DDD", "AAA"] }), settlements: [] }), coveredCall.params.parse({ symbols: ["ddd", "ZZZ", "AAA"] }));
    expect(plan.notes[0]).toBe("ZZZ is not in this session's universe: not traded.");
    expect(coveredCall.params.safeParse({ targetDelta: 0.3, extra: 1 }).success).toBe(false);
    expect(coveredCall.rule(coveredCall.params.parse({}))).toBe(
      "own the first 3 symbols of the universe in lots of 100 shares with an equal share of 98% of equity each; against every 100 shares with no call written, sell one call nearest 0.3 delta (asked 0.2–0.4) in the monthly expiry nearest 30 days out; a call assigned: buy the shares back the next bar; a call expired: sell the next one",
    );
  });
});

// ---- The model: each step reads the prompt so far (crafted tool results) and answers with real tool calls ----

const TOOLS = ["get_portfolio", "get_orders", "get_bars", "buy", "get_option_chain", "place_option_order"].map((name) => ({ type: "function" as const, name, inputSchema: { type: "object" as const } }));
type Step = { toolCallId: string; toolName: string; input: string }[];

function promptWith(steps: Step[], answer: (name: string, input: Record<string, unknown>) => unknown): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [
    { role: "system", content: 'You are builtin:covered-call.\nParameters: {"maxSymbols": 5}' },
    { role: "user", content: [{ type: "text", text: `Clock: ${CLOCK}\nInterval: day\nUniverse: ${SYMBOLS.join(", ")}` }] },
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
  const symbol = String(input.symbol ?? input.underlying ?? "");
  switch (name) {
    case "get_portfolio":
      return PORTFOLIO;
    case "get_orders":
      return { orders: [filledOrder(ID(9), "BBB", "buy", 200, "230.00", ""), ...SETTLEMENTS] };
    case "get_bars":
      return { symbol, interval: "day", bars: BARS[symbol] };
    case "buy":
      return { status: "filled", orderId: ID(20), symbol, side: "buy", quantity: input.quantity, price: (PRICES[symbol]! + 0.5).toFixed(2), fee: "0.00", message: "Filled.", duplicate: false };
    case "get_option_chain":
      return CHAINS[symbol];
    case "place_option_order": {
      const price = CHAINS[symbol.slice(0, 3)]!.contracts.find((c) => c.symbol === symbol)!.bid.toFixed(2);
      return { ...filledOrder(ID(30), symbol, "sell_short", Number(input.quantity), price, ""), reason: undefined, legs: [], message: "Filled.", duplicate: false };
    }
  }
  throw new Error(`unexpected ${name}`);
}

async function turn(answer = answers) {
  const model = createBuiltinModel("covered-call");
  const steps: Step[] = [];
  for (let i = 0; i < 6; i++) {
    const out = await model.doGenerate({ prompt: promptWith(steps, answer), tools: TOOLS });
    const calls = out.content.flatMap((c) => (c.type === "tool-call" ? [c] : []));
    if (calls.length === 0) return { steps, text: out.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("") };
    steps.push(calls);
  }
  throw new Error("the turn did not end");
}

describe("builtin:covered-call as a language model", () => {
  it("gathers, buys and reads chains, sells the calls, then tells each as its tool answered, with deterministic ids", async () => {
    const { steps, text } = await turn();
    expect(steps.map((s) => s.map((c) => c.toolName))).toEqual([
      ["get_portfolio", "get_orders", ...Array(5).fill("get_bars")],
      ["buy", "buy", "get_option_chain", "get_option_chain", "get_option_chain"],
      ["place_option_order", "place_option_order", "place_option_order"],
    ]);
    expect(steps[0]![1]!.input).toBe('{"status":"all","limit":50}');
    expect(steps[0]![2]!.input).toBe('{"symbol":"AAA","limit":21,"interval":"day"}');
    expect(steps[2]!.map((c) => c.toolCallId)).toEqual([0, 1, 2].map((i) => `covered-call-${CLOCK}-s3-${i}`));
    expect(JSON.parse(steps[2]![0]!.input)).toEqual({ symbol: "AAA250815C00105000", side: "sell", positionIntent: "sell_to_open", quantity: 4 });
    expect(text).toContain("3 contracts CCC250718C00198000 (the $198.00 call of 2025-07-18) were assigned at the expiry's close: 300 CCC sold at $198.00 ($59,400.00).");
    expect(text).toContain("Bought 400 AAA at $100.50: its equal share $49,000.00 at the last close $100.00 is 4.90 lots of 100, 0 held.");
    expect(text).toContain("Bought 300 CCC at $200.50: buy back the 300 shares called away at the expiry");
    expect(text).toContain(`Sold to open 4 AAA250815C00105000 at $1.35 ($540.00 for 4 contracts): order ${ID(30)}. Why: 400 shares with no call written against them: the $105.00 call of 2025-08-15`);
    expect(text).toContain("Sold to open 1 DDD250815C00420000 at $5.20 ($520.00 for 1 contract)");
    expect(text).toContain("Before this bar's orders: cash $162,600.00, equity $250,000.00.");
    expect(await turn()).toEqual({ steps, text });
  });

  it("says a rejected sale to open was rejected, and sells no call for shares a rejected buy did not bring", async () => {
    const rejecting = (name: string, input: Record<string, unknown>) => {
      if (name === "place_option_order") return { ...(answers(name, input) as object), status: "rejected", rejectCode: "INSUFFICIENT_MARGIN", message: "not covered", fills: [] };
      if (name === "buy" && input.symbol === "AAA") return { ...(answers(name, input) as object), status: "rejected", rejectCode: "INSUFFICIENT_CASH", message: "not enough cash", price: undefined };
      return answers(name, input);
    };
    const { steps, text } = await turn(rejecting);
    expect(steps[2]!.map((c) => JSON.parse(c.input).symbol)).toEqual(["CCC250815C00215000", "DDD250815C00420000"]);
    expect(text).toContain("Tried to buy 400 AAA, but it was rejected (INSUFFICIENT_CASH): not enough cash");
    expect(text).toContain("Tried to sell to open 3 CCC250815C00215000, but it was rejected (INSUFFICIENT_MARGIN): not covered");
    expect(text).not.toContain("Sold to open");
  });

  it("with nothing to do it holds and says what it holds", async () => {
    const covered = (name: string, input: Record<string, unknown>) =>
      name === "get_portfolio" ? { ...PORTFOLIO, cash: "2600.00", equity: "50000.00", universe: ["BBB"] } : name === "get_orders" ? { orders: [] } : answers(name, input);
    const model = createBuiltinModel("covered-call");
    const steps: Step[] = [];
    const prompt = (s: Step[]) => {
      const p = promptWith(s, covered);
      p[1] = { role: "user", content: [{ type: "text", text: `Clock: ${CLOCK}\nInterval: day\nUniverse: BBB` }] };
      return p;
    };
    const first = await model.doGenerate({ prompt: prompt(steps), tools: TOOLS });
    steps.push(first.content.flatMap((c) => (c.type === "tool-call" ? [c] : [])));
    const out = await model.doGenerate({ prompt: prompt(steps), tools: TOOLS });
    const text = out.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("");
    expect(text).toContain(`BBB: 200 shares covered by 2 ${BBB_CALL} (the $250.00 call of 2025-08-15, 25 days out).`);
    expect(text).toContain(`No orders this bar. Holding 200 BBB, -2 ${BBB_CALL} and 100 DDD.`);
    expect(text).toContain("Before this bar's orders: cash $2,600.00, equity $50,000.00.");
  });

  it("without the option tools it says what it needs and places nothing", async () => {
    const out = await createBuiltinModel("covered-call").doGenerate({ prompt: promptWith([], answers), tools: TOOLS.filter((t) => t.name !== "place_option_order") });
    expect(out.content).toEqual([{ type: "text", text: "I need place_option_order to trade, and it was not offered. No orders." }]);
  });
});
