import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateText, isStepCount, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { createBuiltinModel } from "./index";
import { createDesk, decisionPrompt, deskTools } from "@/tests/support/builtin-desk";

describe("streaming", () => {
  it("streams the same tool calls and text as doGenerate, text in word chunks", async () => {
    const generated = await generateText({
      model: createBuiltinModel("momentum"),
      prompt: decisionPrompt(),
      tools: deskTools(createDesk()),
      stopWhen: isStepCount(5),
    });
    const streamed = streamText({
      model: createBuiltinModel("momentum"),
      prompt: decisionPrompt(),
      tools: deskTools(createDesk()),
      stopWhen: isStepCount(5),
    });
    const deltas: string[] = [];
    for await (const part of streamed.stream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.join("")).toBe(generated.text);
    expect(await streamed.text).toBe(generated.text);
    const ids = (r: { toolCalls: { toolCallId: string }[] }[]) => r.map((s) => s.toolCalls.map((c) => c.toolCallId));
    expect(ids(await streamed.steps)).toEqual(ids(generated.steps));
    expect(await streamed.finishReason).toBe("stop");
  });
});

describe("chat questions", () => {
  it("looks up the portfolio and the symbols asked about, then answers with numbers", async () => {
    const desk = createDesk({ positions: { CCC: 100 }, cash: 50_000 });
    const result = await generateText({
      model: createBuiltinModel("momentum"),
      messages: [
        { role: "user", content: decisionPrompt() },
        { role: "assistant", content: "Sold 40 AAA at $120.00: AAA returned -2.0% over 20 bars, out of the top 3." },
        { role: "user", content: "Why did you sell AAA at 11:00? And what about XYZ?" },
      ],
      tools: deskTools(desk),
      stopWhen: isStepCount(5),
    });
    const first = result.steps[0]!;
    expect(first.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ["get_portfolio", {}],
      ["get_quote", { symbol: "AAA" }],
      ["get_quote", { symbol: "XYZ" }],
    ]);
    expect(first.toolCalls[0]!.toolCallId).toMatch(/^momentum-chat-u2-[0-9a-f]+-s1-0$/);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain("hold the top 3 symbols by 20-bar return");
    expect(result.text).toContain("cash $50,000.00");
    expect(result.text).toContain("100 CCC (average cost $65.50");
    expect(result.text).toContain("AAA: last price $129.00");
    expect(result.text).toContain('Earlier I wrote: "Sold 40 AAA at $120.00');
    expect(result.text).not.toContain("XYZ");
  });

  it("answers without tools when none are offered", async () => {
    const result = await generateText({ model: createBuiltinModel("random", { seed: 1 }), prompt: "What do you do?" });
    expect(result.text).toContain("I am builtin:random");
    expect(result.toolCalls).toEqual([]);
  });
});

describe("source hygiene", () => {
  it("has no clock or unseeded randomness in the built-ins", () => {
    const dir = __dirname;
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.includes("test"))) {
      const src = readFileSync(join(dir, f), "utf8");
      expect(src, f).not.toMatch(/Date\.now|Math\.random|new Date\(\)|performance\.now|process\.env/);
    }
  });
});
