import { describe, expect, it } from "vitest";
import { computeFee, feeModelProblem, FREE_FEES, type FeeModel } from "./fees";
import { applySlippage, slippageProblem } from "./slippage";
import { usd } from "@/tests/support/engine-helpers";

describe("computeFee", () => {
  const perShare: FeeModel = { ...FREE_FEES, perShare: usd(0.005), minimum: usd(1) };

  it("charges per share with a minimum (IBKR-like: $0.005/share, min $1)", () => {
    expect(computeFee(perShare, 100, usd(50), "AAA")).toBe(usd(1)); // 100 × 0.005 = $0.50 < $1 minimum
    expect(computeFee(perShare, 1000, usd(50), "AAA")).toBe(usd(5)); // 1000 × 0.005 = $5.00
  });

  it("adds a per-order part and an exact notional bps part, rounded up", () => {
    const m: FeeModel = { perShare: 0n, perOrder: usd(1), minimum: 0n, notionalBps: 1 };
    // notional 3 × $0.333333 = $0.999999; 1 bp = 99.9999 micros → ceil 100 micros; + $1.00
    expect(computeFee(m, 3, 333_333n, "AAA")).toBe(1_000_100n);
  });

  it("an option's notional is 100 shares' worth a contract; its per-share part is per contract", () => {
    const m: FeeModel = { perShare: usd(0.65), perOrder: 0n, minimum: 0n, notionalBps: 10 };
    // 3 contracts at $1.25: notional 3 × 1.25 × 100 = $375; 10 bps = $0.375; + 3 × $0.65 = $1.95 → $2.325.
    expect(computeFee(m, 3, usd(1.25), "AAPL251017C00250000")).toBe(usd(2.325));
    expect(computeFee(m, 3, usd(1.25), "AAPL")).toBe(usd(1.95375)); // the stock: 3 × 1.25 = $3.75 × 10 bps
  });

  it("is free with FREE_FEES", () => {
    expect(computeFee(FREE_FEES, 10, usd(100), "AAA")).toBe(0n);
  });

  it("rejects negative settings", () => {
    expect(feeModelProblem({ ...FREE_FEES, perShare: -1n })?.code).toBe("INVALID_SETTINGS");
    expect(feeModelProblem({ ...FREE_FEES, notionalBps: 0.5 })?.code).toBe("INVALID_SETTINGS");
    expect(feeModelProblem(perShare)).toBeNull();
  });
});

describe("applySlippage", () => {
  it("moves the price against the trader and rounds against the account", () => {
    // $100.000001 × 1.0005 = 100.0500010005 → buys pay 100.050002 (ceil)
    expect(applySlippage(100_000_001n, "buy", 5)).toBe(100_050_002n);
    expect(applySlippage(100_000_001n, "buy_to_cover", 5)).toBe(100_050_002n);
    // × 0.9995 = 99.9500009995 → sells receive 99.950000 (floor)
    expect(applySlippage(100_000_001n, "sell", 5)).toBe(99_950_000n);
    expect(applySlippage(100_000_001n, "sell_short", 5)).toBe(99_950_000n);
  });

  it("is the identity at 0 bps and never goes below 1 micro", () => {
    expect(applySlippage(usd(10), "buy", 0)).toBe(usd(10));
    expect(applySlippage(1n, "sell", 9_999)).toBe(1n);
  });

  it("validates the setting", () => {
    expect(slippageProblem(10_000)?.code).toBe("INVALID_SETTINGS");
    expect(slippageProblem(-1)?.code).toBe("INVALID_SETTINGS");
    expect(slippageProblem(2.5)?.code).toBe("INVALID_SETTINGS");
    expect(slippageProblem(25)).toBeNull();
  });
});
