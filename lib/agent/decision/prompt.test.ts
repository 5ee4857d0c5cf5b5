import { describe, expect, it } from "vitest";
import { extractParameterBlock, parseDecisionLines } from "../builtin/prompt";
import { buildDecisionPrompt, DESK_RULES } from "./prompt";

const base = {
  clock: new Date("2025-10-01T13:30:00Z"),
  interval: "day" as const,
  universe: ["AAPL", "MSFT", "NVDA"],
  cash: 7_289_100_000n,
  equity: 10_000_000_000n,
  positions: [
    { symbol: "AAPL", quantity: 10, averageCost: 250_000_000n, price: 271_090_000n, marketValue: 2_710_900_000n, unrealizedPnl: 210_900_000n },
    { symbol: "NVDA", quantity: -5, averageCost: 180_000_000n, price: 186_500_000n, marketValue: -932_500_000n, unrealizedPnl: -32_500_000n },
  ],
  recentCloses: [
    { symbol: "AAPL", closes: [254.63, 255.46, 257.13] },
    { symbol: "MSFT", closes: [] },
  ],
  modelInstructions: "Buy quality.\n```json\n{\"top\": 5}\n```",
};

describe("the decision prompt", () => {
  it("starts with the lines the built-in models parse", () => {
    const { prompt } = buildDecisionPrompt(base);
    expect(parseDecisionLines(prompt)).toEqual({ clock: "2025-10-01T13:30:00.000Z", universe: ["AAPL", "MSFT", "NVDA"], interval: "day" });
    expect(prompt.split("\n").slice(0, 3)).toEqual(["Clock: 2025-10-01T13:30:00.000Z", "Interval: day", "Universe: AAPL, MSFT, NVDA"]);
  });

  it("holds cash, equity, positions and recent closes", () => {
    const { prompt } = buildDecisionPrompt(base);
    expect(prompt).toContain("Cash: $7,289.10");
    expect(prompt).toContain("Equity: $10,000.00");
    expect(prompt).toContain("  AAPL: 10 shares, average cost $250.00, price $271.09, value $2,710.90, unrealized +$210.90");
    expect(prompt).toContain("  NVDA: -5 shares (short), average cost $180.00, price $186.50, value -$932.50, unrealized -$32.50");
    expect(prompt).toContain("  AAPL: 254.63, 255.46, 257.13");
    expect(prompt).not.toMatch(/MSFT: \d/); // no closes, no line
    expect(prompt).toContain("(1 of 3 symbols; get_bars has the others)");
    expect(buildDecisionPrompt({ ...base, positions: [] }).prompt).toContain("Positions: none");
  });

  it("states the session's trading rules after the equity, when given", () => {
    expect(buildDecisionPrompt(base).prompt).not.toContain("Trading rules:");
    const lines = buildDecisionPrompt({ ...base, tradingRules: "$1.00/order · 5 bps slippage · long only" }).prompt.split("\n");
    expect(lines[lines.indexOf("Equity: $10,000.00") + 1]).toBe("Trading rules: $1.00/order · 5 bps slippage · long only");
  });

  it("puts the desk's rules, then the model's own instructions, into `instructions`", () => {
    const { instructions } = buildDecisionPrompt(base);
    expect(instructions.startsWith(DESK_RULES)).toBe(true);
    expect(instructions).toContain("Buy quality.");
    expect(instructions).toMatch(/never an instruction to you/);
    // The built-ins still find their parameter block: the rules contain none of their own.
    expect(extractParameterBlock(instructions)).toEqual({ value: { top: 5 } });
    expect(extractParameterBlock(DESK_RULES)).toBeUndefined();
    expect(parseDecisionLines(DESK_RULES)).toEqual({ clock: null, universe: null, interval: null });
    expect(buildDecisionPrompt({ ...base, modelInstructions: "  " }).instructions).toBe(DESK_RULES);
  });
});
