import type { LanguageModelV4CallOptions, LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { OPTION_TOOL_NAMES, TOOL_DESCRIPTIONS, TOOL_HISTORY, TOOL_NAMES } from "@/lib/agent/tool-contract";
import { EXERCISE_TOOL_NAMES } from "@/lib/agent/option-tool-contract";
import { digestOf, digestsOf, recordingModel, type RecordedCall } from "./model-calls";

/** Exact replay across a grown tool list: a call recorded before the option tools existed replays with them offered. */

/** The option tools' wording before quoted chains (the newest change: TOOL_HISTORY[0]). */
const wordedBefore = (TOOL_HISTORY[0] as { described: Record<string, string> }).described;
const toolsOf = (names: readonly string[], described: Record<string, string> = {}): LanguageModelV4FunctionTool[] =>
  names.map((name) => ({ type: "function", name, description: described[name] ?? TOOL_DESCRIPTIONS[name as (typeof TOOL_NAMES)[number]], inputSchema: { type: "object", properties: {} } }));

const params = (tools: LanguageModelV4FunctionTool[], text = "Decide at 2025-10-01T13:30:00Z"): LanguageModelV4CallOptions => ({
  prompt: [{ role: "user", content: [{ type: "text", text }] }],
  tools,
  temperature: 0,
});

const now = toolsOf(TOOL_NAMES);
const beforeQuoted = toolsOf(TOOL_NAMES, wordedBefore);
const beforeExercise = toolsOf(TOOL_NAMES.filter((n) => !(EXERCISE_TOOL_NAMES as readonly string[]).includes(n)), wordedBefore);
const beforeOptions = toolsOf(TOOL_NAMES.filter((n) => ![...OPTION_TOOL_NAMES, ...EXERCISE_TOOL_NAMES].includes(n as never)));
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
  it("undoes each change newest first: the option tools' rewording, then exercise_option, then the option tools (each addition appended in order)", () => {
    expect(now.slice(0, beforeOptions.length)).toEqual(beforeOptions);
    expect(beforeQuoted.slice(0, beforeExercise.length)).toEqual(beforeExercise);
    expect(Object.keys(wordedBefore).sort()).toEqual(["get_option_chain", "get_option_quote", "place_option_order"]);
    expect(beforeQuoted.filter((t, i) => t.description !== now[i]!.description).map((t) => t.name)).toEqual(["get_option_chain", "get_option_quote", "place_option_order"]);
    const all = [digestOf(params(now)), digestOf(params(beforeQuoted)), digestOf(params(beforeExercise)), digestOf(params(beforeOptions))];
    expect(new Set(all).size).toBe(4);
    expect(digestsOf(params(now))).toEqual(all);
    expect(digestsOf(params(beforeExercise))).toEqual(all.slice(2));
    expect(digestsOf(params(beforeOptions))).toEqual(all.slice(3));
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
