import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from "@ai-sdk/provider";
import { BAR_INTERVALS, type BarInterval } from "../tool-contract";

/**
 * Reads what a built-in model needs from the AI SDK prompt: the decision prompt's `Clock:`, `Universe:`
 * and `Interval:` lines, the model instructions (system messages), and the current turn: every tool call
 * and tool result after the last user message. Pure: no clock, no randomness.
 */

export interface ToolCallRecord {
  id: string;
  name: string;
  input: unknown;
}

export type ToolResultRecord =
  | { id: string; name: string; ok: true; value: unknown }
  | { id: string; name: string; ok: false; error: string };

export interface ParsedPrompt {
  /** System messages joined: the model's instructions (may hold a JSON parameter block). */
  instructions: string;
  /** The last user message's text. */
  userText: string;
  /** ISO instant from `Clock: …`, normalised by `Date#toISOString`; null for a chat question. */
  clock: string | null;
  /** Symbols from `Universe: A, B, …` (upper-cased, de-duplicated, in order); null when absent. */
  universe: string[] | null;
  interval: BarInterval | null;
  /** 1 for the first model call after the user message, 2 after one round of tool calls, … */
  step: number;
  /** How many user messages the conversation has (distinguishes chat turns). */
  userTurns: number;
  /** Tool calls and results of this turn, in order. */
  calls: ToolCallRecord[];
  results: ToolResultRecord[];
  /** Assistant text before the last user message (earlier answers, for chat). */
  earlierAssistantText: string[];
}

const CLOCK = /^[ \t]*Clock:[ \t]*(\S+)/im;
const UNIVERSE = /^[ \t]*Universe:[ \t]*(.*)$/im;
const INTERVAL = /^[ \t]*Interval:[ \t]*([a-z]+)/im;

/** Parses the decision-prompt lines out of text. Exported for tests and for the prompt builder's tests. */
export function parseDecisionLines(text: string): Pick<ParsedPrompt, "clock" | "universe" | "interval"> {
  const clockText = CLOCK.exec(text)?.[1];
  const ms = clockText === undefined ? Number.NaN : Date.parse(clockText);
  const clock = Number.isNaN(ms) ? null : new Date(ms).toISOString();
  const universeText = UNIVERSE.exec(text)?.[1];
  const universe =
    universeText === undefined
      ? null
      : [...new Set(universeText.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
  const intervalText = INTERVAL.exec(text)?.[1]?.toLowerCase();
  const interval = (BAR_INTERVALS as readonly string[]).includes(intervalText ?? "") ? (intervalText as BarInterval) : null;
  return { clock, universe, interval };
}

export function parseDecisionPrompt(prompt: LanguageModelV4Prompt): ParsedPrompt {
  const instructions = prompt
    .flatMap((m) => (m.role === "system" ? [m.content] : []))
    .join("\n")
    .trim();
  let lastUser = -1;
  prompt.forEach((m, i) => {
    if (m.role === "user") lastUser = i;
  });
  const userTurns = prompt.filter((m) => m.role === "user").length;
  const userMessage = lastUser >= 0 ? prompt[lastUser] : undefined;
  const userText =
    userMessage?.role === "user"
      ? userMessage.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n")
      : "";

  const fromUser = parseDecisionLines(userText);
  // A runner may put the decision lines into the instructions instead: accept them there too.
  const fromSystem = parseDecisionLines(instructions);
  const clock = fromUser.clock ?? fromSystem.clock;

  const calls: ToolCallRecord[] = [];
  const results: ToolResultRecord[] = [];
  let assistantMessages = 0;
  for (const m of prompt.slice(lastUser + 1)) {
    if (m.role === "assistant") {
      assistantMessages++;
      for (const p of m.content) {
        if (p.type === "tool-call") calls.push({ id: p.toolCallId, name: p.toolName, input: parseMaybeJson(p.input) });
        if (p.type === "tool-result") results.push(readResult(p.toolCallId, p.toolName, p.output));
      }
    } else if (m.role === "tool") {
      for (const p of m.content) {
        if (p.type === "tool-result") results.push(readResult(p.toolCallId, p.toolName, p.output));
      }
    }
  }

  const earlierAssistantText = prompt.slice(0, Math.max(lastUser, 0)).flatMap((m) =>
    m.role === "assistant" ? m.content.flatMap((p) => (p.type === "text" && p.text.trim() ? [p.text] : [])) : [],
  );

  return {
    instructions,
    userText,
    clock,
    universe: fromUser.universe ?? (fromUser.clock ? null : fromSystem.universe),
    interval: fromUser.interval ?? fromSystem.interval,
    step: assistantMessages + 1,
    userTurns,
    calls,
    results,
    earlierAssistantText,
  };
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A tool result as the model sees it: JSON (or JSON text) on success, error text or JSON on failure. */
function readResult(id: string, name: string, output: LanguageModelV4ToolResultOutput): ToolResultRecord {
  switch (output.type) {
    case "json":
      return { id, name, ok: true, value: output.value };
    case "text":
      return { id, name, ok: true, value: parseMaybeJson(output.value) };
    case "content": {
      const text = output.value.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
      return { id, name, ok: true, value: parseMaybeJson(text) };
    }
    case "error-text":
      return { id, name, ok: false, error: output.value.replace(/^Error: /, "") };
    case "error-json":
      return { id, name, ok: false, error: errorText(output.value) };
    case "execution-denied":
      return { id, name, ok: false, error: `not executed${output.reason ? `: ${output.reason}` : ""}` };
  }
}

function errorText(value: unknown): string {
  if (value && typeof value === "object" && "message" in value && typeof value.message === "string") return value.message;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Strategy parameters from the instructions: a fenced ```json block, or a line `Parameters: {…}`.
 * Returns undefined when there is none, or `{ error }` when it is not valid JSON.
 */
export function extractParameterBlock(instructions: string): { value: unknown } | { error: string } | undefined {
  const fenced = /```json\s*([\s\S]*?)```/i.exec(instructions)?.[1];
  const line = /^[ \t]*Parameters:[ \t]*(\{.*\})[ \t]*$/im.exec(instructions)?.[1];
  const text = fenced ?? line;
  if (text === undefined) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `the parameter block is not valid JSON (${(e as Error).message})` };
  }
}
