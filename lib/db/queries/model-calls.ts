import "server-only";
import type { Db, Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { oneStatementAsCore, type Claims } from "@/lib/db/rls";

/** Model calls are append-only: insert and read (drizzle/0020). */
export interface ModelCallWrite {
  id: string;
  userId: string;
  modelId: string;
  sessionId: string;
  barIndex: number;
  decisionId: string;
  callIndex: number;
  provider: string;
  providerModel: string;
  requestDigest: string;
  response: unknown;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
}

const INSERT_MODEL_CALLS = `
insert into model_calls (id, user_id, model_id, session_id, bar_index, decision_id, call_index, provider, provider_model, request_digest,
                         response, input_tokens, output_tokens, latency_ms)
select x.id, x.user_id, x.model_id, x.session_id, x.bar_index, x.decision_id, x.call_index, x.provider, x.provider_model, x.request_digest,
       x.response, x.input_tokens, x.output_tokens, x.latency_ms
from jsonb_to_recordset($1::text::jsonb) as x(id uuid, user_id uuid, model_id uuid, session_id uuid, bar_index int, decision_id uuid, call_index int,
  provider text, provider_model text, request_digest text, response jsonb, input_tokens int, output_tokens int, latency_ms int)
on conflict (session_id, bar_index, call_index) do nothing`;

/** Inserts calls in one statement (a built-in's, with its bar); a call already recorded (same bar and index) is left as it was. */
export async function insertModelCalls(tx: Executor, calls: readonly ModelCallWrite[]): Promise<void> {
  if (calls.length === 0) return;
  const rows = calls.map((c) => ({
    id: c.id,
    user_id: c.userId,
    model_id: c.modelId,
    session_id: c.sessionId,
    bar_index: c.barIndex,
    decision_id: c.decisionId,
    call_index: c.callIndex,
    provider: c.provider,
    provider_model: c.providerModel,
    request_digest: c.requestDigest,
    response: c.response,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    latency_ms: c.latencyMs,
  }));
  await runPrepared(tx, INSERT_MODEL_CALLS, [JSON.stringify(rows)]);
}

/** A recorded call as read back (who owns it is the caller's: RLS and the WHERE). */
export type ModelCallRow = Omit<ModelCallWrite, "id" | "userId" | "modelId" | "sessionId" | "decisionId">;

const MODEL_CALLS_OF_DECISION = `
select bar_index as "barIndex", call_index as "callIndex", provider, provider_model as "providerModel", request_digest as "requestDigest",
       response, input_tokens as "inputTokens", output_tokens as "outputTokens", latency_ms as "latencyMs"
from model_calls
where decision_id = $1 and user_id = $2
order by call_index`;

/** The calls behind one decision, in order. */
export function listModelCallsByDecision(tx: Executor, { decisionId, userId }: { decisionId: string; userId: string }): Promise<ModelCallRow[]> {
  return runPrepared<ModelCallRow>(tx, MODEL_CALLS_OF_DECISION, [decisionId, userId]);
}

const RECORD_MODEL_CALL = `
with ins as (
  insert into model_calls (id, user_id, model_id, session_id, bar_index, decision_id, call_index, provider, provider_model, request_digest,
                           response, input_tokens, output_tokens, latency_ms)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12, $13, $14)
  on conflict (session_id, bar_index, call_index) do nothing
  returning 1
)
select (select count(*) from ins)::int as inserted, m.request_digest as "requestDigest", m.response
from (select 1) one
left join model_calls m on m.session_id = $4 and m.bar_index = $5 and m.call_index = $7 and not exists (select 1 from ins)`;

export interface RecordedModelCall {
  inserted: number;
  requestDigest: string | null;
  response: unknown;
}

/**
 * Records one call as it returns, in its own one-statement transaction as the trading core for `claims`'
 * user; when the bar's record already held that call (another runner of the bar was first), returns the
 * stored one (`inserted` 0). Committed without waiting for the WAL flush (rls.ts ASYNC_COMMIT): a database
 * crash may lose the last calls, but then also every bar committed after them (the log is in order), so the
 * bar they belong to is run again and asks the model again; nothing recorded ever rests on a lost call.
 */
export async function recordModelCall(db: Db, claims: Claims, c: ModelCallWrite): Promise<RecordedModelCall> {
  const [row] = await oneStatementAsCore<RecordedModelCall>(claims, RECORD_MODEL_CALL, [
    c.id, c.userId, c.modelId, c.sessionId, c.barIndex, c.decisionId, c.callIndex, c.provider, c.providerModel, c.requestDigest,
    JSON.stringify(c.response), c.inputTokens, c.outputTokens, c.latencyMs,
  ], db, { asyncCommit: true });
  return row!;
}
