import type { LanguageModelV4Content, SharedV4Warning } from "@ai-sdk/provider";

/** One model response of a built-in: tool calls (finish "tool-calls") or a text (finish "stop"). */
export type Reply =
  | { kind: "tool-calls"; calls: { toolName: string; input: Record<string, unknown> }[]; warnings: SharedV4Warning[] }
  | { kind: "text"; text: string; warnings: SharedV4Warning[] };

export const textReply = (text: string, warnings: SharedV4Warning[] = []): Reply => ({ kind: "text", text, warnings });

/**
 * Content parts for a reply. Tool-call ids come from `idPrefix` (strategy, clock, step) and the call's
 * index, so replaying the same bar yields the same ids: the sessions runner's crash-resume relies on it.
 */
export function replyContent(reply: Reply, idPrefix: string): LanguageModelV4Content[] {
  if (reply.kind === "text") return [{ type: "text", text: reply.text }];
  return reply.calls.map((c, i) => ({
    type: "tool-call",
    toolCallId: `${idPrefix}-${i}`,
    toolName: c.toolName,
    input: JSON.stringify(c.input),
  }));
}

/** Splits text into word chunks (each with its trailing whitespace) for streaming. */
export function wordChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
