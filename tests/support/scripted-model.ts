import type { LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { APICallError } from "ai";
import { MockLanguageModelV4 } from "ai/test";

/**
 * A scripted language model for decision tests: turn i answers the i-th model call (the last turn
 * repeats). A turn is content, or a function of the call (it may throw a provider error or wait).
 */
export type Turn =
  | LanguageModelV4Content[]
  | ((options: LanguageModelV4CallOptions, call: number) => Promise<LanguageModelV4Content[] | LanguageModelV4GenerateResult> | LanguageModelV4Content[]);

export const USAGE = { inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 20, text: 20, reasoning: 0 } };

export function scriptedModel(turns: Turn[]) {
  let calls = 0;
  return new MockLanguageModelV4({
    provider: "test",
    modelId: "scripted",
    doGenerate: async (options) => {
      const call = calls++;
      const turn = turns[Math.min(call, turns.length - 1)]!;
      const out = typeof turn === "function" ? await turn(options, call) : turn;
      return Array.isArray(out) ? generated(out) : out;
    },
  });
}

export function generated(content: LanguageModelV4Content[]): LanguageModelV4GenerateResult {
  const calls = content.some((c) => c.type === "tool-call");
  return {
    content,
    finishReason: calls ? { unified: "tool-calls", raw: "tool_calls" } : { unified: "stop", raw: "stop" },
    usage: USAGE,
    warnings: [],
  };
}

export const toolCall = (toolName: string, input: unknown, toolCallId: string): LanguageModelV4Content => ({
  type: "tool-call",
  toolCallId,
  toolName,
  input: JSON.stringify(input),
});

export const text = (t: string): LanguageModelV4Content => ({ type: "text", text: t });

/** What the provider says on a 5xx; `retry-after-ms` keeps the SDK's backoff short in tests. */
export function providerError(statusCode: number, message: string, retryable = statusCode >= 500 || statusCode === 429): APICallError {
  return new APICallError({
    message,
    url: "https://api.example.test/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    responseHeaders: { "retry-after-ms": "5" },
    isRetryable: retryable,
  });
}

/** Waits for the call's abort signal (as a well-behaved provider does), then rejects with its reason. */
export const hangUntilAborted = (options: LanguageModelV4CallOptions) =>
  new Promise<never>((_, reject) => {
    const signal = options.abortSignal;
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** A provider that ignores the abort signal entirely. */
export const hangForever = () => new Promise<never>(() => {});

/** The tool results (or errors) the model was shown in a call's prompt, by tool-call id. */
export function shownResults(options: LanguageModelV4CallOptions): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const m of options.prompt) {
    if (m.role !== "tool") continue;
    for (const p of m.content) if (p.type === "tool-result") shown[p.toolCallId] = p.output;
  }
  return shown;
}
