import { describe, expect, it } from "vitest";
import { tradingDefaultsSchema } from "@/lib/schemas/session";
import { EMPTY_TRADING, toTradingInput, tradingTextsOf } from "./trading-fields";

describe("trading fields as typed → the API's trading object", () => {
  it("leaves out what is empty, so that the defaults underneath apply", () => {
    expect(toTradingInput(EMPTY_TRADING)).toEqual({});
    expect(toTradingInput({ ...EMPTY_TRADING, perOrder: " 1 ", slippageBps: "5" })).toEqual({ fees: { perOrder: "1" }, slippageBps: 5 });
  });

  it("states shorting only when asked to, and the borrow rate and the margin only with shorting", () => {
    expect(toTradingInput({ ...EMPTY_TRADING, borrowRateBps: "300", shortMarginRequirementBps: "20000" })).toEqual({});
    expect(toTradingInput({ ...EMPTY_TRADING, allowShort: true, borrowRateBps: "300", shortMarginRequirementBps: "20000" })).toEqual({
      allowShort: true,
      borrowRateBps: 300,
      shortMarginRequirementBps: 20_000,
    });
    expect(toTradingInput(EMPTY_TRADING, { allowShortAlways: true })).toEqual({ allowShort: false });
  });

  it("passes what is not a number on as typed, so that the schema names the field", () => {
    const input = toTradingInput({ ...EMPTY_TRADING, slippageBps: "five", notionalBps: "2.5", perShare: "-1" });
    expect(input).toEqual({ fees: { perShare: "-1", notionalBps: 2.5 }, slippageBps: "five" });
    const parsed = tradingDefaultsSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["fees.notionalBps", "fees.perShare", "slippageBps"]);
  });

  it("round-trips a stored trading object through the fields", () => {
    const stored = { fees: { perShare: "0.005", perOrder: "1", minimum: "0.35", notionalBps: 2 }, slippageBps: 5, allowShort: true, borrowRateBps: 300, shortMarginRequirementBps: 12_500 };
    expect(toTradingInput(tradingTextsOf(stored))).toEqual(stored);
    expect(tradingTextsOf({})).toEqual(EMPTY_TRADING);
  });
});
