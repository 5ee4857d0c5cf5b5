import { generateText, isStepCount } from "ai";
import { describe, expect, it } from "vitest";
import { createBuiltinModel, MAX_SYMBOLS, type BuiltinStrategyName } from "./index";
import { CLOCK, createDesk, decisionPrompt, deskTools, type DeskState } from "@/tests/support/builtin-desk";

async function runBar(name: BuiltinStrategyName, desk: DeskState, opts: { instructions?: string; prompt?: string; seed?: number } = {}) {
  const result = await generateText({
    model: createBuiltinModel(name, { seed: opts.seed }),
    instructions: opts.instructions ?? `You are builtin:${name}.`,
    prompt: opts.prompt ?? decisionPrompt(),
    tools: deskTools(desk),
    stopWhen: isStepCount(5),
  });
  const trades = desk.calls.filter((c) => ["buy", "sell", "short", "cover"].includes(c.toolName));
  return { result, trades };
}

const spent = (trades: { toolName: string; input: unknown }[], desk: DeskState) =>
  trades
    .filter((t) => t.toolName === "buy")
    .reduce((a, t) => {
      const { symbol, quantity } = t.input as { symbol: string; quantity: number };
      return a + quantity * desk.closes[symbol]!.at(-1)!;
    }, 0);

describe("built-in models through generateText", () => {
  it("step 1 gathers the portfolio and bars for every symbol, with deterministic ids", async () => {
    const desk = createDesk();
    const { result } = await runBar("momentum", desk);
    const first = result.steps[0]!;
    expect(first.finishReason).toBe("tool-calls");
    expect(first.toolCalls.map((c) => c.toolName)).toEqual(["get_portfolio", ...Array(5).fill("get_bars")]);
    expect(first.toolCalls.map((c) => c.toolCallId)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `momentum-${CLOCK}-s1-${i}`),
    );
    expect(first.toolCalls[1]!.input).toEqual({ symbol: "AAA", limit: 21, interval: "day" });
  });

  it("buy-and-hold buys an equal-weight basket within cash, then holds", async () => {
    const desk = createDesk();
    const { result, trades } = await runBar("buy-and-hold", desk);
    expect(trades.map((t) => (t.input as { symbol: string }).symbol)).toEqual(["AAA", "BBB", "CCC", "DDD", "EEE"]);
    expect(spent(trades, createDesk())).toBeLessThanOrEqual(100_000 * 0.98);
    expect(spent(trades, createDesk())).toBeGreaterThan(100_000 * 0.97);
    expect(desk.cash).toBeGreaterThan(0);
    expect(result.steps).toHaveLength(3);
    expect(result.finishReason).toBe("stop");
    expect(result.text).toMatch(/Bought \d+ AAA at \$129\.00/);
    expect(result.usage.totalTokens).toBe(0);

    desk.calls = [];
    const again = await runBar("buy-and-hold", desk, { prompt: decisionPrompt(undefined, "2025-10-31T13:30:00.000Z") });
    expect(again.trades).toEqual([]);
    expect(again.result.steps).toHaveLength(2);
    expect(again.result.text).toContain("keeps holding");
  });

  it("momentum holds the top 3 by return and sells a holding that dropped out", async () => {
    const desk = createDesk({ positions: { CCC: 100 }, cash: 90_000 });
    const { result, trades } = await runBar("momentum", desk);
    expect(trades.map((t) => `${t.toolName} ${(t.input as { symbol: string }).symbol}`)).toEqual([
      "sell CCC",
      "buy DDD",
      "buy AAA",
      "buy EEE",
    ]);
    expect(trades[0]!.input).toEqual({ symbol: "CCC", quantity: 100 });
    expect(spent(trades, desk)).toBeLessThanOrEqual(90_000);
    expect(result.text).toContain("Top 3 by 20-bar return: DDD +");
    expect(result.text).toMatch(/Sold 100 CCC at \$65\.50: CCC returned -\d+\.\d% over 20 bars/);
  });

  it("mean-reversion buys below -k and sells a holding above +k", async () => {
    const desk = createDesk({ positions: { EEE: 50 } });
    const { result, trades } = await runBar("mean-reversion", desk);
    expect(trades.map((t) => `${t.toolName} ${(t.input as { symbol: string }).symbol}`)).toEqual([
      "sell EEE",
      "buy BBB",
      "buy CCC",
    ]);
    expect(result.text).toMatch(/Bought \d+ BBB at \$45\.00 \(|Bought \d+ BBB at \$45\.00: z -/);
    expect(result.text).toContain("Sold 50 EEE");
  });

  it("random is seeded by (seed, clock): the same bar replays identically, another seed differs", async () => {
    const runs = [];
    for (const seed of [7, 7, 8]) {
      const desk = createDesk();
      runs.push((await runBar("random", desk, { seed })).result.steps.map((s) => s.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input])));
    }
    expect(runs[0]).toEqual(runs[1]);
    const clocks = ["2025-10-27", "2025-10-28", "2025-10-29", "2025-10-30"].map((d) => `${d}T13:30:00.000Z`);
    const perClock = [];
    for (const clock of clocks) {
      const desk = createDesk();
      const { trades } = await runBar("random", desk, { seed: 7, prompt: decisionPrompt(undefined, clock) });
      perClock.push(JSON.stringify(trades.map((t) => t.input)));
      expect(spent(trades, createDesk())).toBeLessThanOrEqual(98_000);
    }
    expect(new Set([...perClock, JSON.stringify(runs[2])]).size).toBeGreaterThan(1);
  });

  it.each(["buy-and-hold", "momentum", "mean-reversion", "random"] as const)("%s: same prompt twice gives identical calls, ids and text", async (name) => {
    const a = await runBar(name, createDesk(), { seed: 3 });
    const b = await runBar(name, createDesk(), { seed: 3 });
    const shape = (r: typeof a) => r.result.steps.map((s) => ({ calls: s.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input]), text: s.text }));
    expect(shape(a)).toEqual(shape(b));
    expect(a.result.finishReason).toBe("stop");
    for (const s of a.result.steps) for (const c of s.toolCalls) expect(c.toolCallId).toMatch(new RegExp(`^${name}-${CLOCK}-s\\d-\\d+$`));
  });

  it("says a rejected trade was rejected, never that it happened", async () => {
    const desk = createDesk({ rejectAll: true });
    const { result, trades } = await runBar("buy-and-hold", desk);
    expect(trades).toHaveLength(5);
    expect(result.text).not.toMatch(/Bought/);
    expect(result.text).toMatch(/Tried to buy \d+ AAA, but it was rejected \(INSUFFICIENT_CASH\): need/);
  });

  it("handles failing data tools: no bars for one symbol, or no portfolio", async () => {
    const bars = await runBar("buy-and-hold", createDesk({ failBarsFor: ["BBB"] }));
    expect(bars.trades.map((t) => (t.input as { symbol: string }).symbol)).toEqual(["AAA", "CCC", "DDD", "EEE"]);
    expect(bars.result.text).toContain("No bars for BBB (NO_DATA: no bars for BBB)");

    const portfolio = await runBar("momentum", createDesk({ failPortfolio: true }));
    expect(portfolio.trades).toEqual([]);
    expect(portfolio.result.text).toContain("I could not read the portfolio (database unavailable)");
  });

  it("reads parameters from a JSON block in the instructions, and ignores an invalid one with a note", async () => {
    const one = await runBar("momentum", createDesk(), { instructions: 'Momentum.\n```json\n{"top": 1, "lookback": 5}\n```' });
    expect(one.trades.map((t) => (t.input as { symbol: string }).symbol)).toEqual(["EEE"]); // +8.0% over 5 bars beats DDD's +6.8%
    expect(one.result.steps[0]!.toolCalls[1]!.input).toMatchObject({ limit: 6 });
    expect(one.result.text).toContain("top 1 symbols by 5-bar return");

    const bad = await runBar("momentum", createDesk(), { instructions: 'Parameters: {"top": 0, "typo": 1}' });
    expect(bad.result.text).toContain("Ignored the parameters");
    expect(bad.trades).toHaveLength(3);
  });

  it("gets the universe from the portfolio when the prompt has none", async () => {
    const desk = createDesk();
    const { result, trades } = await runBar("buy-and-hold", desk, { prompt: `Clock: ${CLOCK}\nDecide.` });
    expect(result.steps[0]!.toolCalls.map((c) => c.toolName)).toEqual(["get_portfolio"]);
    expect(result.steps[1]!.toolCalls).toHaveLength(5);
    expect(trades).toHaveLength(5);
    expect(result.steps).toHaveLength(4);
  });

  it(`asks for bars of at most ${MAX_SYMBOLS} symbols`, async () => {
    const universe = Array.from({ length: 35 }, (_, i) => `S${i}`);
    const { result } = await runBar("momentum", createDesk(), { prompt: decisionPrompt(universe) });
    const bars = result.steps[0]!.toolCalls.filter((c) => c.toolName === "get_bars");
    expect(bars.map((c) => (c.input as { symbol: string }).symbol)).toEqual(universe.slice(0, MAX_SYMBOLS));
    expect(result.text).toContain("Warming up");
  });
});
