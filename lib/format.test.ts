import { describe, expect, it } from "vitest";
import { countOf, formatUsd } from "./format";

describe("display helpers", () => {
  it("count a noun, plural unless exactly one", () => {
    expect([0, 1, 2, 10_000].map((n) => countOf(n, "symbol"))).toEqual(["0 symbols", "1 symbol", "2 symbols", "10,000 symbols"]);
  });
  it("format dollars from a decimal string or a number", () => {
    expect(formatUsd("10000.5")).toBe("$10,000.50");
    expect(formatUsd(-3)).toBe("-$3.00");
  });
});
