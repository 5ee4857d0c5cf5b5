import { describe, expect, it } from "vitest";
import { closeAllKey, closeQuantity } from "./close-position";

describe("closeQuantity: whole shares, rounded down, never more than asked", () => {
  it("100 % is the whole position, long or short; a share of it rounds down", () => {
    expect(closeQuantity("AAA", 86, 100)).toBe(86);
    expect(closeQuantity("AAA", -7, 100)).toBe(7);
    expect(closeQuantity("AAA", 86, 50)).toBe(43);
    expect(closeQuantity("AAA", 3, 50)).toBe(1); // 1.5 → 1
    expect(closeQuantity("AAA", -3, 66.67)).toBe(2); // 2.0001 → 2
    expect(closeQuantity("AAA", 10, 99.99)).toBe(9); // 9.999 → 9: only 100 closes all
    expect(closeQuantity("AAA", 300, 33.33)).toBe(99); // 99.99 → 99
  });

  it("a share of less than one share is refused in words, with the smallest percent that trades one", () => {
    expect(() => closeQuantity("AAA", 3, 10)).toThrow(/^10% of 3 AAA is 0\.3 shares, which rounds down to 0 \(whole shares only\); ask for at least 33\.34%/);
    expect(() => closeQuantity("AAA", -8, 12.49)).toThrow(/ask for at least 12\.5%/);
  });
});

describe("closeAllKey", () => {
  it("suffixes the call's key with the symbol, hashed past 200 characters (the ledger's limit), under the same session", () => {
    expect(closeAllKey("s1:call_1", "AAPL")).toBe("s1:call_1:AAPL");
    const long = closeAllKey(`s1:${"x".repeat(197)}`, "AAPL");
    expect(long).toMatch(/^s1:sha256-[0-9a-f]{64}$/);
    expect(long).not.toBe(closeAllKey(`s1:${"x".repeat(197)}`, "MSFT"));
  });
});
