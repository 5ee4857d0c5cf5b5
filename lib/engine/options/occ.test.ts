import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { formatOccSymbol, MAX_STRIKE, OPTION_MULTIPLIER, optionContract, parseOccSymbol, type OptionContractSpec } from "./occ";

describe("parseOccSymbol", () => {
  it("reads the issue's example: AAPL, 2025-10-17, call, $250, multiplier 100", () => {
    expect(parseOccSymbol("AAPL251017C00250000")).toEqual({
      ok: true,
      value: {
        kind: "option",
        symbol: "AAPL251017C00250000",
        underlying: "AAPL",
        multiplier: 100,
        strike: 250_000_000n,
        expiry: "2025-10-17",
        right: "call",
      },
    });
  });

  it("reads fractional strikes to the thousandth, one-letter and six-letter roots, and the space-padded OSI form", () => {
    const put = parseOccSymbol("F260116P00012500");
    expect(put.ok && [put.value.underlying, put.value.strike, put.value.right, put.value.expiry]).toEqual(["F", 12_500_000n, "put", "2026-01-16"]);
    const odd = parseOccSymbol("GOOGL260320C00172125");
    expect(odd.ok && odd.value.strike).toBe(172_125_000n);
    const six = parseOccSymbol("ABCDEF270115P00001000");
    expect(six.ok && six.value.underlying).toBe("ABCDEF");
    const padded = parseOccSymbol("SPY   251219P00600000");
    expect(padded.ok && padded.value.symbol).toBe("SPY251219P00600000");
  });

  it.each([
    [42, "an option symbol must be a string"],
    ["", "it is empty"],
    ["aapl251017c00250000", "must be upper-case"],
    ["AAPL", "it has 4 characters; an OCC symbol has 16–21"],
    ["AAPL251017X00250000", 'must be C (call) or P (put), not "X"'],
    ["AAPL251017C0025000A", "the last 8 characters must be the strike × 1000"],
    ["AAPL25101AC00250000", "the 6 characters after the root must be the expiry as yymmdd"],
    ["AAPLXYZ251017C00250000", "is not an OCC option symbol"],
    ["AAPL250230C00250000", "the expiry 250230 (yymmdd) is not a calendar date"],
    ["AAPL251017C00000000", "the strike is 0"],
    ["1AAP251017C00250000", "the root must be 1–6 letters or digits starting with a letter"],
  ])("refuses %j: %s", (input, words) => {
    const r = parseOccSymbol(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("INVALID_SYMBOL");
      expect(r.error.message).toContain(words);
    }
  });
});

describe("optionContract and formatOccSymbol", () => {
  const spec: OptionContractSpec = { underlying: "AAPL", expiry: "2025-10-17", right: "put", strike: 250_000_000n };

  it("writes the compact symbol with the strike × 1000 in 8 digits", () => {
    expect(formatOccSymbol(spec)).toBe("AAPL251017P00250000");
    expect(formatOccSymbol({ ...spec, strike: 2_500_000n })).toBe("AAPL251017P00002500");
    expect(formatOccSymbol({ ...spec, strike: MAX_STRIKE })).toBe("AAPL251017P99999999");
    expect(OPTION_MULTIPLIER).toBe(100);
  });

  it.each(
    ([
      [{ underlying: "aapl" }, "cannot be an OCC root"],
      [{ underlying: "TOOLONG" }, "cannot be an OCC root"],
      [{ underlying: "BRK.B" }, "cannot be an OCC root"],
      [{ expiry: "2025-02-30" }, 'must be a calendar date "YYYY-MM-DD" from 2000 to 2099'],
      [{ expiry: "2125-01-17" }, "from 2000 to 2099"],
      [{ right: "straddle" }, 'must be "call" or "put"'],
      [{ strike: 0n }, "the strike must be above $0"],
      [{ strike: -5_000_000n }, "the strike must be above $0"],
      [{ strike: MAX_STRIKE + 1_000n }, "at most $99,999.999"],
      [{ strike: 250_000_500n }, "the strike $250.000500 has more than 3 decimals"],
    ] as [Partial<Record<keyof OptionContractSpec, unknown>>, string][]).map(
      ([change, words]) => [Object.entries(change).map(([k, v]) => `${k} ${String(v)}`).join(", "), change, words] as const,
    ),
  )("refuses a spec with %s: %s", (_label, change, words) => {
    const bad = { ...spec, ...change } as OptionContractSpec;
    const r = optionContract(bad);
    expect(!r.ok && r.error.code).toBe("INVALID_SYMBOL");
    expect(!r.ok && r.error.message).toContain(words);
    expect(() => formatOccSymbol(bad)).toThrow(EngineError);
  });

  it("round trips: spec → symbol → contract → the same spec, and symbol → contract → symbol (property)", () => {
    const root = fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/);
    const day = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const strike = fc.bigInt({ min: 1n, max: 99_999_999n }).map((units) => units * 1_000n);
    fc.assert(
      fc.property(root, day, fc.constantFrom("call" as const, "put" as const), strike, (underlying, expiry, right, k) => {
        const s: OptionContractSpec = { underlying, expiry, right, strike: k };
        const symbol = formatOccSymbol(s);
        expect(symbol).toMatch(/^[A-Z][A-Z0-9]{0,5}\d{6}[CP]\d{8}$/);
        const parsed = parseOccSymbol(symbol);
        expect(parsed).toEqual({ ok: true, value: { kind: "option", symbol, multiplier: 100, ...s } });
        const padded = parseOccSymbol(`${underlying.padEnd(6, " ")}${symbol.slice(underlying.length)}`);
        expect(padded.ok && padded.value.symbol).toBe(symbol);
      }),
      { seed: 23, numRuns: 1000 },
    );
  });
});
