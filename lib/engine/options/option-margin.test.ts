import { describe, expect, it } from "vitest";
import { parseMoney } from "../money";
import { cashSecuredPutReserve, coveredContracts, nakedOptionRequirement, outOfTheMoney } from "./option-margin";

const $ = parseMoney;
const short = (right: "call" | "put", strike: string, optionPrice: string, underlyingPrice: string, contracts = 1) =>
  nakedOptionRequirement({ contract: { right, strike: $(strike), multiplier: 100 }, contracts, optionPrice: $(optionPrice), underlyingPrice: $(underlyingPrice) });

describe("the Cboe/Reg-T requirement of an uncovered short option", () => {
  it("equals published examples", () => {
    // tastyworks, "Margin requirement when selling naked calls": sell 1 MAR 68 call at 1.50, stock at 65 →
    // [(0.2 × 65 − 3) + 1.50] × 100 = $1,150 (against 10 % of 65 + 1.50 = $800).
    expect(short("call", "68", "1.50", "65")).toBe($("1150"));
    // eDeltaPro, "Margin": short 1 Sep 200 put at 1.20, stock at 209 (out of the money by 9) → $3,400
    // (0.2 × 209 − 9 + 1.20 = 34.00, against 10 % of the strike 200 + 1.20 = 21.20).
    expect(short("put", "200", "1.20", "209")).toBe($("3400"));
  });

  it("falls back to 10 % of the underlying (a call) or of the strike (a put) far out of the money", () => {
    expect(short("call", "100", "0.05", "50")).toBe($("505")); // 0.2 × 50 − 50 < 0; 10 % of 50 = 5 → 5.05 × 100
    expect(short("put", "50", "0.10", "100")).toBe($("510")); // 10 % of the strike 50 = 5 → 5.10 × 100
  });

  it("in the money: the premium and 20 % of the underlying, per contract", () => {
    expect(short("call", "90", "11", "100", 3)).toBe($("9300")); // (11 + 20) × 100 × 3
    expect(short("put", "110", "10.40", "100", 2)).toBe($("6080")); // (10.40 + 20) × 100 × 2
  });

  it("rounds up to the micro: a requirement is never understated", () => {
    // 20 % of $10.000001 is $2.0000002: $2.000001 per share.
    expect(short("call", "10.000001", "0", "10.000001")).toBe(($("2.000001")) * 100n);
  });

  it("the out-of-the-money amount is 0 in the money", () => {
    expect(outOfTheMoney("call", $("68"), $("65"))).toBe($("3"));
    expect(outOfTheMoney("call", $("60"), $("65"))).toBe(0n);
    expect(outOfTheMoney("put", $("200"), $("209"))).toBe($("9"));
    expect(outOfTheMoney("put", $("210"), $("209"))).toBe(0n);
  });
});

describe("covered calls and cash-secured puts", () => {
  it("shares held long cover a multiplier's worth each; the rest are uncovered", () => {
    expect(coveredContracts(3, 100, 300)).toBe(3);
    expect(coveredContracts(3, 100, 250)).toBe(2);
    expect(coveredContracts(3, 100, 1_000)).toBe(3);
    expect(coveredContracts(3, 100, -200)).toBe(0); // a short stock position covers nothing
  });

  it("a cash-secured put holds what assignment would cost", () => {
    expect(cashSecuredPutReserve({ strike: $("47.50"), multiplier: 100 }, 4)).toBe($("19000"));
  });
});
