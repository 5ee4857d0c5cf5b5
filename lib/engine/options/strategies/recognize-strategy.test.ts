import { describe, expect, it } from "vitest";
import type { StrategyLeg } from "./legs";
import { recognizeStrategy } from "./recognize-strategy";
import { buy, call, FEB, parsed, put, sell } from "./test-helpers";

const shape = (legs: readonly StrategyLeg[]) => {
  const s = recognizeStrategy(parsed(legs));
  return [s.name, s.flow];
};

describe("recognizeStrategy", () => {
  it("verticals: debit when the better strike is bought, credit otherwise, whatever the legs' order", () => {
    expect(shape([buy(call(100)), sell(call(105))])).toEqual(["call_debit_vertical", "debit"]);
    expect(shape([sell(call(105)), buy(call(100))])).toEqual(["call_debit_vertical", "debit"]);
    expect(shape([sell(call(100)), buy(call(105))])).toEqual(["call_credit_vertical", "credit"]);
    expect(shape([buy(put(105)), sell(put(100))])).toEqual(["put_debit_vertical", "debit"]);
    expect(shape([sell(put(105)), buy(put(100))])).toEqual(["put_credit_vertical", "credit"]);
  });

  it("iron condor and iron butterfly, and their reverses", () => {
    const condor = [buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))];
    expect(shape(condor)).toEqual(["iron_condor", "credit"]);
    expect(shape([...condor].reverse())).toEqual(["iron_condor", "credit"]);
    expect(shape([sell(put(160)), buy(put(170)), buy(call(180)), sell(call(190))])).toEqual(["reverse_iron_condor", "debit"]);
    expect(shape([buy(put(160)), sell(put(175)), sell(call(175)), buy(call(190))])).toEqual(["iron_butterfly", "credit"]);
    expect(shape([sell(put(160)), buy(put(175)), buy(call(175)), sell(call(190))])).toEqual(["reverse_iron_butterfly", "debit"]);
  });

  it("butterflies of calls or puts, 1:2:1 and equally spaced", () => {
    expect(shape([buy(call(95)), sell(call(100), 2), buy(call(105))])).toEqual(["long_call_butterfly", "debit"]);
    expect(shape([sell(call(95)), buy(call(100), 2), sell(call(105))])).toEqual(["short_call_butterfly", "credit"]);
    expect(shape([buy(put(95)), sell(put(100), 2), buy(put(105))])).toEqual(["long_put_butterfly", "debit"]);
    expect(shape([sell(put(95)), buy(put(100), 2), sell(put(105))])).toEqual(["short_put_butterfly", "credit"]);
  });

  it("straddles and strangles, long and short", () => {
    expect(shape([buy(call(100)), buy(put(100))])).toEqual(["long_straddle", "debit"]);
    expect(shape([sell(call(100)), sell(put(100))])).toEqual(["short_straddle", "credit"]);
    expect(shape([buy(call(110)), buy(put(90))])).toEqual(["long_strangle", "debit"]);
    expect(shape([sell(call(110)), sell(put(90))])).toEqual(["short_strangle", "credit"]);
  });

  it("calendars (one strike, two expiries) and diagonals: long when the later expiry is bought", () => {
    expect(shape([sell(call(100)), buy(call(100, FEB))])).toEqual(["long_calendar", "debit"]);
    expect(shape([buy(put(100)), sell(put(100, FEB))])).toEqual(["short_calendar", "credit"]);
    expect(shape([sell(call(105)), buy(call(100, FEB))])).toEqual(["long_diagonal", "debit"]);
    expect(shape([buy(put(95)), sell(put(100, FEB))])).toEqual(["short_diagonal", "credit"]);
  });

  it("with the underlying: covered call, protective put, collar", () => {
    expect(shape([buy("XYZ", 100), sell(call(105))])).toEqual(["covered_call", "debit"]);
    expect(shape([buy("XYZ", 100), buy(put(95))])).toEqual(["protective_put", "debit"]);
    expect(shape([buy("XYZ", 100), buy(put(95)), sell(call(105))])).toEqual(["collar", "debit"]);
  });

  it("anything else is custom, taking either sign", () => {
    const custom = [
      [buy(call(100)), sell(call(105), 2)], // a ratio spread
      [buy(call(95)), sell(call(100), 2), buy(call(110))], // a broken wing
      [buy(call(100)), sell(put(100))], // a synthetic long
      [buy(call(100)), buy(call(105))],
      [buy(call(100)), sell(call(100, FEB)), buy(put(90))],
      [sell("XYZ", 100), sell(call(105))],
      [buy("XYZ", 100), sell(put(95)), buy(call(105))],
      [buy("XYZ", 100), buy(put(110)), sell(call(105))], // the put above the call
      [buy(put(160)), sell(put(170)), sell(call(165)), buy(call(190))], // crossed inner strikes
    ];
    for (const legs of custom) expect(shape(legs)).toEqual(["custom", null]);
    expect(recognizeStrategy(parsed([sell(call(100)), buy(call(105))])).label).toBe("call credit vertical");
  });
});
