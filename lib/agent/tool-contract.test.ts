import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BOOK_TOOL_NAMES,
  isBookToolName,
  POSITION_TOOL_NAMES,
  READ_ONLY_TOOL_NAMES,
  TOOL_NAMES,
  TRADING_TOOL_NAMES,
  toolInputSchemas,
  toolOutputSchemas,
} from "./tool-contract";

const FORBIDDEN = /model|user|account|session|date|time|clock|owner/i;

/** Every property key in a JSON Schema, at any depth. */
function keysOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const s of schema) keysOf(s, out);
  } else if (schema && typeof schema === "object") {
    const obj = schema as Record<string, unknown>;
    if (obj.properties && typeof obj.properties === "object") out.push(...Object.keys(obj.properties));
    for (const v of Object.values(obj)) keysOf(v, out);
  }
  return out;
}

describe("tool contract", () => {
  it("has a schema for every tool and groups the names", () => {
    expect(Object.keys(toolInputSchemas).sort()).toEqual([...TOOL_NAMES].sort());
    expect(Object.keys(toolOutputSchemas).sort()).toEqual([...TOOL_NAMES].sort());
    expect(TRADING_TOOL_NAMES).toEqual(["buy", "sell", "short", "cover"]);
    expect(READ_ONLY_TOOL_NAMES).toEqual(["get_quote", "get_bars", "get_indicators", "get_portfolio", "calculate"]);
    expect(POSITION_TOOL_NAMES).toEqual(["close_position", "reduce_position", "close_all_positions"]);
    // The tools that change the book: what MCP marks not read-only and an outside agent may not call on a model's session.
    expect([...BOOK_TOOL_NAMES].sort()).toEqual(["buy", "cancel_order", "close_all_positions", "close_position", "close_strategy", "cover", "exercise_option", "place_option_order", "place_order", "reduce_position", "replace_order", "sell", "short"]);
    expect(TOOL_NAMES.filter((n) => !isBookToolName(n)).sort()).toEqual([
      "calculate", "get_bars", "get_indicators", "get_option_chain", "get_option_quote", "get_orders", "get_portfolio", "get_quote", "preview_strategy", "search_news",
    ]);
    // Tools added later come last, in the order of their additions (a recorded call's digest covers the list: model-calls.ts).
    expect(TOOL_NAMES.slice(-6)).toEqual(["get_option_chain", "get_option_quote", "place_option_order", "exercise_option", "preview_strategy", "close_strategy"]);
  });

  it("validates replace and close inputs: an order id, prices as numbers, a percent above 0 and at most 100 with 2 decimals", () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect(toolInputSchemas.replace_order.safeParse({ orderId: id, limitPrice: 97.5, quantity: 5, timeInForce: "gtc" }).success).toBe(true);
    expect(toolInputSchemas.replace_order.safeParse({ orderId: "o1", limitPrice: 97.5 }).success).toBe(false);
    expect(toolInputSchemas.replace_order.safeParse({ orderId: id, quantity: 0 }).success).toBe(false);
    expect(toolInputSchemas.replace_order.safeParse({ orderId: id, timeInForce: "week" }).success).toBe(false);
    expect(toolInputSchemas.close_position.safeParse({ symbol: "AAPL" }).success).toBe(true);
    expect(toolInputSchemas.reduce_position.safeParse({ symbol: "AAPL" }).success).toBe(false);
    for (const percent of [0, -5, 100.01, 150, 33.333, Number.NaN]) {
      expect(toolInputSchemas.reduce_position.safeParse({ symbol: "AAPL", percent }).success, String(percent)).toBe(false);
      expect(toolInputSchemas.close_position.safeParse({ symbol: "AAPL", percent }).success, String(percent)).toBe(false);
    }
    for (const percent of [0.01, 33.33, 50, 100]) expect(toolInputSchemas.reduce_position.safeParse({ symbol: "AAPL", percent }).success, String(percent)).toBe(true);
    expect(toolInputSchemas.close_all_positions.safeParse({}).success).toBe(true);
  });

  it("no input schema lets the model name an identity, a session or a time", () => {
    for (const [name, schema] of Object.entries(toolInputSchemas)) {
      const keys = [...Object.keys(schema.shape), ...keysOf(z.toJSONSchema(schema, { io: "input" }))];
      // timeInForce (place_order, Alpaca's word) names a policy (day, gtc, …), not a time: no value of it is an instant.
      for (const key of keys) expect(key !== "timeInForce" && FORBIDDEN.test(key), `${name} has input field "${key}"`).toBe(false);
    }
  });

  it("no input schema has a union (oneOf/anyOf/allOf): some providers refuse or ignore them in tool parameters", () => {
    const unions = (schema: unknown, at: string, out: string[] = []): string[] => {
      if (schema && typeof schema === "object") {
        for (const [k, v] of Object.entries(schema)) {
          if (["oneOf", "anyOf", "allOf"].includes(k)) out.push(`${at}.${k}`);
          unions(v, `${at}.${k}`, out);
        }
      }
      return out;
    };
    for (const [name, schema] of Object.entries(toolInputSchemas)) expect(unions(z.toJSONSchema(schema, { io: "input" }), name)).toEqual([]);
    expect(unions(z.toJSONSchema(z.object({ a: z.discriminatedUnion("k", [z.object({ k: z.literal("x") }), z.object({ k: z.literal("y") })]) })), "bad")).not.toEqual([]);
  });

  it("the walker does find a forbidden key (the test can fail)", () => {
    const bad = z.object({ symbol: z.string(), nested: z.object({ asOfDate: z.string() }) });
    expect(keysOf(z.toJSONSchema(bad)).some((k) => FORBIDDEN.test(k))).toBe(true);
  });

  it("validates trade inputs: whole positive quantities", () => {
    expect(toolInputSchemas.buy.safeParse({ symbol: "AAPL", quantity: 10 }).success).toBe(true);
    expect(toolInputSchemas.buy.safeParse({ symbol: "AAPL", quantity: 1.5 }).success).toBe(false);
    expect(toolInputSchemas.sell.safeParse({ symbol: "AAPL", quantity: 0 }).success).toBe(false);
    expect(toolInputSchemas.short.safeParse({ symbol: "not a ticker", quantity: 1 }).success).toBe(false);
    expect(toolInputSchemas.get_bars.safeParse({ symbol: "brk.b", limit: 501 }).success).toBe(false);
    expect(toolInputSchemas.calculate.safeParse({ expression: "x".repeat(501) }).success).toBe(false);
  });

  it("output schemas accept contract-shaped results", () => {
    expect(
      toolOutputSchemas.buy.parse({
        status: "rejected",
        orderId: "o1",
        symbol: "AAPL",
        side: "buy",
        quantity: 10,
        rejectCode: "INSUFFICIENT_CASH",
        message: "need more cash",
        duplicate: false,
      }).status,
    ).toBe("rejected");
    expect(
      toolOutputSchemas.get_portfolio.parse({ cash: "100.00", equity: "100.00", positions: [], universe: ["AAPL"] }).universe,
    ).toEqual(["AAPL"]);
  });
});
