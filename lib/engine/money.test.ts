import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineError } from "./errors";
import { moneyToNumber, parseMoney, priceToMoney, toDecimalString } from "./money";
import { formatMoney, formatPrice } from "./money-format";

const SEED = { seed: 42 };
const anyMoney = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n });

describe("parseMoney", () => {
  it.each([
    ["271.0884", 271_088_400n],
    ["-3.5", -3_500_000n],
    ["12", 12_000_000n],
    ["0.000001", 1n],
    ["-0", 0n],
    ["99999999999999.999999", 99_999_999_999_999_999_999n],
  ])("%s → %s micros", (text, micros) => {
    expect(parseMoney(text)).toBe(micros);
  });

  it.each(["", "1.2345678", "1e6", "$5", "1,000", " 1", ".5", "5.", "--1", "abc"])(
    "rejects %j with INVALID_MONEY",
    (text) => {
      expect(() => parseMoney(text)).toThrow(EngineError);
      try {
        parseMoney(text);
      } catch (e) {
        expect((e as EngineError).code).toBe("INVALID_MONEY");
      }
    },
  );

  it("round-trips through toDecimalString (property)", () => {
    fc.assert(
      fc.property(anyMoney, (m) => parseMoney(toDecimalString(m)) === m),
      SEED,
    );
  });

  it("round-trips through formatMoney with 6 decimals (property)", () => {
    fc.assert(
      fc.property(anyMoney, (m) => parseMoney(formatMoney(m, 6).replace("$", "").replaceAll(",", "")) === m),
      SEED,
    );
  });

  it("round-trips whole cents through the default 2-decimal format (property)", () => {
    fc.assert(
      fc.property(anyMoney, (m) => {
        const cents = (m / 10_000n) * 10_000n;
        return parseMoney(formatMoney(cents).replace("$", "").replaceAll(",", "")) === cents;
      }),
      SEED,
    );
  });
});

describe("toDecimalString", () => {
  it("always writes 6 decimals for numeric(20,6)", () => {
    expect(toDecimalString(-3_500_000n)).toBe("-3.500000");
    expect(toDecimalString(1n)).toBe("0.000001");
    expect(toDecimalString(-1n)).toBe("-0.000001");
    expect(toDecimalString(0n)).toBe("0.000000");
  });
});

describe("formatMoney / formatPrice", () => {
  it.each([
    [5_210_000_000n, "$5,210.00"],
    [-3_100_000n, "-$3.10"],
    [3_900_120_000n, "$3,900.12"],
    [1_234_567_890_000_000n, "$1,234,567,890.00"],
    [4_999n, "$0.00"],
    [5_000n, "$0.01"], // half a cent rounds away from zero
    [-5_000n, "-$0.01"],
    [-4_999n, "$0.00"], // no "-$0.00"
    [999_995_000n, "$1,000.00"],
  ])("%s → %s", (m, text) => {
    expect(formatMoney(m)).toBe(text);
  });

  it("prints prices with as many decimals as they need", () => {
    expect(formatPrice(52_000_000n)).toBe("$52.00");
    expect(formatPrice(271_088_400n)).toBe("$271.0884");
    expect(formatPrice(1n)).toBe("$0.000001");
  });
});

describe("priceToMoney", () => {
  it("converts market prices with up to 6 decimals exactly", () => {
    expect(priceToMoney(271.0884)).toBe(271_088_400n);
    expect(priceToMoney(0.000001)).toBe(1n);
    expect(priceToMoney(123456.123456)).toBe(123_456_123_456n);
  });

  it("is exact for every price with at most 6 decimals (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1_000_000_000_000_000n }), (micros) => {
        const price = Number(toDecimalString(micros));
        return priceToMoney(price) === micros;
      }),
      SEED,
    );
  });

  it.each([NaN, Infinity, -1, 1e308, 1e9 + 1])("rejects %s with INVALID_PRICE", (p) => {
    expect(() => priceToMoney(p)).toThrow(/not a finite dollar amount/);
  });

  it("converts back to a number of dollars for analytics", () => {
    expect(moneyToNumber(-3_500_000n)).toBe(-3.5);
  });
});
