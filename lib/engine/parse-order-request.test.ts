import { describe, expect, it } from "vitest";
import type { EngineErrorCode } from "./errors";
import { parseOrderRequest } from "./parse-order-request";

const good = { symbol: "AAPL", side: "buy", quantity: 10 };

describe("parseOrderRequest", () => {
  it("accepts a valid request and defaults the type to market", () => {
    expect(parseOrderRequest(good)).toEqual({ ok: true, value: { ...good, type: "market" } });
    expect(parseOrderRequest({ symbol: "BRK.B", side: "buy_to_cover", quantity: 1, type: "market" }).ok).toBe(true);
  });

  it("drops keys it does not know (no model id can ride along)", () => {
    const r = parseOrderRequest({ ...good, modelId: "other-model", userId: "x" });
    expect(r.ok && r.value).toEqual({ ...good, type: "market" });
  });

  const bad: [string, unknown, EngineErrorCode, RegExp][] = [
    ["quantity 0", { ...good, quantity: 0 }, "INVALID_QUANTITY", /positive whole number.*got 0/],
    ["negative quantity", { ...good, quantity: -5 }, "INVALID_QUANTITY", /got -5 \(to reduce a position use side "sell"/],
    ["fractional quantity", { ...good, quantity: 2.5 }, "INVALID_QUANTITY", /fractional shares are not supported \(try 2\)/],
    ["NaN quantity", { ...good, quantity: NaN }, "INVALID_QUANTITY", /got NaN/],
    ["Infinity quantity", { ...good, quantity: Infinity }, "INVALID_QUANTITY", /got Infinity/],
    ["1e308 quantity", { ...good, quantity: 1e308 }, "INVALID_QUANTITY", /too large to count exactly/],
    ["string quantity '10'", { ...good, quantity: "10" }, "INVALID_QUANTITY", /send the number 10, not a string/],
    ["string quantity 'abc'", { ...good, quantity: "abc" }, "INVALID_QUANTITY", /got the string "abc"/],
    ["missing quantity", { symbol: "AAPL", side: "buy" }, "INVALID_QUANTITY", /got nothing/],
    ["empty symbol", { ...good, symbol: "" }, "INVALID_SYMBOL", /symbol is empty/],
    ["lower-case symbol", { ...good, symbol: "aapl" }, "INVALID_SYMBOL", /must be upper-case: send "AAPL"/],
    ["13-char symbol", { ...good, symbol: "ABCDEFGHIJKLM" }, "INVALID_SYMBOL", /13 characters long; tickers have at most 12/],
    ["500-char symbol", { ...good, symbol: "A".repeat(500) }, "INVALID_SYMBOL", /500 characters long/],
    ["SQL in symbol", { ...good, symbol: "AAPL'; DROP TABLE orders;--" }, "INVALID_SYMBOL", /27 characters long/],
    ["short injection", { ...good, symbol: "A';--" }, "INVALID_SYMBOL", /may contain only A–Z, 0–9, "\." and "-"/],
    ["space in symbol", { ...good, symbol: "BRK B" }, "INVALID_SYMBOL", /may contain only/],
    ["leading dot", { ...good, symbol: ".A" }, "INVALID_SYMBOL", /must start with a letter or digit/],
    ["numeric symbol", { ...good, symbol: 42 }, "INVALID_SYMBOL", /must be a string ticker.*got 42/],
    ["bad side", { ...good, side: "long" }, "INVALID_SIDE", /side must be one of "buy", "sell", "sell_short", "buy_to_cover"; got the string "long"/],
    ["unknown type", { ...good, type: "iceberg" }, "INVALID_ORDER_TYPE", /type must be one of "market", "limit", "stop", "stop_limit", "trailing_stop"; got the string "iceberg"/],
    ["limit without limitPrice", { ...good, type: "limit" }, "INVALID_ORDER_TYPE", /a limit order needs limitPrice/],
    ["null body", null, "INVALID_REQUEST", /must be an object like/],
    ["array body", [good], "INVALID_REQUEST", /got an array/],
    ["string body", "buy 10 AAPL", "INVALID_REQUEST", /must be an object/],
  ];

  it.each(bad)("%s → %s", (_name, input, code, message) => {
    const r = parseOrderRequest(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(message);
    }
  });

  it("never echoes a long hostile string in full", () => {
    const r = parseOrderRequest({ ...good, side: "x".repeat(10_000) });
    expect(!r.ok && r.error.message.length).toBeLessThan(200);
  });

  it("reports the first bad field in a fixed order (symbol, side, quantity, type)", () => {
    const r = parseOrderRequest({ symbol: "aapl", side: "nope", quantity: -1, type: "stop" });
    expect(!r.ok && r.error.code).toBe("INVALID_SYMBOL");
    const q = parseOrderRequest({ symbol: "AAPL", side: "buy", quantity: -1, type: "stop" });
    expect(!q.ok && q.error.code).toBe("INVALID_QUANTITY");
  });
});
