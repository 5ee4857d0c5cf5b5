import "server-only";
import type { Db } from "@/lib/db/client";
import { oneStatementAsCore, oneStatementAsUser, type Claims } from "@/lib/db/rls";
import { SESSION_BOOK, type SessionBookRow } from "./positions";

/**
 * A runner's claim of a session, in ONE statement (its own transaction, rls.ts oneStatementAs): under the
 * row lock, a `pending` session becomes `running` with its `status` event and the notification a status
 * change sends; a `running` one is taken over. Either way the runner's fencing token is written. Nothing
 * changes for any other status. Returns the status the session had (null: not the user's, or gone).
 */
const CLAIM_SESSION = `
with cur as (
  select status from trading_sessions where id = $1 and user_id = $2 for update
), s as (
  update trading_sessions t
  set runner_id = $3, heartbeat_at = now(), updated_at = now(), status = 'running',
      event_seq = t.event_seq + (c.status = 'pending')::int,
      started_at = case when c.status = 'pending' then coalesce(t.started_at, now()) else t.started_at end
  from cur c
  where t.id = $1 and t.user_id = $2 and c.status in ('pending', 'running')
  returning t.event_seq, c.status as before
), e as (
  insert into session_events (session_id, user_id, seq, type, at, payload)
  select $1, $2, s.event_seq, 'status', null, '{"status": "running", "from": "pending"}'::jsonb from s where s.before = 'pending'
  returning seq
)
select (select status from cur) as status, (select count(*) from s)::int as claimed,
       (select pg_notify('session_control', $1::text || ':running') from e) as notified`;

export interface SessionClaim {
  /** The status before the claim; null when the session is not the user's. */
  status: string | null;
  /** Whether this runner now holds the session. */
  claimed: boolean;
}

export async function claimSessionRun(db: Db, claims: Claims, { id, runnerId }: { id: string; runnerId: string }): Promise<SessionClaim> {
  // Committed without waiting for the WAL flush (rls.ts ASYNC_COMMIT): a database crash that loses it loses
  // every later write of this runner too (the log is in order), and the job, retried, claims again.
  const [row] = await oneStatementAsCore<{ status: string | null; claimed: number }>(claims, CLAIM_SESSION, [id, claims.sub, runnerId], db, { asyncCommit: true });
  return { status: row?.status ?? null, claimed: (row?.claimed ?? 0) > 0 };
}

/**
 * Everything a runner needs after its claim, in ONE read as the owner: the session's run settings, its
 * model (the stored key), its book (positions.ts SESSION_BOOK, $1 and $2 the same; money as text, never a JSON number; its
 * working orders with it) and the model calls
 * recorded for the bars from the cursor on (the replayed session's, for an exact replay).
 */
const SESSION_RUN = `
select s.status, s.model_id as "modelId", s.interval, s.settings, s.llm, s.instructions, s.symbols, s.schedule, s.cursor,
       s.decide_every as "decideEvery", s.seed, s.max_steps as "maxSteps", s.decision_timeout_ms as "decisionTimeoutMs",
       s.pace_ms as "paceMs", s.replay_of as "replayOf",
       (select json_build_object('id', m.id, 'userId', m.user_id, 'apiKeyCiphertext', m.api_key_ciphertext)
          from models m where m.id = s.model_id and m.user_id = s.user_id) as model,
       (select json_build_object('modelId', b."modelId", 'cash', b.cash::text, 'feesPaid', b."feesPaid"::text,
                 'borrowFeesPaid', b."borrowFeesPaid"::text, 'realizedPnl', b."realizedPnl"::text, 'positions', b.positions, 'keys', b.keys, 'working', b.working,
                 'cancelRequests', b."cancelRequests", 'marginCall', b."marginCall")
          from (${SESSION_BOOK}) b) as book,
       (select coalesce(json_agg(json_build_object('barIndex', c.bar_index, 'callIndex', c.call_index,
                 'requestDigest', c.request_digest, 'response', c.response) order by c.bar_index, c.call_index), '[]'::json)
          from model_calls c where c.session_id = coalesce(s.replay_of, s.id) and c.user_id = s.user_id and c.bar_index >= s.cursor) as calls
from trading_sessions s
where s.id = $1 and s.user_id = $2`;

export interface SessionRunRow {
  status: string;
  modelId: string;
  interval: string;
  settings: unknown;
  llm: string;
  instructions: string;
  symbols: string[];
  schedule: string[];
  cursor: number;
  decideEvery: number;
  seed: number;
  maxSteps: number;
  decisionTimeoutMs: number;
  paceMs: number;
  replayOf: string | null;
  /** Null when the model was deleted. */
  model: { id: string; userId: string; apiKeyCiphertext: string | null } | null;
  book: SessionBookRow | null;
  calls: { barIndex: number; callIndex: number; requestDigest: string; response: unknown }[];
}

export async function readSessionRun(db: Db, claims: Claims, { id }: { id: string }): Promise<SessionRunRow | undefined> {
  const [row] = await oneStatementAsUser<SessionRunRow>(claims, SESSION_RUN, [id, claims.sub], db);
  return row;
}
