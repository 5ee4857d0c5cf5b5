import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4Warning,
} from "@ai-sdk/provider";
import { chatTurn } from "./chat-turn";
import { decisionTurn } from "./decision-turn";
import { optionTurn } from "./option-turn";
import { orderTurn } from "./order-turn";
import { extractParameterBlock, parseDecisionPrompt, type ParsedPrompt } from "./prompt";
import { replyContent, wordChunks, type Reply } from "./reply";
import { hashLabels } from "@/lib/engine/hash";
import type { AnyStrategy } from "./types";

export interface BuiltinModelSettings {
  /** Seed for builtin:random (a `seed` in the parameter block wins). Default 42. */
  seed?: number;
}

export const DEFAULT_SEED = 42;

/** Built-ins use no tokens: usage is reported as zeros, so cost and token charts show them as free. */
const ZERO_USAGE: LanguageModelV4Usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

/**
 * A strategy as an AI SDK language model (`LanguageModelV4`). It reads the prompt, emits real tool calls
 * and a final text, so offline runs use the same loop, tools and records as an LLM. Pure and
 * deterministic: the same prompt gives the same content and tool-call ids (it reads no clock and no random source).
 */
export function createStrategyModel<P>(strategy: AnyStrategy<P>, settings: BuiltinModelSettings = {}): LanguageModelV4 {
  const modelId = `builtin:${strategy.name}`;

  function respond(options: LanguageModelV4CallOptions): { reply: Reply; parsed: ParsedPrompt; params: P } {
    const parsed = parseDecisionPrompt(options.prompt);
    const { params, note } = readParams(strategy, parsed.instructions);
    const tools = new Set(
      options.toolChoice?.type === "none"
        ? []
        : (options.tools ?? []).flatMap((t) => (t.type === "function" ? [t.name] : [])),
    );
    const seed = settings.seed ?? options.seed ?? DEFAULT_SEED;
    const { clock } = parsed;
    const turn = clock === null ? null : { parsed: { ...parsed, clock }, modelId, params, paramNote: note, tools };
    const reply =
      turn === null
        ? chatTurn({ parsed, modelId, rule: strategy.rule(params), paramNote: note, tools })
        : strategy.kind === "orders"
          ? orderTurn({ ...turn, strategy })
          : strategy.kind === "options"
            ? optionTurn({ ...turn, strategy })
            : decisionTurn({ ...turn, strategy, seed });
    const warnings: SharedV4Warning[] = note ? [...reply.warnings, { type: "other", message: note }] : reply.warnings;
    return { reply: { ...reply, warnings }, parsed, params };
  }

  function idPrefix(parsed: ParsedPrompt): string {
    const when = parsed.clock ?? `chat-u${parsed.userTurns}-${(hashLabels(parsed.userText) >>> 0).toString(16)}`;
    return `${strategy.name}-${when}-s${parsed.step}`;
  }

  function finish(reply: Reply): LanguageModelV4FinishReason {
    return reply.kind === "tool-calls" ? { unified: "tool-calls", raw: "tool-calls" } : { unified: "stop", raw: "stop" };
  }

  return {
    specificationVersion: "v4",
    provider: "bullpen",
    modelId,
    supportedUrls: {},

    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      const { reply, parsed, params } = respond(options);
      return {
        content: replyContent(reply, idPrefix(parsed)),
        finishReason: finish(reply),
        usage: ZERO_USAGE,
        providerMetadata: { bullpen: { strategy: strategy.name, step: parsed.step, params: JSON.parse(JSON.stringify(params)) } },
        response: { modelId },
        warnings: reply.warnings,
      };
    },

    async doStream(options) {
      const { reply, parsed } = respond(options);
      const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: reply.warnings }, { type: "response-metadata", modelId }];
      for (const c of replyContent(reply, idPrefix(parsed))) {
        if (c.type === "tool-call") {
          parts.push(
            { type: "tool-input-start", id: c.toolCallId, toolName: c.toolName },
            { type: "tool-input-delta", id: c.toolCallId, delta: c.input },
            { type: "tool-input-end", id: c.toolCallId },
            c,
          );
        } else if (c.type === "text") {
          parts.push({ type: "text-start", id: "0" });
          for (const delta of wordChunks(c.text)) parts.push({ type: "text-delta", id: "0", delta });
          parts.push({ type: "text-end", id: "0" });
        }
      }
      parts.push({ type: "finish", usage: ZERO_USAGE, finishReason: finish(reply) });
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
}

/** Parameters from the instructions' JSON block over the defaults; an invalid block falls back to the defaults with a note. */
export function readParams<P>(strategy: AnyStrategy<P>, instructions: string): { params: P; note: string | null } {
  const defaults = strategy.params.parse({});
  const block = extractParameterBlock(instructions);
  if (block === undefined) return { params: defaults, note: null };
  if ("error" in block) return { params: defaults, note: `Ignored the parameters: ${block.error}; using the defaults.` };
  const parsed = strategy.params.safeParse(block.value);
  if (parsed.success) return { params: parsed.data, note: null };
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(block)"}: ${i.message}`).join("; ");
  return { params: defaults, note: `Ignored the parameters (${problems}); using the defaults.` };
}
