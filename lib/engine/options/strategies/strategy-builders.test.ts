import { describe, expect, it } from "vitest";
import type { Result } from "../../result";
import type { StrategyLeg } from "./legs";
import { recognizeStrategy } from "./recognize-strategy";
import { butterfly, calendar, ironButterfly, ironCondor, straddle, strangle, vertical } from "./strategy-builders";
import { buy, call, FEB, JAN, parsed, put, sell, usd } from "./test-helpers";

const legs = (r: Result<StrategyLeg[]>) => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const refusal = (r: Result<StrategyLeg[]>) => (r.ok ? null : [r.error.code, r.error.message]);
const nameOf = (r: Result<StrategyLeg[]>) => recognizeStrategy(parsed(legs(r))).name;

describe("named strategy builders", () => {
  it("an iron condor from its four strikes, in the order long put, short put, short call, long call", () => {
    const r = ironCondor({ underlying: "XYZ", expiry: JAN, longPut: usd(160), shortPut: usd(170), shortCall: usd(180), longCall: usd(190) });
    expect(legs(r)).toEqual([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]);
    expect(nameOf(r)).toBe("iron_condor");
  });

  it("refuses crossed strikes in words", () => {
    expect(refusal(ironCondor({ underlying: "XYZ", expiry: JAN, longPut: usd(160), shortPut: usd(175), shortCall: usd(170), longCall: usd(190) }))).toEqual([
      "INVALID_STRATEGY",
      "crossed strikes: an iron condor needs long put < short put < short call < long call; got long put $160.00, short put $175.00, short call $170.00, long call $190.00",
    ]);
    expect(refusal(strangle({ underlying: "XYZ", expiry: JAN, putStrike: usd(110), callStrike: usd(90), side: "sell" }))?.[1]).toBe(
      "crossed strikes: a strangle's put is below its call; got put $110.00, call $90.00",
    );
    expect(refusal(butterfly({ underlying: "XYZ", expiry: JAN, right: "call", lower: usd(100), middle: usd(95), upper: usd(105), side: "buy" }))?.[1]).toMatch(/^crossed strikes: a butterfly needs lower < middle < upper/);
    expect(refusal(ironButterfly({ underlying: "XYZ", expiry: JAN, longPut: usd(180), body: usd(175), longCall: usd(190) }))?.[1]).toMatch(/^crossed strikes: an iron butterfly/);
  });

  it("a vertical shares one expiry and has two strikes", () => {
    const ok = vertical({ underlying: "XYZ", right: "call", long: { strike: usd(100), expiry: JAN }, short: { strike: usd(105), expiry: JAN } });
    expect(legs(ok)).toEqual([buy(call(100)), sell(call(105))]);
    expect(nameOf(ok)).toBe("call_debit_vertical");
    expect(refusal(vertical({ underlying: "XYZ", right: "put", long: { strike: usd(100), expiry: JAN }, short: { strike: usd(105), expiry: FEB } }))).toEqual([
      "INVALID_STRATEGY",
      "a vertical's legs share one expiry; got 2026-01-16 (bought) and 2026-02-20 (sold): with two expiries it is a calendar or a diagonal",
    ]);
    expect(refusal(vertical({ underlying: "XYZ", right: "put", long: { strike: usd(100), expiry: JAN }, short: { strike: usd(100), expiry: JAN } }))?.[1]).toBe(
      "a vertical's legs have two strikes; both are $100.00, which would cancel out",
    );
  });

  it("straddle, strangle, butterfly, calendar and iron butterfly build the shapes they name", () => {
    expect(nameOf(straddle({ underlying: "XYZ", expiry: JAN, strike: usd(100), side: "sell" }))).toBe("short_straddle");
    expect(nameOf(strangle({ underlying: "XYZ", expiry: JAN, putStrike: usd(90), callStrike: usd(110), side: "buy" }))).toBe("long_strangle");
    const fly = butterfly({ underlying: "XYZ", expiry: JAN, right: "put", lower: usd(95), middle: usd(100), upper: usd(105), side: "buy" });
    expect(legs(fly)).toEqual([buy(put(95)), sell(put(100), 2), buy(put(105))]);
    expect(nameOf(fly)).toBe("long_put_butterfly");
    const cal = calendar({ underlying: "XYZ", right: "call", strike: usd(100), nearExpiry: JAN, farExpiry: FEB, side: "buy" });
    expect(legs(cal)).toEqual([sell(call(100)), buy(call(100, FEB))]);
    expect(nameOf(cal)).toBe("long_calendar");
    expect(nameOf(ironButterfly({ underlying: "XYZ", expiry: JAN, longPut: usd(160), body: usd(175), longCall: usd(190) }))).toBe("iron_butterfly");
  });

  it("refuses an uneven butterfly, a calendar's expiries out of order, and a contract that cannot be written", () => {
    expect(refusal(butterfly({ underlying: "XYZ", expiry: JAN, right: "call", lower: usd(95), middle: usd(100), upper: usd(110), side: "buy" }))?.[1]).toBe(
      "a butterfly's wings are equally wide; got $5.00 below the middle and $10.00 above (a broken wing is a custom strategy: give its legs)",
    );
    expect(refusal(calendar({ underlying: "XYZ", right: "call", strike: usd(100), nearExpiry: FEB, farExpiry: JAN, side: "buy" }))?.[1]).toBe(
      "a calendar's near expiry comes before its far one; got near 2026-02-20, far 2026-01-16",
    );
    expect(refusal(straddle({ underlying: "xyz", expiry: JAN, strike: usd(100), side: "buy" }))?.[0]).toBe("INVALID_SYMBOL");
  });
});
