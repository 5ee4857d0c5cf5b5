import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseTradingSettings } from "./trading-settings";

describe("parseTradingSettings", () => {
  it("defaults to free trading, no slippage, no shorting, 150 % short margin, written contracts margined as strategies", () => {
    expect(parseTradingSettings("{}")).toEqual({
      fees: { perShare: 0n, perOrder: 0n, minimum: 0n, notionalBps: 0 },
      slippageBps: 0,
      settings: { allowShort: false, shortMarginRequirementBps: 15_000, strategyMargin: true },
      borrowRateBps: 0,
    });
    // A session stored before strategy margin (drizzle/0036 wrote false into it) keeps margining each contract alone.
    expect(parseTradingSettings(JSON.stringify({ strategyMargin: false })).settings.strategyMargin).toBe(false);
  });

  it("converts dollar strings to exact micro-dollars", () => {
    const rules = parseTradingSettings(JSON.stringify({ fees: { perShare: "0.005", minimum: "1" }, slippageBps: 5, allowShort: true }));
    expect(rules.fees).toEqual({ perShare: 5_000n, perOrder: 0n, minimum: 1_000_000n, notionalBps: 0 });
    expect(rules.settings.allowShort).toBe(true);
  });

  it.each([
    [{ slippageBps: 10_000 }, /slippageBps/],
    [{ shortMarginRequirementBps: 9_999 }, /shortMarginRequirementBps/],
    [{ fees: { perShare: "0.0000001" } }, /fees.perShare/],
    [{ fees: { minimum: -1 } }, /fees.minimum/],
  ])("stored settings %j are a fault of ours: halt INVALID_SETTINGS", (settings, where) => {
    let err: unknown;
    try {
      parseTradingSettings(JSON.stringify(settings));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: "halt", code: "INVALID_SETTINGS" });
    expect((err as Error).message).toMatch(where);
  });
});
