import { asSchema, type FlexibleSchema } from "ai";
import { describe, expect, it } from "vitest";
import { TOOL_NAMES, TOOLS_ADDED_SINCE, toolInputSchemas } from "@/lib/agent/tool-contract";
import { toolSchemas } from "./schemas";
import type { TradingContext } from "../context";
import { createTradingTools, idempotencyKeyFor } from "./index";

/** Building the tools touches nothing: the context is only read when a tool runs. */
const ctx = { userId: "u", modelId: "m", sessionId: "s", decisionId: "d", interval: "day" } as unknown as TradingContext;
const FORBIDDEN = /model|user|account|session|owner|date|time|clock|portfolio_id|decision/i;

function propertyKeys(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const s of schema) propertyKeys(s, out);
  else if (schema && typeof schema === "object") {
    const o = schema as Record<string, unknown>;
    if (o.properties && typeof o.properties === "object") out.push(...Object.keys(o.properties));
    for (const v of Object.values(o)) propertyKeys(v, out);
  }
  return out;
}

describe("createTradingTools", () => {
  const tools = createTradingTools(ctx);

  it("offers exactly the contract's tools, with the contract's input schemas (converted once)", async () => {
    expect(Object.keys(tools).sort()).toEqual([...TOOL_NAMES].sort());
    for (const name of TOOL_NAMES) {
      expect(tools[name].inputSchema, name).toBe(toolSchemas[name]);
      const valid = {
        ...{ symbol: "AAPL", underlying: "AAPL", quantity: 1, expression: "1+1", query: "AAPL", indicators: [{ name: "rsi" }], side: "buy", type: "limit", percent: 50 },
        ...{ orderId: "00000000-0000-4000-8000-000000000000", positionIntent: "buy_to_open", legs: [] },
      };
      expect(await toolSchemas[name].validate?.(valid), name).toMatchObject({ success: true });
      expect(await toolSchemas[name].jsonSchema, name).toEqual(await asSchema(toolInputSchemas[name] as FlexibleSchema<unknown>).jsonSchema);
      expect(tools[name].description?.length ?? 0, name).toBeGreaterThan(30);
    }
  });

  it("offers the latest additions last, in their order (exact replay of older records relies on it: TOOLS_ADDED_SINCE)", () => {
    const names = Object.keys(tools);
    let end = names.length;
    for (const added of TOOLS_ADDED_SINCE) {
      expect(names.slice(end - added.length, end)).toEqual([...added]);
      end -= added.length;
    }
  });

  it("no tool has a parameter that could name another model, user, session or time (what the model is shown)", async () => {
    for (const name of TOOL_NAMES) {
      const jsonSchema = await asSchema(tools[name].inputSchema as FlexibleSchema<unknown>).jsonSchema;
      // timeInForce (place_order, Alpaca's word) names a policy (day, gtc, …), never an instant.
      for (const key of propertyKeys(jsonSchema)) expect(key !== "timeInForce" && FORBIDDEN.test(key), `${name}.${key}`).toBe(false);
    }
  });

  it("scopes order keys by session", () => {
    expect(idempotencyKeyFor("s1", "call_abc")).toBe("s1:call_abc");
    const odd = idempotencyKeyFor("s1", "an id with spaces");
    expect(odd).toMatch(/^s1:sha256-[0-9a-f]{64}$/);
    expect(idempotencyKeyFor("s1", "x".repeat(500))).toHaveLength("s1:sha256-".length + 64);
  });
});
