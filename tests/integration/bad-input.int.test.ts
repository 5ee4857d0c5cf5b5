import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_NAMES, type ToolName } from "@/lib/agent/tool-contract";
import { AppError } from "@/lib/errors";
import { createTradingTools, ToolError, type TradingContext } from "@/lib/trading/tools";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { contextOf, createAgentFixture, DAILY_FILE, DAY_OPEN } from "@/tests/support/agent-fixtures";
import { appTables, BAD_TEXT, type BadCase, caseTitle, CaseRecord, countingWrites, countsBySurface, deepArrayJson, deepObjectJson, huge, MB, unreadable } from "@/tests/support/bad-input";

/**
 * Bad input, in process, on a real PostgreSQL (docs/api.md, "Bad input"): every argument of every agent tool
 * (lib/agent/tool-contract.ts), called as the AI SDK calls `execute`, with a real context; and every field of
 * the bar importers (CSV and Alpha Vantage JSON/JSONL, through importBarsFile as `npm run data:import` does).
 * Each case must be refused in words (a ToolError "CODE: message", an ImportError listing the line) and write
 * nothing: the row counts of every table of the app are the same before and after, and a tool leaves the
 * session book as it was (no order waiting for the bar's write).
 */

const admin = adminSql();
const { db, client } = testDb();
const UNIVERSE = ["AAPL", "MSFT", "NVDA"];
const tables = await appTables(admin);
let scope: { users: string[] };
let fixture: Awaited<ReturnType<typeof createAgentFixture>>;
let workDir: string;

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
  const user = await createUser(admin, "badinput");
  fixture = await createAgentFixture(db, admin, user, { startingCash: "10000" });
  scope = { users: [user.id] };
  workDir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bad-input-"));
});
afterAll(async () => {
  await record.save("bad-input-in-process.txt");
  await rm(workDir, { recursive: true, force: true });
  await admin.end();
  await client.end();
});

// ---- Agent tools -------------------------------------------------------------------------------------------

type ToolCase = BadCase<{ tool: ToolName; args: unknown }, RegExp>;
const INVALID = /^INVALID_ARGUMENTS: /;
/** Two legs of a call vertical on AAPL (multi-leg bad input: every other field is what is wrong). */
const MLEG_CALL = { symbol: "AAPL251017C00250000", side: "buy", ratio: 1, positionIntent: "buy_to_open" } as const;
const MLEG_SHORT_CALL = { symbol: "AAPL251017C00255000", side: "sell", ratio: 1, positionIntent: "sell_to_open" } as const;

const TRADES = ["buy", "sell", "short", "cover"] as const satisfies readonly ToolName[];
const SYMBOL_TOOLS = ["get_quote", "get_bars", "get_indicators", ...TRADES, "place_order"] as const satisfies readonly ToolName[];
/** A good place_order request, to spoil one field at a time. */
const LIMIT_ORDER = { symbol: "AAPL", side: "buy", quantity: 1, type: "limit", limitPrice: 250 } as const;

/** A symbol argument that no tool may take, whatever the tool. */
const BAD_SYMBOLS: [string, unknown][] = [
  ["missing", undefined],
  ["a number", 42],
  ["null", null],
  ["empty", ""],
  ["13 characters", "ABCDEFGHIJKLM"],
  ["1 MB", huge(MB, "A")],
  ["SQL injection", BAD_TEXT.sqlInjection],
  ["a script tag", BAD_TEXT.script],
  ["path traversal", BAD_TEXT.pathTraversal],
  ["a NUL byte", "AAPL\u0000"],
  ["a lone surrogate", "AAPL\ud800"],
  ["emoji", BAD_TEXT.emoji],
  ["an RTL override", "AAPL\u202e"],
  ["__proto__", BAD_TEXT.protoKey],
  ["an object", { toString: () => "AAPL" }],
  ["an array", ["AAPL"]],
];

/** A quantity argument no trading tool may take. */
const BAD_QUANTITIES: [string, unknown][] = [
  ["missing", undefined],
  ["zero", 0],
  ["negative", -5],
  ["-0", -0],
  ["fractional", 1.5],
  ["a numeric string", "10"],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["1e309 (Infinity once parsed)", JSON.parse("1e309")],
  ["above the 10,000,000 limit", 10_000_001],
  ["2^53 + 1", 2 ** 53 + 1],
  ["a boolean", true],
  ["null", null],
];

const symbolArgs = (tool: ToolName, symbol: unknown) => {
  const order = { side: LIMIT_ORDER.side, quantity: LIMIT_ORDER.quantity, type: LIMIT_ORDER.type, limitPrice: LIMIT_ORDER.limitPrice };
  const base = tool === "get_quote" || tool === "get_bars" ? {} : tool === "get_indicators" ? { indicators: [{ name: "rsi" }] } : tool === "place_order" ? order : { quantity: 1 };
  return symbol === undefined ? base : { ...base, symbol };
};

const toolCases: ToolCase[] = [
  // Every tool that takes a symbol, with every bad symbol (the cross product).
  ...SYMBOL_TOOLS.flatMap((tool) =>
    BAD_SYMBOLS.map(([what, symbol]) => ({ surface: `tool ${tool}`, what: `symbol ${what}`, input: { tool, args: symbolArgs(tool, symbol) }, expected: INVALID })),
  ),
  // Every trading tool with every bad quantity.
  ...TRADES.flatMap((tool) =>
    BAD_QUANTITIES.map(([what, quantity]) => ({
      surface: `tool ${tool}`,
      what: `quantity ${what}`,
      input: { tool, args: quantity === undefined ? { symbol: "AAPL" } : { symbol: "AAPL", quantity } },
      expected: INVALID,
    })),
  ),
  ...BAD_QUANTITIES.map(([what, quantity]) => {
    const order = { symbol: LIMIT_ORDER.symbol, side: LIMIT_ORDER.side, type: LIMIT_ORDER.type, limitPrice: LIMIT_ORDER.limitPrice };
    return { surface: "tool place_order", what: `quantity ${what}`, input: { tool: "place_order" as const, args: quantity === undefined ? order : { ...order, quantity } }, expected: INVALID };
  }),
  // The order contract (issue #22): each field alone, then the combinations the engine's rules refuse. Nothing is placed or written.
  ...(
    [
      ["type missing", { ...LIMIT_ORDER, type: undefined }, INVALID],
      ["type unknown (iceberg)", { ...LIMIT_ORDER, type: "iceberg" }, INVALID],
      ["side unknown (long)", { ...LIMIT_ORDER, side: "long" }, INVALID],
      ["limitPrice zero", { ...LIMIT_ORDER, limitPrice: 0 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["limitPrice negative", { ...LIMIT_ORDER, limitPrice: -250 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["limitPrice NaN", { ...LIMIT_ORDER, limitPrice: Number.NaN }, INVALID],
      ["limitPrice Infinity", { ...LIMIT_ORDER, limitPrice: Number.POSITIVE_INFINITY }, INVALID],
      ["limitPrice a string", { ...LIMIT_ORDER, limitPrice: "250" }, INVALID],
      ["limitPrice absurd (1e12)", { ...LIMIT_ORDER, limitPrice: 1e12 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["limitPrice with 7 decimals", { ...LIMIT_ORDER, limitPrice: 250.0000001 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["a limit order without limitPrice", { ...LIMIT_ORDER, limitPrice: undefined }, INVALID],
      ["a limit order with a stopPrice", { ...LIMIT_ORDER, stopPrice: 240 }, INVALID],
      ["a market order with a limitPrice", { ...LIMIT_ORDER, type: "market" }, INVALID],
      ["a stop_limit without limitPrice", { symbol: "AAPL", side: "buy", quantity: 1, type: "stop_limit", stopPrice: 260 }, INVALID],
      ["a trailing_stop with trailPrice and trailPercent", { symbol: "AAPL", side: "sell", quantity: 1, type: "trailing_stop", trailPrice: 5, trailPercent: 2 }, INVALID],
      ["a trailing_stop with trailPercent 150", { symbol: "AAPL", side: "sell", quantity: 1, type: "trailing_stop", trailPercent: 150 }, INVALID],
      ["timeInForce a week", { ...LIMIT_ORDER, timeInForce: "week" }, INVALID],
      ["timeInForce ioc on a stop (day or gtc only)", { symbol: "AAPL", side: "buy", quantity: 1, type: "stop", stopPrice: 260, timeInForce: "ioc" }, INVALID],
      ["orderClass mleg", { ...LIMIT_ORDER, orderClass: "mleg" }, INVALID],
      ["a bracket without its stopLoss", { ...LIMIT_ORDER, orderClass: "bracket", takeProfit: { limitPrice: 270 } }, INVALID],
      ["a bracket with its legs inverted", { ...LIMIT_ORDER, orderClass: "bracket", takeProfit: { limitPrice: 230 }, stopLoss: { stopPrice: 270 } }, INVALID],
      ["takeProfit a number", { ...LIMIT_ORDER, orderClass: "bracket", takeProfit: 270, stopLoss: { stopPrice: 230 } }, INVALID],
      ["an array instead of an object", [LIMIT_ORDER], INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool place_order", what, input: { tool: "place_order" as const, args }, expected })),
  ...(
    [
      ["orderId missing", {}, INVALID],
      ["orderId not an id", { orderId: "order-1" }, INVALID],
      ["orderId a number", { orderId: 7 }, INVALID],
      ["orderId SQL injection", { orderId: BAD_TEXT.sqlInjection }, INVALID],
      ["orderId 1 MB", { orderId: huge(MB, "a") }, INVALID],
      ["an order id nobody placed", { orderId: "6f1d3c1e-0000-4000-8000-000000000000" }, /^UNKNOWN_ORDER: no working order/],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool cancel_order", what, input: { tool: "cancel_order" as const, args }, expected })),
  // replace_order (issue #22 item 5): bad ids and prices are refused before the book is looked at; an id nobody placed is unknown.
  ...(
    [
      ["orderId missing", { limitPrice: 250 }, INVALID],
      ["orderId not an id", { orderId: "order-1", limitPrice: 250 }, INVALID],
      ["orderId SQL injection", { orderId: BAD_TEXT.sqlInjection, limitPrice: 250 }, INVALID],
      ["limitPrice zero", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", limitPrice: 0 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["limitPrice negative", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", limitPrice: -1 }, /^INVALID_ARGUMENTS: limitPrice/],
      ["limitPrice NaN", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", limitPrice: Number.NaN }, INVALID],
      ["stopPrice absurd (1e12)", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", stopPrice: 1e12 }, /^INVALID_ARGUMENTS: stopPrice/],
      ["stopPrice with 7 decimals", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", stopPrice: 250.0000001 }, /^INVALID_ARGUMENTS: stopPrice/],
      ["trailPrice and trailPercent", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", trailPrice: 5, trailPercent: 2 }, /^INVALID_ARGUMENTS: give trailPrice or trailPercent, not both/],
      ["trailPercent 150", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", trailPercent: 150 }, /^INVALID_ARGUMENTS: trailPercent/],
      ["quantity 0", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", quantity: 0 }, INVALID],
      ["quantity fractional", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", quantity: 1.5 }, INVALID],
      ["timeInForce a week", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", timeInForce: "week" }, INVALID],
      ["an order id nobody placed", { orderId: "6f1d3c1e-0000-4000-8000-000000000000", limitPrice: 250 }, /^UNKNOWN_ORDER: no working order/],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool replace_order", what, input: { tool: "replace_order" as const, args }, expected })),
  // close_position, reduce_position, close_all_positions: bad symbols and percents; a position not held (nothing to close).
  ...(["close_position", "reduce_position"] as const).flatMap((tool) =>
    (
      [
        ["symbol missing", { percent: 50 }, INVALID],
        ["symbol SQL injection", { symbol: BAD_TEXT.sqlInjection, percent: 50 }, INVALID],
        ["percent 0", { symbol: "AAPL", percent: 0 }, INVALID],
        ["percent negative", { symbol: "AAPL", percent: -10 }, INVALID],
        ["percent 150", { symbol: "AAPL", percent: 150 }, INVALID],
        ["percent NaN", { symbol: "AAPL", percent: Number.NaN }, INVALID],
        ["percent with 3 decimals", { symbol: "AAPL", percent: 33.333 }, INVALID],
        ["percent a string", { symbol: "AAPL", percent: "50" }, INVALID],
        ["a position not held", { symbol: "AAPL", percent: 50 }, /^NO_POSITION: you hold no AAPL, so there is nothing to close/],
      ] as const
    ).map(([what, args, expected]) => ({ surface: `tool ${tool}`, what, input: { tool, args }, expected })),
  ),
  { surface: "tool reduce_position", what: "percent missing", input: { tool: "reduce_position" as const, args: { symbol: "AAPL" } }, expected: INVALID },
  { surface: "tool close_all_positions", what: "a string instead of an object", input: { tool: "close_all_positions" as const, args: "all" }, expected: INVALID },
  ...(
    [
      ["status closed", { status: "closed" }],
      ["status a number", { status: 1 }],
      ["limit 0", { status: "all", limit: 0 }],
      ["limit 101 (above the contract's 100)", { status: "all", limit: 101 }],
      ["limit fractional", { status: "all", limit: 1.5 }],
      ["a string instead of an object", "open"],
    ] as const
  ).map(([what, args]) => ({ surface: "tool get_orders", what, input: { tool: "get_orders" as const, args }, expected: INVALID })),
  ...(
    [
      ["interval a week", { symbol: "AAPL", interval: "week" }],
      ["interval in upper case", { symbol: "AAPL", interval: "DAY" }],
      ["limit 0", { symbol: "AAPL", limit: 0 }],
      ["limit 501 (above the contract's 500)", { symbol: "AAPL", limit: 501 }],
      ["limit negative", { symbol: "AAPL", limit: -1 }],
      ["limit fractional", { symbol: "AAPL", limit: 2.5 }],
      ["limit a string", { symbol: "AAPL", limit: "10" }],
      ["limit NaN", { symbol: "AAPL", limit: Number.NaN }],
      ["limit Infinity", { symbol: "AAPL", limit: Number.POSITIVE_INFINITY }],
    ] as const
  ).map(([what, args]) => ({ surface: "tool get_bars", what, input: { tool: "get_bars" as const, args }, expected: INVALID })),
  ...(
    [
      ["indicators missing", { symbol: "AAPL" }, INVALID],
      ["indicators empty", { symbol: "AAPL", indicators: [] }, INVALID],
      ["indicators a string", { symbol: "AAPL", indicators: "rsi" }, INVALID],
      ["indicators an object, not a list", { symbol: "AAPL", indicators: { name: "rsi" } }, INVALID],
      ["9 indicators (above the contract's 8)", { symbol: "AAPL", indicators: Array(9).fill({ name: "sma" }) }, INVALID],
      ["an indicator null", { symbol: "AAPL", indicators: [null] }, INVALID],
      ["an unknown indicator", { symbol: "AAPL", indicators: [{ name: "ichimoku" }] }, INVALID],
      ["a name in upper case", { symbol: "AAPL", indicators: [{ name: "RSI" }] }, INVALID],
      ["a name __proto__", { symbol: "AAPL", indicators: [{ name: BAD_TEXT.protoKey }] }, INVALID],
      ["a name of 1 MB", { symbol: "AAPL", indicators: [{ name: huge(MB, "s") }] }, INVALID],
      ["period 0", { symbol: "AAPL", indicators: [{ name: "sma", period: 0 }] }, INVALID],
      ["period 1 (below the contract's 2)", { symbol: "AAPL", indicators: [{ name: "ema", period: 1 }] }, INVALID],
      ["period negative", { symbol: "AAPL", indicators: [{ name: "rsi", period: -14 }] }, INVALID],
      ["period fractional", { symbol: "AAPL", indicators: [{ name: "atr", period: 2.5 }] }, INVALID],
      ["period NaN", { symbol: "AAPL", indicators: [{ name: "sma", period: Number.NaN }] }, INVALID],
      ["period Infinity", { symbol: "AAPL", indicators: [{ name: "sma", period: Number.POSITIVE_INFINITY }] }, INVALID],
      ["period 201 (above the contract's 200)", { symbol: "AAPL", indicators: [{ name: "sma", period: 201 }] }, INVALID],
      ["period a string", { symbol: "AAPL", indicators: [{ name: "sma", period: "20" }] }, INVALID],
      ["stdDev 0", { symbol: "AAPL", indicators: [{ name: "bollinger", stdDev: 0 }] }, INVALID],
      ["stdDev NaN", { symbol: "AAPL", indicators: [{ name: "bollinger", stdDev: Number.NaN }] }, INVALID],
      ["a parameter the indicator does not take (rsi fast)", { symbol: "AAPL", indicators: [{ name: "rsi", fast: 3 }] }, INVALID],
      ["an unknown parameter (sma length)", { symbol: "AAPL", indicators: [{ name: "sma", length: 50 }] }, INVALID],
      ["macd fast above slow", { symbol: "AAPL", indicators: [{ name: "macd", fast: 26, slow: 12 }] }, INVALID],
      ["macd fast equal to the default slow", { symbol: "AAPL", indicators: [{ name: "macd", fast: 26 }] }, INVALID],
      ["vwap of day bars", { symbol: "AAPL", indicators: [{ name: "vwap" }] }, INVALID],
      ["interval a week", { symbol: "AAPL", indicators: [{ name: "rsi" }], interval: "week" }, INVALID],
      ["count 0", { symbol: "AAPL", indicators: [{ name: "rsi" }], count: 0 }, INVALID],
      ["count 31 (above the contract's 30)", { symbol: "AAPL", indicators: [{ name: "rsi" }], count: 31 }, INVALID],
      ["count fractional", { symbol: "AAPL", indicators: [{ name: "rsi" }], count: 1.5 }, INVALID],
      ["a period longer than the bars up to the clock", { symbol: "AAPL", indicators: [{ name: "sma", period: 200 }] }, /^NOT_ENOUGH_BARS: SMA\(200\) needs 200 closed bars/],
      ["minute bars, of which there are none", { symbol: "AAPL", indicators: [{ name: "rsi" }], interval: "minute" }, /^NOT_ENOUGH_BARS: no closed minute bars of AAPL/],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool get_indicators", what, input: { tool: "get_indicators" as const, args }, expected })),
  ...(
    [
      ["no arguments at all (undefined)", undefined, INVALID],
      ["an array instead of an object", [], INVALID],
      ["a string instead of an object", "portfolio", INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool get_portfolio", what, input: { tool: "get_portfolio" as const, args }, expected })),
  ...(
    [
      ["missing", {}, INVALID],
      ["empty", { expression: "" }, INVALID],
      ["a number, not text", { expression: 42 }, INVALID],
      ["501 characters", { expression: `1${"+1".repeat(250)}` }, INVALID],
      ["10 MB", { expression: huge(10 * MB, "1") }, INVALID],
      ["an assignment", { expression: "x = 1" }, /^INVALID_EXPRESSION: /],
      ["import()", { expression: 'import("fs")' }, /^INVALID_EXPRESSION: /],
      ["createUnit", { expression: 'createUnit("bullpen")' }, /^INVALID_EXPRESSION: /],
      ["evaluate()", { expression: 'evaluate("1+1")' }, /^INVALID_EXPRESSION: /],
      ["a range of a billion numbers", { expression: "sum(1:1000000000)" }, /^INVALID_EXPRESSION: /],
      ["a property access (constructor)", { expression: "sqrt.constructor" }, /^INVALID_EXPRESSION: /],
      ["__proto__", { expression: "__proto__" }, /^INVALID_EXPRESSION: /],
      ["a string literal", { expression: '"1" + "2"' }, /^INVALID_EXPRESSION: /],
      ["a NUL byte", { expression: "1\u0000+1" }, /^INVALID_EXPRESSION: /],
      ["SQL injection", { expression: BAD_TEXT.sqlInjection }, /^INVALID_EXPRESSION: /],
      ["unbalanced parentheses", { expression: "((1+2)" }, /^INVALID_EXPRESSION: /],
      ["a function definition", { expression: "f(x) = x^2" }, /^INVALID_EXPRESSION: /],
      ["a billion ones (ones())", { expression: "sum(ones(1000000000))" }, /^INVALID_EXPRESSION: /],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool calculate", what: `expression ${what}`, input: { tool: "calculate" as const, args }, expected })),
  ...(
    [
      ["query missing", {}],
      ["query empty", { query: "" }],
      ["query 201 characters", { query: huge(201) }],
      ["query a number", { query: 5 }],
      ["query a NUL byte", { query: BAD_TEXT.nul }],
      ["query a lone surrogate", { query: BAD_TEXT.loneSurrogate }],
      ["limit 0", { query: "AAPL", limit: 0 }],
      ["limit 21 (above the contract's 20)", { query: "AAPL", limit: 21 }],
      ["limit fractional", { query: "AAPL", limit: 1.5 }],
    ] as const
  ).map(([what, args]) => ({ surface: "tool search_news", what, input: { tool: "search_news" as const, args }, expected: INVALID })),
  ...(
    [
      ["underlying missing", {}, INVALID],
      ["underlying SQL injection", { underlying: BAD_TEXT.sqlInjection }, INVALID],
      ["underlying outside the universe", { underlying: "ZZZZ" }, /^NOT_IN_UNIVERSE: /],
      ["expiry not a day", { underlying: "AAPL", expiry: "next friday" }, INVALID],
      ["expiry and expiryFrom together", { underlying: "AAPL", expiry: "2025-10-17", expiryFrom: "2025-10-01" }, INVALID],
      ["expiryFrom after expiryTo", { underlying: "AAPL", expiryFrom: "2025-11-01", expiryTo: "2025-10-01" }, INVALID],
      ["expiry 2025-02-30", { underlying: "AAPL", expiry: "2025-02-30" }, /^INVALID_REQUEST: the expiry "2025-02-30" is not a calendar day/],
      ["an expiry none is listed on (a Thursday)", { underlying: "AAPL", expiry: "2025-10-16" }, /^INVALID_REQUEST: no AAPL option expires on 2025-10-16/],
      ["an expired expiry", { underlying: "AAPL", expiry: "2025-09-19" }, /^INVALID_REQUEST: no AAPL option expires on 2025-09-19 .*an expiry before the clock has expired$/],
      ["right long", { underlying: "AAPL", right: "long" }, INVALID],
      ["minStrike negative", { underlying: "AAPL", minStrike: -5 }, INVALID],
      ["minStrike above maxStrike", { underlying: "AAPL", minStrike: 300, maxStrike: 200 }, INVALID],
      ["a strike range of 10,000 strikes", { underlying: "AAPL", minStrike: 1, maxStrike: 99_999 }, /^INVALID_REQUEST: the strikes from 1 to 99999 are more than 200/],
      ["maxDelta 1.5", { underlying: "AAPL", maxDelta: 1.5 }, INVALID],
      ["minDelta above maxDelta", { underlying: "AAPL", minDelta: 0.6, maxDelta: 0.4 }, INVALID],
      ["limit 0", { underlying: "AAPL", limit: 0 }, INVALID],
      ["limit 201", { underlying: "AAPL", limit: 201 }, INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool get_option_chain", what, input: { tool: "get_option_chain" as const, args }, expected })),
  ...(
    [
      ["symbol missing", {}, INVALID],
      ["symbol 22 characters", { symbol: "AAPL251017C002500000000" }, INVALID],
      ["symbol a ticker", { symbol: "AAPL" }, /^INVALID_REQUEST: "AAPL" is not an OCC option symbol/],
      ["an expired contract", { symbol: "AAPL250919C00250000" }, /^INVALID_REQUEST: AAPL250919C00250000: the expiry 2025-09-19 has expired/],
      ["an expiry not listed (a Thursday)", { symbol: "AAPL251016C00250000" }, /is not a listed expiry/],
      ["a strike not on the grid", { symbol: "AAPL251017C00251000" }, /the strike 251 is not on the strike grid/],
      ["an underlying outside the universe", { symbol: "ZZZZ251017C00250000" }, /^NOT_IN_UNIVERSE: /],
      ["a date that does not exist", { symbol: "AAPL250230C00250000" }, /is not a calendar date/],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool get_option_quote", what, input: { tool: "get_option_quote" as const, args }, expected })),
  ...(
    [
      ["symbol missing", { side: "buy", positionIntent: "buy_to_open", quantity: 1 }, INVALID],
      ["symbol a ticker", { symbol: "AAPL", side: "buy", positionIntent: "buy_to_open", quantity: 1 }, /^INVALID_ARGUMENTS: "AAPL" is not an OCC option symbol.*nothing was placed$/],
      ["symbol SQL injection", { symbol: BAD_TEXT.sqlInjection, side: "buy", positionIntent: "buy_to_open", quantity: 1 }, INVALID],
      ["a date that does not exist", { symbol: "AAPL250230C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 1 }, /^INVALID_ARGUMENTS: .*is not a calendar date/],
      ["side short", { symbol: "AAPL251017C00250000", side: "short", positionIntent: "sell_to_open", quantity: 1 }, INVALID],
      ["positionIntent open", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "open", quantity: 1 }, INVALID],
      ["quantity 0", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 0 }, INVALID],
      ["quantity 1.5", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 1.5 }, INVALID],
      ["quantity 10,001", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 10_001 }, INVALID],
      ["quantity as text", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: "1" }, INVALID],
      ["a negative premium", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 1, type: "limit", limitPrice: -1.5 }, /a premium is a price above 0/],
      ["an order type options do not know", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 1, type: "moc" }, INVALID],
      ["timeInForce a week", { symbol: "AAPL251017C00250000", side: "buy", positionIntent: "buy_to_open", quantity: 1, type: "limit", limitPrice: 1, timeInForce: "week" }, INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool place_option_order", what, input: { tool: "place_option_order" as const, args }, expected })),
  ...(
    [
      ["symbol missing", { quantity: 1 }, INVALID],
      ["symbol a ticker", { symbol: "AAPL", quantity: 1 }, /^INVALID_ARGUMENTS: "AAPL" is not an OCC option symbol.*nothing was exercised$/],
      ["symbol SQL injection", { symbol: BAD_TEXT.sqlInjection, quantity: 1 }, INVALID],
      ["quantity 0", { symbol: "AAPL251017C00250000", quantity: 0 }, INVALID],
      ["quantity 1.5", { symbol: "AAPL251017C00250000", quantity: 1.5 }, INVALID],
      ["quantity 10,001", { symbol: "AAPL251017C00250000", quantity: 10_001 }, INVALID],
      ["quantity as text", { symbol: "AAPL251017C00250000", quantity: "1" }, INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool exercise_option", what, input: { tool: "exercise_option" as const, args }, expected })),
  // Multi-leg orders: what the contract refuses before the book sees it (a strategy the engine refuses is a rejected order, written).
  ...(
    [
      ["orderClass mleg without legs", { orderClass: "mleg", quantity: 1, type: "market" }, /^INVALID_ARGUMENTS: orderClass mleg needs legs/],
      ["legs without orderClass mleg", { symbol: "AAPL", side: "buy", quantity: 1, type: "market", legs: [MLEG_CALL, MLEG_SHORT_CALL] }, /^INVALID_ARGUMENTS: legs go with orderClass "mleg"/],
      ["orderClass mleg with a symbol and side", { orderClass: "mleg", symbol: "AAPL", side: "buy", quantity: 1, type: "market", legs: [MLEG_CALL, MLEG_SHORT_CALL] }, /^INVALID_ARGUMENTS: a multi-leg order .* not symbol, side/],
      ["orderClass mleg as a stop order", { orderClass: "mleg", quantity: 1, type: "stop", stopPrice: 1, legs: [MLEG_CALL, MLEG_SHORT_CALL] }, /^INVALID_ARGUMENTS: a multi-leg order .* not stopPrice/],
      ["orderClass mleg ioc", { orderClass: "mleg", quantity: 1, type: "market", timeInForce: "ioc", legs: [MLEG_CALL, MLEG_SHORT_CALL] }, /^INVALID_ARGUMENTS: a multi-leg order's timeInForce is day or gtc/],
      ["a leg with an unknown side", { orderClass: "mleg", quantity: 1, type: "market", legs: [{ ...MLEG_CALL, side: "long" }, MLEG_SHORT_CALL] }, INVALID],
      ["a leg's ratio as text", { orderClass: "mleg", quantity: 1, type: "market", legs: [{ ...MLEG_CALL, ratio: "1" }, MLEG_SHORT_CALL] }, INVALID],
      ["a thousand legs", { orderClass: "mleg", quantity: 1, type: "market", legs: Array.from({ length: 1000 }, () => MLEG_CALL) }, /^INVALID_ARGUMENTS: .*a strategy has 2 to 4 legs/],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool place_order", what, input: { tool: "place_order" as const, args }, expected })),
  ...(
    [
      ["legs missing", {}, INVALID],
      ["no legs", { legs: [] }, /^INVALID_LEGS: a strategy has 2 to 4 legs; got 0/],
      ["one leg", { legs: [MLEG_CALL] }, /^INVALID_LEGS: a strategy has 2 to 4 legs; got 1 \(a single contract is an ordinary order\)/],
      ["five legs", { legs: [MLEG_CALL, MLEG_SHORT_CALL, { ...MLEG_CALL, symbol: "AAPL251017C00260000" }, { ...MLEG_CALL, symbol: "AAPL251017P00240000" }, { ...MLEG_CALL, symbol: "AAPL251017P00230000" }] }, /^INVALID_LEGS: a strategy has 2 to 4 legs; got 5/],
      ["nine legs", { legs: Array.from({ length: 9 }, () => MLEG_CALL) }, INVALID],
      ["a ratio of 1.5", { legs: [{ ...MLEG_CALL, ratio: 1.5 }, MLEG_SHORT_CALL] }, /^INVALID_LEGS: leg 1 .*the ratio 1\.5 is not a whole number/],
      ["ratios not in lowest terms", { legs: [{ ...MLEG_CALL, ratio: 2 }, { ...MLEG_SHORT_CALL, ratio: 2 }] }, /^INVALID_LEGS: the ratios 2:2 share a factor of 2/],
      ["legs on two underlyings", { legs: [MLEG_CALL, { ...MLEG_SHORT_CALL, symbol: "MSFT251017C00450000" }] }, /^INVALID_LEGS: the option legs are on different underlyings: AAPL .* and MSFT/],
      ["a leg's symbol an SQL injection", { legs: [MLEG_CALL, { ...MLEG_SHORT_CALL, symbol: BAD_TEXT.sqlInjection.slice(0, 21) }] }, /^INVALID_LEGS: /],
      ["the same contract twice", { legs: [MLEG_CALL, { ...MLEG_CALL, side: "sell" }] }, /^INVALID_LEGS: AAPL251017C00250000 appears in legs 1 and 2; give each symbol once/],
      ["quantity 0", { legs: [MLEG_CALL, MLEG_SHORT_CALL], quantity: 0 }, INVALID],
      ["quantity as text", { legs: [MLEG_CALL, MLEG_SHORT_CALL], quantity: "2" }, INVALID],
      ["both legs and a named strategy", { legs: [MLEG_CALL, MLEG_SHORT_CALL], strategy: { name: "straddle", underlying: "AAPL", expiry: "2025-10-17", strikes: [250] } }, /^INVALID_ARGUMENTS: preview_strategy takes either legs or a named strategy/],
      ["an iron condor with crossed strikes", { strategy: { name: "iron_condor", underlying: "AAPL", expiry: "2025-10-17", strikes: [240, 260, 250, 270] } }, /^INVALID_STRATEGY: crossed strikes: an iron condor needs long put < short put < short call < long call/],
      ["a vertical on two expiries", { strategy: { name: "vertical", underlying: "AAPL", expiry: "2025-10-17", farExpiry: "2025-11-21", right: "call", strikes: [250, 255] } }, /^INVALID_STRATEGY: a vertical's legs share one expiry/],
      ["an iron condor with three strikes", { strategy: { name: "iron_condor", underlying: "AAPL", expiry: "2025-10-17", strikes: [240, 250, 260] } }, /^INVALID_STRATEGY: an iron condor takes 4 strikes \(long put, short put, short call, long call\); got 3/],
      ["a butterfly without a right", { strategy: { name: "butterfly", underlying: "AAPL", expiry: "2025-10-17", strikes: [240, 250, 260] } }, /^INVALID_STRATEGY: a butterfly needs a right: call or put/],
      ["a calendar without its far expiry", { strategy: { name: "calendar", underlying: "AAPL", expiry: "2025-10-17", right: "call", strikes: [250] } }, /^INVALID_STRATEGY: a calendar needs farExpiry/],
      ["a named strategy nobody knows (condor_plus)", { strategy: { name: "condor_plus", underlying: "AAPL", expiry: "2025-10-17", strikes: [250] } }, INVALID],
      ["a strike of 0", { strategy: { name: "straddle", underlying: "AAPL", expiry: "2025-10-17", strikes: [0] } }, INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool preview_strategy", what, input: { tool: "preview_strategy" as const, args }, expected })),
  ...(
    [
      ["orderId missing", {}, INVALID],
      ["orderId not an id", { orderId: "o1" }, INVALID],
      ["orderId an SQL injection", { orderId: BAD_TEXT.sqlInjection }, INVALID],
      ["an order that is not in this session", { orderId: "00000000-0000-4000-8000-000000000000" }, /^NOT_FOUND: there is no multi-leg order 00000000-0000-4000-8000-000000000000 in this session/],
      ["quantity 0", { orderId: "00000000-0000-4000-8000-000000000000", quantity: 0 }, INVALID],
      ["quantity 1.5", { orderId: "00000000-0000-4000-8000-000000000000", quantity: 1.5 }, INVALID],
    ] as const
  ).map(([what, args, expected]) => ({ surface: "tool close_strategy", what, input: { tool: "close_strategy" as const, args }, expected })),
];

let calls = 0;
function execute(ctx: TradingContext, name: ToolName, args: unknown): Promise<unknown> {
  const tools = createTradingTools(ctx);
  const run = tools[name].execute as unknown as (input: unknown, options: { toolCallId: string; messages: []; context: undefined }) => Promise<unknown>;
  return run(args, { toolCallId: `bad-input-${++calls}`, messages: [], context: undefined });
}

describe("bad input: agent tool arguments", () => {
  it("covers every tool of the contract", () => {
    expect(new Set(toolCases.map((c) => c.input.tool))).toEqual(new Set(TOOL_NAMES));
  });

  toolCases.forEach((c, i) => {
    it(caseTitle(c, i, toolCases.length), async () => {
      const ctx = await contextOf(db, fixture, DAY_OPEN, UNIVERSE);
      const cash = ctx.book.cash;
      const { result, changes } = await countingWrites(admin, tables, scope, () => execute(ctx, c.input.tool, c.input.args).then((output) => ({ output }), (error: unknown) => ({ error })));
      expect("output" in result ? `answered ${JSON.stringify(result.output).slice(0, 200)}` : null, "the tool must refuse").toBeNull();
      const { error } = result as { error: unknown };
      expect(error).toBeInstanceOf(ToolError);
      const message = (error as ToolError).message;
      record.add(i, message);
      expect(message).toMatch(c.expected);
      expect(unreadable(message), message).toBeNull();
      expect((error as ToolError).kind, message).toBe("reject");
      expect(changes, "rows written").toEqual([]);
      expect(ctx.book.pending.orders, "orders waiting for the bar's write").toEqual([]);
      expect(ctx.book.cash).toBe(cash);
    });
  });
});

// ---- Bar importers -----------------------------------------------------------------------------------------

interface ImportInput {
  /** The file's name: its extension chooses the parser. */
  file: string;
  content: string | Buffer;
  interval?: string;
}
type ImportCase = BadCase<ImportInput, RegExp>;

const HEADER = "symbol,time,open,high,low,close,volume";
/** A good row for a symbol nobody imported: if the file were taken even in part, it would add this bar. */
const GOOD_ROW = "ZBADIN,2025-10-01,10,11,9,10.5,1000";
const csv = (...rows: string[]) => [HEADER, GOOD_ROW, ...rows].join("\n") + "\n";
const badRow = (cells: Partial<Record<"symbol" | "time" | "open" | "high" | "low" | "close" | "volume", string>>) => {
  const row = { symbol: "ZBADIN", time: "2025-10-02", open: "10", high: "11", low: "9", close: "10.5", volume: "1000", ...cells };
  return [row.symbol, row.time, row.open, row.high, row.low, row.close, row.volume].join(",");
};

const csvCells: [string, Parameters<typeof badRow>[0], RegExp][] = [
  ["symbol empty", { symbol: "" }, /missing symbol/],
  ["symbol with a space", { symbol: "ZB AD" }, /symbol/],
  ["symbol SQL injection", { symbol: "';drop table bars;--" }, /symbol/],
  ["symbol a script tag", { symbol: "<script>" }, /symbol/],
  ["symbol path traversal", { symbol: "../../etc/passwd" }, /symbol/],
  ["symbol 13 characters", { symbol: "ABCDEFGHIJKLM" }, /symbol/],
  ["symbol 1 MB", { symbol: huge(MB, "Z") }, /symbol/],
  ["symbol lower case", { symbol: "zbadin" }, /upper-case/],
  ["symbol a NUL byte", { symbol: "ZBAD\u0000" }, /symbol/],
  ["symbol emoji", { symbol: "🚀" }, /symbol/],
  ["symbol an RTL override", { symbol: "ZBAD\u202e" }, /symbol/],
  ["time empty", { time: "" }, /time/],
  ["time 1 MB", { time: huge(MB, "9") }, /time/],
  ["time without a zone", { time: "2025-10-02T10:00:00" }, /no zone/],
  ["time 30 February", { time: "2025-02-30" }, /time/],
  ["time in words", { time: "yesterday" }, /time/],
  ["time on a Saturday (day bars)", { time: "2025-10-04" }, /not an NYSE trading day/],
  ["time outside the calendar (2031)", { time: "2031-10-01" }, /2031|calendar|year/i],
  ["time 25 o'clock", { time: "2025-10-02T25:00:00Z" }, /time/],
  ["time with an offset of +25:00", { time: "2025-10-02T13:30:00+25:00" }, /offset|zone/],
  ["time a SQL injection", { time: "2025-10-02'; drop table bars;--" }, /time/],
  ["open negative", { open: "-10" }, /negative/],
  ["open zero", { open: "0" }, /positive/],
  ["open NaN", { open: "NaN" }, /not a number/],
  ["open Infinity", { open: "Infinity" }, /not a number/],
  ["open 1e309", { open: "1e309" }, /not a number/],
  ["open with a thousands comma", { open: '"1,010.5"' }, /not a number/],
  ["high below low", { high: "8" }, /below low/],
  ["close above high", { close: "12" }, /outside/],
  ["close in words", { close: "ten" }, /not a number/],
  ["volume negative", { volume: "-1" }, /negative/],
  ["volume in words", { volume: "lots" }, /not a number/],
  ["only an open, but not the newest bar", { time: "2025-09-30", high: "", low: "", close: "", volume: "" }, /only an open/],
];

const av = (symbol: unknown, series: string, zone = "US/Eastern") =>
  `{"Meta Data": {"2. Symbol": ${JSON.stringify(symbol)}, "5. Time Zone": ${JSON.stringify(zone)}}, "Time Series (Daily)": ${series}}`;
const avBar = (o = "10", h = "11", l = "9", c = "10.5", v = "1000") => `{"1. open": "${o}", "2. high": "${h}", "3. low": "${l}", "4. close": "${c}", "5. volume": "${v}"}`;
const GOOD_AV = av("ZBADIN", `{"2025-10-01": ${avBar()}}`);

const importCases: ImportCase[] = [
  ...csvCells.map(([what, cells, expected]) => ({ surface: "import csv", what, input: { file: "bars.csv", content: csv(badRow(cells)), interval: "day" }, expected })),
  ...(
    [
      ["no header", `${GOOD_ROW}\n`, /header lacks/],
      ["a header without volume", "symbol,time,open,high,low,close\nZBADIN,2025-10-01,10,11,9,10.5\n", /header lacks volume/],
      ["an empty file", "", /empty file/],
      ["a header and no rows", `${HEADER}\n`, /no bars/],
      ["a row with a field too many", csv(`${badRow({})},1`), /expected 7 fields, found 8/],
      ["a row with a field too few", csv("ZBADIN,2025-10-02,10,11,9,10.5"), /expected 7 fields, found 6/],
      ["an unterminated quote", csv('ZBADIN,"2025-10-02,10,11,9,10.5,1000'), /unreadable CSV|quote/i],
      ["a duplicate timestamp", csv(GOOD_ROW), /duplicate timestamp/],
      ["a 10 MB line", csv(`${badRow({})},${huge(10 * MB)}`), /expected 7 fields/],
    ] as const
  ).map(([what, content, expected]) => ({ surface: "import csv", what, input: { file: "bars.csv", content, interval: "day" }, expected })),
  ...(
    [
      ["interval a week", "week"],
      ["interval empty", ""],
      ["interval in upper case", "DAY"],
    ] as const
  ).map(([what, interval]) => ({ surface: "import csv", what, input: { file: "bars.csv", content: csv(), interval }, expected: /unknown interval/ })),
  // Encodings: the bytes of the file, not its text.
  ...(
    [
      ["an invalid UTF-8 byte in a symbol", Buffer.concat([Buffer.from(`${HEADER}\n${GOOD_ROW}\nZBAD`), Buffer.from([0xff]), Buffer.from(",2025-10-02,10,11,9,10.5,1000\n")]), /UTF-8/],
      ["an overlong UTF-8 encoding of '/' in a symbol", Buffer.concat([Buffer.from(`${HEADER}\n${GOOD_ROW}\nZBAD`), Buffer.from([0xc0, 0xaf]), Buffer.from(",2025-10-02,10,11,9,10.5,1000\n")]), /UTF-8/],
      ["UTF-16 with its byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(), "utf16le")]), /UTF-8/],
      ["a UTF-8 byte-order mark and a bad row", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(badRow({ open: "-1" })))]), /line 3: .*negative/],
      ["a NUL byte in an ignored column's place", csv(badRow({ volume: "1000\u0000" })), /volume/],
    ] as const
  ).map(([what, content, expected]) => ({ surface: "import csv", what, input: { file: "bars.csv", content, interval: "day" }, expected })),
  ...(
    [
      ["malformed JSON on line 2", `${GOOD_AV}\n{"Meta Data": \n`, /line 2: malformed JSON/],
      ["no Meta Data", `${GOOD_AV}\n{"Time Series (Daily)": {}}\n`, /Meta Data/],
      ["the symbol a number", `${GOOD_AV}\n${av(42, `{"2025-10-02": ${avBar()}}`)}\n`, /Symbol/],
      ["the symbol a SQL injection", `${GOOD_AV}\n${av("'; drop table bars;--", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["the symbol a script tag", `${GOOD_AV}\n${av("<script>alert(1)</script>", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["the symbol path traversal", `${GOOD_AV}\n${av("../../etc/passwd", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["the symbol with a NUL byte", `${GOOD_AV}\n${av("ZBAD\u0000", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["the symbol with a lone surrogate", `${GOOD_AV}\n${av("ZBAD\ud800", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["the symbol 13 characters", `${GOOD_AV}\n${av("ABCDEFGHIJKLM", `{"2025-10-02": ${avBar()}}`)}\n`, /symbol/],
      ["a time zone on Mars", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02": ${avBar()}}`, "Mars/Olympus_Mons")}\n`, /unsupported time zone/],
      ["an unknown interval key", `${GOOD_AV}\n{"Meta Data": {"2. Symbol": "ZBADIN"}, "Time Series (7min)": {}}\n`, /unknown interval key/],
      ["a date of month 13", `${GOOD_AV}\n${av("ZBADIN", `{"2025-13-01": ${avBar()}}`)}\n`, /not a valid date/],
      ["a daily key with a time", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02 10:00:00": ${avBar()}}`)}\n`, /without a time/],
      ["__proto__ as a date", `${GOOD_AV}\n${av("ZBADIN", `{"__proto__": ${avBar()}}`)}\n`, /not a valid date/],
      ["constructor as a date", `${GOOD_AV}\n${av("ZBADIN", `{"constructor": ${avBar()}}`)}\n`, /not a valid date/],
      ["prices as an object", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02": {"1. open": {"$gt": 0}, "2. high": "11", "3. low": "9", "4. close": "10", "5. volume": "1"}}`)}\n`, /not a number/],
      ["a negative price", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02": ${avBar("-10")}}`)}\n`, /negative/],
      ["a price of 1e309", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02": ${avBar("10", "1e309")}}`)}\n`, /not a number/],
      ["a duplicate timestamp", `${av("ZBADIN", `{"2025-10-01": ${avBar()}, "2025-10-01": ${avBar()}}`)}\n`, /duplicate timestamp/],
      ["JSON nested 10,000 levels deep", `${GOOD_AV}\n${deepObjectJson(10_000)}\n`, /Meta Data/],
      ["arrays nested 100,000 levels deep", `${GOOD_AV}\n${deepArrayJson(100_000)}\n`, /Meta Data|malformed JSON/],
      ["a 10 MB line", `${GOOD_AV}\n${av("ZBADIN", `{"2025-10-02": ${avBar()}}`).replace('"5. Time Zone"', `"pad": "${huge(10 * MB)}", "5. Time Zone"`).replace('"2. high": "11"', '"2. high": "8"')}\n`, /below low/],
    ] as const
  ).map(([what, content, expected]) => ({ surface: "import jsonl", what, input: { file: "bars.jsonl", content }, expected })),
  {
    surface: "import jsonl",
    what: "an invalid UTF-8 byte in the symbol",
    input: { file: "bars.jsonl", content: Buffer.concat([Buffer.from(`${GOOD_AV}\n{"Meta Data": {"2. Symbol": "ZBAD`), Buffer.from([0xfe]), Buffer.from(`"}, "Time Series (Daily)": {"2025-10-02": ${avBar()}}}\n`)]) },
    expected: /line 2: .*UTF-8/,
  },
];

describe("bad input: importer fields", () => {
  importCases.forEach((c, i) => {
    it(caseTitle(c, i, importCases.length), async () => {
      const file = path.join(workDir, `${i}-${c.input.file}`);
      await writeFile(file, c.input.content);
      const { result, changes } = await countingWrites(admin, tables, scope, () =>
        importBarsFile(db, file, { interval: c.input.interval }).then((report) => ({ report }), (error: unknown) => ({ error })),
      );
      expect("report" in result ? `imported ${JSON.stringify(result.report)}` : null, "the file must be refused").toBeNull();
      const { error } = result as { error: unknown };
      expect(error, String(error)).toBeInstanceOf(AppError);
      const message = (error as AppError).message;
      record.add(toolCases.length + i, message);
      expect(message).toMatch(c.expected);
      expect(unreadable(message), message).toBeNull();
      expect(message.length, "the message quotes the input whole").toBeLessThan(4_000);
      expect(changes, "rows written").toEqual([]);
    });
  });
});

const allCases = [...toolCases, ...importCases];
const record = new CaseRecord(allCases);

describe("bad input: the in-process table", () => {
  const { surfaces, total } = countsBySurface(allCases);
  it(`holds ${total} cases: ${Object.entries(surfaces).map(([s, n]) => `${s} ${n}`).join(", ")}`, () => {
    expect(total).toBeGreaterThanOrEqual(200);
    expect(new Set(allCases.map((c) => `${c.surface}|${c.what}`)).size, "every case is a different input").toBe(total);
  });
});
