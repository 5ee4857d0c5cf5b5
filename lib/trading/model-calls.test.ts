import type { LanguageModelV4CallOptions, LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { zodSchema } from "ai";
import type { z } from "zod";
import { OPTION_TOOL_NAMES, TOOL_DESCRIPTIONS, TOOL_HISTORY, TOOL_NAMES, toolInputSchemas } from "@/lib/agent/tool-contract";
import { EXERCISE_TOOL_NAMES, STRATEGY_TOOL_NAMES } from "@/lib/agent/option-tool-contract";
import { digestOf, digestsOf, recordingModel, type RecordedCall } from "./model-calls";

/** Exact replay across a grown tool list: a call recorded before the option tools existed replays with them offered. */

/** place_order before multi-leg orders (TOOL_HISTORY[1], before preview_strategy was added), and the option tools' wording before quoted chains (TOOL_HISTORY[2]). */
const reshapedBefore = (TOOL_HISTORY[1] as { reshaped: Record<string, { description: string; inputSchema: z.ZodType }> }).reshaped;
const wordedBefore = (TOOL_HISTORY[2] as { described: Record<string, string> }).described;
const older = (n: string) => !(STRATEGY_TOOL_NAMES as readonly string[]).includes(n);
const jsonOf = (schema: z.ZodType) => zodSchema(schema).jsonSchema as LanguageModelV4FunctionTool["inputSchema"];
/** Tools as the AI SDK offers them (the contract's schemas as JSON Schema), with earlier shapes or wordings where given. */
const toolsOf = (names: readonly string[], described: Record<string, string> = {}, reshaped: typeof reshapedBefore = {}): LanguageModelV4FunctionTool[] =>
  names.map((name) => ({
    type: "function",
    name,
    description: reshaped[name]?.description ?? described[name] ?? TOOL_DESCRIPTIONS[name as (typeof TOOL_NAMES)[number]],
    inputSchema: jsonOf(reshaped[name]?.inputSchema ?? (toolInputSchemas[name as (typeof TOOL_NAMES)[number]] as z.ZodType)),
  }));

const params = (tools: LanguageModelV4FunctionTool[], text = "Decide at 2025-10-01T13:30:00Z"): LanguageModelV4CallOptions => ({
  prompt: [{ role: "user", content: [{ type: "text", text }] }],
  tools,
  temperature: 0,
});

const now = toolsOf(TOOL_NAMES);
const beforePreview = toolsOf(TOOL_NAMES.filter(older));
const beforeMleg = toolsOf(TOOL_NAMES.filter(older), {}, reshapedBefore);
const beforeQuoted = toolsOf(TOOL_NAMES.filter(older), wordedBefore, reshapedBefore);
const beforeExercise = toolsOf(TOOL_NAMES.filter((n) => older(n) && !(EXERCISE_TOOL_NAMES as readonly string[]).includes(n)), wordedBefore, reshapedBefore);
const beforeOptions = toolsOf(TOOL_NAMES.filter((n) => older(n) && ![...OPTION_TOOL_NAMES, ...EXERCISE_TOOL_NAMES].includes(n as never)), {}, reshapedBefore);
const answer: RecordedCall["response"] = {
  content: [{ type: "text", text: "hold" }],
  finishReason: { unified: "stop", raw: "stop" },
  usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
  warnings: [],
};

function replayOnly(recordedDigest: string) {
  const provider = new MockLanguageModelV4({ doGenerate: async () => { throw new Error("a replay must not ask the provider"); } });
  const model = recordingModel(provider, { recorded: new Map([[0, { requestDigest: recordedDigest, response: answer }]]), onCall: () => {}, recordOnly: true });
  return { model, provider };
}

describe("recorded calls across tool-list versions", () => {
  it("undoes each change newest first: preview_strategy, place_order's multi-leg shape, the option tools' rewording, exercise_option, the option tools", () => {
    expect(now.slice(0, beforePreview.length)).toEqual(beforePreview);
    expect(beforeMleg.slice(0, beforeOptions.length)).toEqual(beforeOptions);
    expect(beforeQuoted.slice(0, beforeExercise.length)).toEqual(beforeExercise);
    expect(beforeMleg.filter((t, i) => JSON.stringify(t) !== JSON.stringify(beforePreview[i])).map((t) => t.name)).toEqual(["place_order"]);
    expect(JSON.stringify(beforeMleg.find((t) => t.name === "place_order")!.inputSchema)).not.toContain("mleg");
    expect(JSON.stringify(now.find((t) => t.name === "place_order")!.inputSchema)).toContain("mleg");
    expect(beforeQuoted.filter((t, i) => t.description !== beforeMleg[i]!.description).map((t) => t.name)).toEqual(["get_option_chain", "get_option_quote", "place_option_order"]);
    const all = [digestOf(params(now)), digestOf(params(beforePreview)), digestOf(params(beforeMleg)), digestOf(params(beforeQuoted)), digestOf(params(beforeExercise)), digestOf(params(beforeOptions))];
    expect(new Set(all).size).toBe(6);
    expect(digestsOf(params(now))).toEqual(all);
    expect(digestsOf(params(beforePreview))).toEqual(all.slice(1));
    expect(digestsOf(params(beforeQuoted))).toEqual(all.slice(3));
    expect(digestsOf(params(beforeExercise))).toEqual(all.slice(4));
    expect(digestsOf(params(beforeOptions))).toEqual(all.slice(5));
  });

  it("a call recorded before multi-leg orders (place_order's older shape) replays with today's tools, from the record alone", async () => {
    const { model, provider } = replayOnly(digestOf(params(beforeMleg)));
    const result = await model.doGenerate(params(now));
    expect(result.content).toEqual([{ type: "text", text: "hold" }]);
    expect(provider.doGenerateCalls).toHaveLength(0);
  });

  it("a call recorded with the option tools' earlier wording replays with today's, from the record alone", async () => {
    const { model, provider } = replayOnly(digestOf(params(beforeQuoted)));
    const result = await model.doGenerate(params(now));
    expect(result.content).toEqual([{ type: "text", text: "hold" }]);
    expect(provider.doGenerateCalls).toHaveLength(0);
  });

  it("a call recorded before the option tools replays with them offered, from the record alone", async () => {
    const { model, provider } = replayOnly(digestOf(params(beforeOptions)));
    const result = await model.doGenerate(params(now));
    expect(result.content).toEqual([{ type: "text", text: "hold" }]);
    expect(provider.doGenerateCalls).toHaveLength(0);
  });

  it("anything else that differs still diverges: the prompt, or a tool missing from the middle of the list", async () => {
    await expect(replayOnly(digestOf(params(beforeOptions, "Decide at another time"))).model.doGenerate(params(now))).rejects.toMatchObject({ code: "REPLAY_DIVERGED" });
    const withoutIndicators = toolsOf(TOOL_NAMES.filter((n) => n !== "get_indicators"));
    await expect(replayOnly(digestOf(params(withoutIndicators))).model.doGenerate(params(now))).rejects.toMatchObject({ code: "REPLAY_DIVERGED" });
  });

  it("a call recorded with the option tools does not replay without them (a list never shrinks back)", async () => {
    await expect(replayOnly(digestOf(params(now))).model.doGenerate(params(beforeOptions))).rejects.toMatchObject({ code: "REPLAY_DIVERGED" });
  });
});
