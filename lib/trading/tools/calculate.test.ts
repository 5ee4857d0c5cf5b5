import { describe, expect, it } from "vitest";
import { evaluateExpression } from "./calculate";

describe("calculate (mathjs on a checked expression tree)", () => {
  it("evaluates arithmetic and the whitelisted functions", () => {
    expect(evaluateExpression("(182.5 - 170) / 170 * 100")).toBeCloseTo(7.3529411, 6);
    expect(evaluateExpression("floor(10000 / 271.09)")).toBe(36);
    expect(evaluateExpression("2^10 % 1000")).toBe(24);
    expect(evaluateExpression("mean(1, 2, 3, 4)")).toBe(2.5);
    expect(evaluateExpression("max([3, 9, 4])")).toBe(9);
    expect(evaluateExpression("sqrt(2) * pi")).toBeCloseTo(4.44288, 5);
    expect(evaluateExpression("-3 + +2")).toBe(-1);
    expect(evaluateExpression("5 > 3")).toBe("true");
  });

  it("answers non-finite results as text", () => {
    expect(evaluateExpression("1 / 0")).toBe("Infinity");
    expect(evaluateExpression("10 ^ 400")).toBe("Infinity");
  });

  it.each([
    ["import({}, {override: true})", /unknown function|not allowed/],
    ["createUnit('foo')", /not allowed|unknown function/],
    ["evaluate('1+1')", /not allowed|unknown function/],
    ["x = 5", /assignment is not allowed/],
    ["f(x) = x", /defining functions is not allowed/],
    ["1:1e9", /range/],
    ["ones(100000, 100000)", /unknown function "ones"/],
    ["zeros(1e6)", /unknown function "zeros"/],
    ["process.exit()", /not allowed|unknown name/],
    ["constructor", /unknown name "constructor"/],
    ["a + 1", /unknown name "a"/],
    ["'abc'", /only numbers/],
    ["[1,2][1]", /indexing is not allowed/],
    ["1 +", /cannot parse/],
    ["1000!", /operator "!" is not allowed/],
  ])("refuses %s", (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it("prefixes its errors with a code the model can read", () => {
    expect(() => evaluateExpression("x = 1")).toThrow(/^INVALID_EXPRESSION: /);
  });
});
