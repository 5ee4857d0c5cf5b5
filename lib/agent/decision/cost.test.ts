import { describe, expect, it } from "vitest";
import { costOf } from "./cost";

describe("decision cost", () => {
  it("prices known OpenAI models per 1M tokens, rounded up to the micro-dollar", () => {
    // gpt-4.1-mini: $0.40 in, $1.60 out per 1M → 12,345 × 0.4 + 678 × 1.6 = 4,938 + 1,084.8 µ$ → 6,022.8 → 6,023 µ$
    expect(costOf("openai:gpt-4.1-mini", { inputTokens: 12_345, outputTokens: 678 })).toBe("0.006023");
    expect(costOf("openai:gpt-4.1", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe("10.000000");
  });

  it("is zero for built-ins and unknown (null) otherwise", () => {
    expect(costOf("builtin:momentum", { inputTokens: 0, outputTokens: 0 })).toBe("0.000000");
    expect(costOf("openrouter:anthropic/claude-sonnet-4", { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(costOf("openai:some-future-model", { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(costOf("openai:gpt-4.1", { inputTokens: null, outputTokens: 3 })).toBeNull();
  });
});
