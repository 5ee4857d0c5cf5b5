import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { extractParameterBlock, parseDecisionLines, parseDecisionPrompt } from "./prompt";

const user = (text: string) => ({ role: "user" as const, content: [{ type: "text" as const, text }] });

describe("parseDecisionPrompt", () => {
  it("reads clock, universe, interval and the instructions", () => {
    const p = parseDecisionPrompt([
      { role: "system", content: "You are momentum.\n```json\n{\"top\": 2}\n```" },
      user("Clock: 2025-10-30T10:00:00-04:00\nInterval: hour\nUniverse: aapl, MSFT,NVDA  MSFT\nDecide."),
    ]);
    expect(p.clock).toBe("2025-10-30T14:00:00.000Z");
    expect(p.universe).toEqual(["AAPL", "MSFT", "NVDA"]);
    expect(p.interval).toBe("hour");
    expect(p.instructions).toContain("You are momentum.");
    expect(p.step).toBe(1);
    expect(p.calls).toEqual([]);
  });

  it("is a chat question when there is no Clock line", () => {
    const p = parseDecisionPrompt([user("why did you sell NVDA at 11:00?")]);
    expect(p.clock).toBeNull();
    expect(p.universe).toBeNull();
    expect(p.userText).toBe("why did you sell NVDA at 11:00?");
  });

  it("rejects a clock that is not a date", () => {
    expect(parseDecisionLines("Clock: soon").clock).toBeNull();
    expect(parseDecisionLines("Interval: week").interval).toBeNull();
  });

  it("collects this turn's tool calls and results of every output type, and counts steps", () => {
    const prompt: LanguageModelV4Prompt = [
      user("Clock: 2025-10-29T14:00:00Z\nUniverse: OLD"),
      { role: "assistant", content: [{ type: "text", text: "Bought 5 OLD." }] },
      user("Clock: 2025-10-30T14:00:00Z\nUniverse: AAA"),
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "a", toolName: "get_portfolio", input: {} },
          { type: "tool-call", toolCallId: "b", toolName: "get_bars", input: '{"symbol":"AAA"}' },
          { type: "tool-call", toolCallId: "c", toolName: "get_quote", input: { symbol: "AAA" } },
          { type: "tool-call", toolCallId: "d", toolName: "get_quote", input: { symbol: "ZZZ" } },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "a", toolName: "get_portfolio", output: { type: "json", value: { cash: "1.00" } } },
          { type: "tool-result", toolCallId: "b", toolName: "get_bars", output: { type: "text", value: '{"bars":[]}' } },
          { type: "tool-result", toolCallId: "c", toolName: "get_quote", output: { type: "error-text", value: "LOOKAHEAD" } },
          { type: "tool-result", toolCallId: "d", toolName: "get_quote", output: { type: "error-json", value: { message: "NOT_IN_UNIVERSE" } } },
        ],
      },
    ];
    const p = parseDecisionPrompt(prompt);
    expect(p.clock).toBe("2025-10-30T14:00:00.000Z");
    expect(p.universe).toEqual(["AAA"]);
    expect(p.step).toBe(2);
    expect(p.userTurns).toBe(2);
    expect(p.calls.map((c) => c.id)).toEqual(["a", "b", "c", "d"]);
    expect(p.calls[1]!.input).toEqual({ symbol: "AAA" });
    expect(p.results).toEqual([
      { id: "a", name: "get_portfolio", ok: true, value: { cash: "1.00" } },
      { id: "b", name: "get_bars", ok: true, value: { bars: [] } },
      { id: "c", name: "get_quote", ok: false, error: "LOOKAHEAD" },
      { id: "d", name: "get_quote", ok: false, error: "NOT_IN_UNIVERSE" },
    ]);
    expect(p.earlierAssistantText).toEqual(["Bought 5 OLD."]);
  });
});

describe("extractParameterBlock", () => {
  it("reads a fenced json block or a Parameters: line", () => {
    expect(extractParameterBlock("x\n```json\n{\"top\": 2}\n```")).toEqual({ value: { top: 2 } });
    expect(extractParameterBlock("Parameters: {\"lookback\": 5}")).toEqual({ value: { lookback: 5 } });
    expect(extractParameterBlock("no block")).toBeUndefined();
    expect(extractParameterBlock("```json\n{top: 2}\n```")).toHaveProperty("error");
  });
});
