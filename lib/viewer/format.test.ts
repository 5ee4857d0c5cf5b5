import { describe, expect, it } from "vitest";
import { describeTrading, formatPace, formatPct, formatShare, formatSignedMoney, toneOf } from "./format";

describe("formatPace", () => {
  it("names a session's pace as the dialog offers it and the viewer shows it", () => {
    expect(formatPace(0)).toBe("As fast as possible");
    expect(formatPace(100)).toBe("10 bars a second");
    expect(formatPace(250)).toBe("4 bars a second");
    expect(formatPace(1000)).toBe("1 bar a second");
    expect(formatPace(300)).toBe("3.3 bars a second");
    expect(formatPace(2500)).toBe("1 bar every 2.5 s");
  });
});

describe("percentages", () => {
  it("signs a return but not a share or a spread", () => {
    expect(formatPct(0.0221)).toBe("+2.21%");
    expect(formatPct(-0.0116)).toBe("-1.16%");
    expect(formatShare(0.4133)).toBe("41.33%");
    expect(formatShare(0)).toBe("0.00%");
    expect(formatShare(null)).toBe("—");
    expect(formatShare(Number.NaN)).toBe("—");
  });
});

describe("gains and losses", () => {
  it("sign a dollar amount, and colour it by its sign only", () => {
    expect([112.2, -5, 0, null].map(formatSignedMoney)).toEqual(["+$112.20", "-$5.00", "$0.00", "—"]);
    expect([0.02, -0.01, 0, null, Number.NaN].map(toneOf)).toEqual(["text-success", "text-destructive", "", "", ""]);
  });
});

describe("describeTrading", () => {
  it("says a model's or a session's trading rules in words", () => {
    expect(describeTrading({})).toBe("No commission · no slippage · long only");
    expect(describeTrading({ fees: { perShare: "0.005", perOrder: "1" }, slippageBps: 5, allowShort: true, borrowRateBps: 300 })).toBe(
      "$0.005/share + $1.00/order · 5 bps slippage · shorting at 150 % margin, 300 bps/yr borrow",
    );
    expect(describeTrading({ fees: { notionalBps: 2, minimum: "1" }, allowShort: true })).toBe("2 bps of value (min $1.00/order) · no slippage · shorting at 150 % margin, no borrow fee");
    expect(describeTrading({ fees: { perShare: "0", minimum: "0.35" } })).toBe("min $0.35/order · no slippage · long only");
    expect(describeTrading({ allowShort: true, shortMarginRequirementBps: 20_050 })).toBe("No commission · no slippage · shorting at 200.5 % margin, no borrow fee");
    // The margin is a shorting rule: without shorting it is not mentioned.
    expect(describeTrading({ shortMarginRequirementBps: 20_000 })).toBe("No commission · no slippage · long only");
    expect(describeTrading({ participationBps: 1_000 })).toBe("No commission · no slippage · long only · working orders fill at most 10 % of a bar's volume");
  });
});
