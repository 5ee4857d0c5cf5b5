import type { StepResult, ToolSet } from "ai";
import { isTradingToolName } from "../tool-contract";

/** The tools whose result is one order: its id, status and whether the call had placed it before. */
const ONE_ORDER = new Set(["place_order", "replace_order", "close_position", "reduce_position"]);
import type { ToolExecution } from "../tool-runtime";

/**
 * What a decision stores of each tool call: its arguments and its result or error, in call order, from
 * the steps the AI SDK completed plus the executions the tools logged themselves (a step cut short by a
 * timeout or a provider error never reaches the SDK's step list, but its tools may have run).
 */
export interface ToolCallRecord {
  id: string;
  /** 1-based model step that made the call. */
  step: number;
  name: string;
  input: unknown;
  ok: boolean;
  output?: unknown;
  error?: string;
  /** The SDK refused the call before running it: unknown tool or arguments that fail the schema. */
  invalid?: true;
  orderId?: string | null;
  orderStatus?: string;
  duplicate?: boolean;
  /** Set when the call ran in a step that never completed (the model never saw its result). */
  note?: string;
}

type Step = Pick<StepResult<ToolSet>, "content">;

const errorText = (e: unknown) => (e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e));

/** get_bars results are summarised (they can be re-read from the bars table at the clock); the rest is kept. */
export function recordedOutput(name: string, output: unknown): unknown {
  if (name !== "get_bars" || typeof output !== "object" || output === null) return output;
  const { symbol, interval, bars } = output as { symbol?: string; interval?: string; bars?: { t: string; c: number }[] };
  if (!Array.isArray(bars)) return output;
  return { symbol, interval, bars: bars.length, first: bars[0]?.t ?? null, last: bars.at(-1)?.t ?? null, lastClose: bars.at(-1)?.c ?? null };
}

function withTrade(record: ToolCallRecord): ToolCallRecord {
  if (!record.ok || !(isTradingToolName(record.name) || ONE_ORDER.has(record.name))) return record;
  type One = { orderId?: string | null; status?: string; duplicate?: boolean };
  const out = record.output as (One & { order?: One }) | undefined;
  const order = out?.order ?? out; // close_position and reduce_position answer their order under `order`
  return { ...record, orderId: order?.orderId ?? null, orderStatus: order?.status, duplicate: out?.duplicate ?? false };
}

export function buildToolCallRecords(steps: readonly Step[], executions: readonly ToolExecution[]): ToolCallRecord[] {
  const records: ToolCallRecord[] = [];
  steps.forEach((step, i) => {
    const calls = new Map<string, ToolCallRecord>();
    for (const part of step.content) {
      if (part.type === "tool-call") {
        const rec: ToolCallRecord = { id: part.toolCallId, step: i + 1, name: part.toolName, input: part.input, ok: false };
        if ((part as { invalid?: boolean }).invalid) rec.invalid = true;
        calls.set(part.toolCallId, rec);
        records.push(rec);
      } else if (part.type === "tool-result") {
        const rec = calls.get(part.toolCallId);
        if (rec) Object.assign(rec, { ok: true, output: recordedOutput(rec.name, part.output) });
      } else if (part.type === "tool-error") {
        const rec = calls.get(part.toolCallId);
        if (rec) Object.assign(rec, { ok: false, error: errorText(part.error) });
      }
    }
    for (const rec of calls.values()) if (!rec.ok && rec.error === undefined) rec.error = "no result: the tool did not run";
  });

  // Executions the steps do not account for (matched per tool-call id, in order) ran in an unfinished step.
  const seen = new Map<string, number>();
  for (const r of records) if (!r.invalid) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  const unfinishedStep = steps.length + 1;
  for (const e of [...executions].sort((a, b) => a.startedAt - b.startedAt)) {
    const left = seen.get(e.toolCallId) ?? 0;
    if (left > 0) {
      seen.set(e.toolCallId, left - 1);
      continue;
    }
    records.push({
      id: e.toolCallId,
      step: unfinishedStep,
      name: e.toolName,
      input: e.input,
      ok: e.state === "ok",
      ...(e.state === "ok" ? { output: recordedOutput(e.toolName, e.output) } : { error: e.error ?? "still running when the decision ended" }),
      note: "ran in a step that did not complete: the model never saw this result",
    });
  }
  return records.map(withTrade);
}
