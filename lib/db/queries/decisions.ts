import "server-only";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Executor, Page } from "@/lib/db/client";
import { runPrepared, timestampOf } from "@/lib/db/prepared";
import { decisions } from "@/lib/db/schema";
import type { DecisionKind } from "@/lib/schemas/session";

/** Decisions are append-only: insert and read, nothing else (a trigger refuses UPDATE and DELETE). */
export type DecisionRow = typeof decisions.$inferSelect;
export type DecisionInsert = typeof decisions.$inferInsert;

const INSERT_DECISION = `
insert into decisions (id, user_id, model_id, session_id, clock, interval, llm, outcome, instructions, prompt, text, tool_calls, steps,
  finish_reason, error, error_code, filled_orders, rejected_orders, tool_errors, input_tokens, output_tokens, cost_usd, latency_ms)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
returning cost_usd::text as "costUsd", created_at as "createdAt"`;

/** One prepared statement (a session inserts one per bar); returns the row as stored. */
export async function insertDecision(tx: Executor, values: DecisionInsert & { userId: string }): Promise<DecisionRow> {
  const row: Omit<DecisionRow, "costUsd" | "createdAt"> = {
    text: "",
    toolCalls: [],
    finishReason: null,
    error: null,
    errorCode: null,
    filledOrders: 0,
    rejectedOrders: 0,
    toolErrors: 0,
    inputTokens: null,
    outputTokens: null,
    ...values,
  };
  const [stored] = await runPrepared<{ costUsd: string | null; createdAt: string }>(tx, INSERT_DECISION, [
    row.id, row.userId, row.modelId, row.sessionId, row.clock, row.interval, row.llm, row.outcome, row.instructions, row.prompt, row.text,
    JSON.stringify(row.toolCalls), row.steps, row.finishReason, row.error, row.errorCode, row.filledOrders, row.rejectedOrders,
    row.toolErrors, row.inputTokens, row.outputTokens, values.costUsd ?? null, row.latencyMs,
  ]);
  return { ...row, costUsd: stored!.costUsd, createdAt: timestampOf(stored!.createdAt) };
}

export async function getDecisionById(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx
    .select()
    .from(decisions)
    .where(and(eq(decisions.id, id), eq(decisions.userId, userId)));
  return row;
}

const KIND_CONDITION: Record<DecisionKind, SQL> = {
  traded: eq(decisions.outcome, "traded"),
  held: eq(decisions.outcome, "held"),
  failed: eq(decisions.outcome, "failed"),
  rejected: gt(decisions.rejectedOrders, 0),
  "tool-errors": gt(decisions.toolErrors, 0),
};

/** A session's decisions in clock order, all or one kind; `page` reads only that slice (the database skips the rest). */
export function listDecisionsBySession(tx: Executor, { sessionId, userId, show }: { sessionId: string; userId: string; show?: DecisionKind }, page?: Page) {
  const q = tx
    .select()
    .from(decisions)
    .where(and(eq(decisions.sessionId, sessionId), eq(decisions.userId, userId), show ? KIND_CONDITION[show] : undefined))
    .orderBy(asc(decisions.clock), asc(decisions.createdAt), asc(decisions.id)) // id: a total order, so pages neither repeat nor skip rows
    .$dynamic();
  return page ? q.limit(page.limit).offset(page.offset) : q;
}
