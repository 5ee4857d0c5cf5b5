import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/**
 * session_events: numbered per session (seq 1, 2, 3…), append-only, announced by NOTIFY at commit
 * (drizzle/0010). Written by setTradingSessionStatus and recordBar (queries/sessions.ts).
 */
export interface SessionEventRow {
  sessionId: string;
  seq: number;
  type: "status" | "decision" | "order" | "fill" | "equity";
  at: string | null;
  payload: Record<string, unknown>;
}

const EVENTS_AFTER = `
select session_id as "sessionId", seq::float8 as seq, type, at, payload
from session_events
where session_id = $1 and user_id = $2 and seq > $3
order by seq
limit $4`;

/** Events after `afterSeq`, oldest first (as the user: RLS applies). */
export function listSessionEventsAfter(
  tx: Executor,
  { sessionId, userId, afterSeq, limit }: { sessionId: string; userId: string; afterSeq: number; limit: number },
): Promise<SessionEventRow[]> {
  return runPrepared<SessionEventRow>(tx, EVENTS_AFTER, [sessionId, userId, afterSeq, limit]);
}

// LATERAL: one index range scan of the primary key (session_id, seq) per session asked for; a plain join
// on json_to_recordset lets the planner guess its size and scan the whole table.
const EVENTS_OF_MANY_AFTER = `
select e.session_id as "sessionId", e.seq::float8 as seq, e.type, e.at, e.payload
from json_to_recordset($1::text::json) as w(s uuid, u uuid, a bigint)
cross join lateral (
  select session_id, seq, type, at, payload from session_events
  where session_id = w.s and seq > w.a and user_id = w.u
  order by seq limit $2
) e
order by e.session_id, e.seq
limit $2`;

/**
 * New events of several sessions in one statement, for the SSE fan-out (lib/services/sessions/event-hub.ts).
 * Runs as the server: callers pass only sessions whose stream was authorised under RLS, with their owner.
 */
export function listEventsOfSessionsAfter(
  db: Executor,
  wants: readonly { sessionId: string; userId: string; afterSeq: number }[],
  limit: number,
): Promise<SessionEventRow[]> {
  const json = JSON.stringify(wants.map((w) => ({ s: w.sessionId, u: w.userId, a: w.afterSeq })));
  return runPrepared<SessionEventRow>(db, EVENTS_OF_MANY_AFTER, [json, limit]);
}
