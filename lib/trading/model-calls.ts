import { createHash } from "node:crypto";
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4GenerateResult, LanguageModelV4Middleware } from "@ai-sdk/provider";
import { wrapLanguageModel } from "ai";
import { zodSchema } from "ai";
import type { JSONSchema7 } from "@ai-sdk/provider";
import type { z } from "zod";
import { TOOL_HISTORY } from "@/lib/agent/tool-contract";
import { AppError } from "@/lib/errors";

/**
 * Every model call of a bar, recorded as it returns (docs/trading.md, "Model calls"): what was asked (a
 * digest of the prompt, tools and settings), what came back (text, tool calls, finish reason), usage,
 * latency and provider. A bar run again after a crash or a pause answers its first calls from the record
 * and asks the model only past it, so a resumed session makes the same decisions as one never stopped;
 * a session replayed "exactly" is answered from the record alone and asks no provider anything.
 */
export interface ModelCallRecord {
  callIndex: number;
  provider: string;
  modelId: string;
  requestDigest: string;
  /** The provider's result as the AI SDK returned it, minus raw HTTP bodies and headers. */
  response: StoredResponse;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
}

export type RecordedCall = Pick<ModelCallRecord, "requestDigest" | "response">;

type StoredResponse = Pick<LanguageModelV4GenerateResult, "content" | "finishReason" | "usage" | "providerMetadata" | "warnings"> & {
  response?: { id?: string; modelId?: string; timestamp?: string };
};

export interface RecordOptions {
  /** Calls already recorded for this bar, by call index: answered from here, in order. */
  recorded: ReadonlyMap<number, RecordedCall>;
  /**
   * Called with each call the provider answered, before its answer goes on; it may store it. When the record
   * already held that call (another runner of the bar stored it first), it returns that one, which is used instead.
   */
  onCall: (call: ModelCallRecord) => Promise<RecordedCall | void> | void;
  /** Replay only: a call past the record is an error, never a provider call. */
  recordOnly?: boolean;
}

/** `model` with every doGenerate call recorded or, when the record has it, replayed. */
export function recordingModel(model: LanguageModelV4, options: RecordOptions): LanguageModelV4 {
  let next = 0;
  const middleware: LanguageModelV4Middleware = {
    specificationVersion: "v4",
    wrapGenerate: async ({ doGenerate, params, model: inner }) => {
      const callIndex = next++;
      const requestDigest = digestOf(params);
      // The digests of the older tool lists only when a record holds another digest (a replay across a tool change).
      const asked = (recorded: string) => recorded === requestDigest || digestsOf(params).includes(recorded);
      const stored = options.recorded.get(callIndex);
      if (stored) {
        if (!asked(stored.requestDigest)) throw diverged(callIndex);
        return revive(stored.response);
      }
      if (options.recordOnly) throw new AppError("halt", "NOT_RECORDED", `model call ${callIndex + 1} of this bar is not in the record`);
      const started = performance.now();
      const result = await doGenerate();
      const response = storable(result);
      const first = await options.onCall({
        callIndex,
        provider: inner.provider,
        modelId: inner.modelId,
        requestDigest,
        response,
        inputTokens: result.usage.inputTokens.total ?? null,
        outputTokens: result.usage.outputTokens.total ?? null,
        latencyMs: Math.round(performance.now() - started),
      });
      // Another runner of the same bar recorded this call first (a takeover): its answer is the run's.
      if (first) {
        if (!asked(first.requestDigest)) throw diverged(callIndex);
        return revive(first.response);
      }
      return result;
    },
  };
  return wrapLanguageModel({ model, middleware });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * What identifies a request: the prompt, tools, tool choice and sampling settings (no signal or headers).
 * Ids are opaque handles: each distinct UUID counts by its order of first appearance, so a session replayed
 * exactly (whose orders have ids of its own) asks what its source asked.
 */
export function digestOf(params: LanguageModelV4CallOptions): string {
  const { prompt, tools, toolChoice, temperature, topP, topK, seed, maxOutputTokens, responseFormat } = params;
  const seen = new Map<string, number>();
  const text = JSON.stringify({ prompt, tools, toolChoice, temperature, topP, topK, seed, maxOutputTokens, responseFormat }).replace(UUID, (id) => {
    const key = id.toLowerCase();
    if (!seen.has(key)) seen.set(key, seen.size);
    return `<id ${seen.get(key)}>`;
  });
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The digests a recorded call of this request may hold: the request as asked, then as asked with each change to the
 * tools offered undone, newest first (TOOL_HISTORY: tools added, descriptions reworded, schemas reshaped; each step
 * undoes one more). A session recorded before a change asked the same thing of the tools as they were then, so its
 * answers are the answers of this request: it replays exactly, instead of halting REPLAY_DIVERGED on a change it never
 * saw. Anything else that differs (the prompt, a change not in the history, the settings) still diverges.
 */
export function digestsOf(params: LanguageModelV4CallOptions): string[] {
  const digests = [digestOf(params)];
  let tools = params.tools;
  for (const change of TOOL_HISTORY) {
    if (!tools) break;
    const before = "added" in change ? tools.filter((t) => !change.added.includes(t.name)) : tools.map((t) => asBefore(t, change));
    if (before.length === tools.length && before.every((t, i) => t === tools![i])) continue;
    tools = before;
    digests.push(digestOf({ ...params, tools }));
  }
  return digests;
}

type OfferedTool = NonNullable<LanguageModelV4CallOptions["tools"]>[number];

/** A tool as it was offered before a change of its wording or its input schema (the same object when it did not change). */
function asBefore(tool: OfferedTool, change: Exclude<(typeof TOOL_HISTORY)[number], { added: unknown }>): OfferedTool {
  if (tool.type !== "function") return tool;
  if ("described" in change) {
    const old = change.described[tool.name];
    return old === undefined || tool.description === old ? tool : { ...tool, description: old };
  }
  const old = change.reshaped[tool.name];
  if (!old) return tool;
  const inputSchema = jsonSchemaOf(old.inputSchema);
  return tool.description === old.description && JSON.stringify(tool.inputSchema) === JSON.stringify(inputSchema) ? tool : { ...tool, description: old.description, inputSchema };
}

/** A zod schema as the AI SDK offers it to a model (the conversion every tool's schema goes through), converted once. */
const converted = new WeakMap<z.ZodType, JSONSchema7>();
function jsonSchemaOf(schema: z.ZodType): JSONSchema7 {
  const known = converted.get(schema);
  if (known) return known;
  const json = zodSchema(schema).jsonSchema;
  if (typeof (json as PromiseLike<unknown>).then === "function") throw new Error("a tool schema converted asynchronously: digestsOf needs it at once");
  converted.set(schema, json as JSONSchema7);
  return json as JSONSchema7;
}

const diverged = (callIndex: number) =>
  new AppError("halt", "REPLAY_DIVERGED", `model call ${callIndex + 1} of this bar was asked something other than what the record holds; the run cannot be replayed exactly`);

function storable(r: LanguageModelV4GenerateResult): StoredResponse {
  const { content, finishReason, usage, providerMetadata, warnings, response } = r;
  return JSON.parse(
    JSON.stringify({
      content,
      finishReason,
      usage,
      providerMetadata,
      warnings,
      response: response && { id: response.id, modelId: response.modelId, timestamp: response.timestamp?.toISOString() },
    }),
  ) as StoredResponse;
}

function revive(r: StoredResponse): LanguageModelV4GenerateResult {
  const { response, ...rest } = r;
  return { ...rest, warnings: rest.warnings ?? [], response: response && { ...response, timestamp: response.timestamp ? new Date(response.timestamp) : undefined } };
}
