import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { AppError } from "@/lib/errors";
import type { SessionStatus } from "./sessions";

/**
 * The turn of a session an outside agent drives (docs/sessions.md, "Sessions an outside agent drives";
 * lib/services/sessions/external-turn.ts): the session's state a call of the turn needs, and the call's record.
 */
export interface ExternalTurnRow {
  id: string;
  userId: string;
  modelId: string;
  status: SessionStatus;
  driver: "model" | "external";
  llm: string;
  interval: string;
  symbols: string[];
  settings: unknown;
  schedule: string[];
  cursor: number;
  totalBars: number;
  runnerId: string | null;
  turnBar: number | null;
  turnCalls: unknown;
  /** The account's last mark (decimal text); null before the first bar. */
  equity: string | null;
  /** The name of the token driving it (the last that made a call, or the one that started it); null: none yet. */
  drivenBy: string | null;
}

const TURN = `
select s.id, s.user_id as "userId", s.model_id as "modelId", s.status, s.driver, s.llm, s.interval, s.symbols, s.settings,
       s.schedule, s.cursor, s.total_bars as "totalBars", s.runner_id as "runnerId", s.turn_bar as "turnBar", s.turn_calls as "turnCalls",
       (select a.equity::text from accounts a where a.session_id = s.id and a.user_id = s.user_id) as equity,
       (select t.name from model_tokens t where t.id = s.driver_token_id and t.user_id = s.user_id) as "drivenBy"
from trading_sessions s where s.id = $1 and s.user_id = $2`;

/** The session's turn state (the owner's; undefined otherwise), locked FOR UPDATE of the session row unless `lock` is false. */
export async function lockExternalTurn(tx: Executor, { id, userId, lock = true }: { id: string; userId: string; lock?: boolean }): Promise<ExternalTurnRow | undefined> {
  const [row] = await runPrepared<ExternalTurnRow>(tx, lock ? `${TURN} for update of s` : TURN, [id, userId]);
  return row;
}

/**
 * Records the turn's calls (all of them, the new one last) at `bar` with a new fence token, and the token that made
 * the call as the session's driver; under the row lock the caller holds (lockExternalTurn), still running at that bar.
 */
export async function recordTurnCall(
  tx: Executor,
  c: { id: string; userId: string; bar: number; calls: unknown[]; runnerId: string; tokenId: string | null },
): Promise<void> {
  const rows = await runPrepared<{ id: string }>(
    tx,
    `update trading_sessions
     set turn_bar = $3, turn_calls = $4::text::jsonb, runner_id = $5, heartbeat_at = now(), updated_at = now(),
         driver_token_id = coalesce($6::uuid, driver_token_id)
     where id = $1 and user_id = $2 and cursor = $3 and status = 'running' and driver = 'external'
     returning id`,
    [c.id, c.userId, c.bar, JSON.stringify(c.calls), c.runnerId, c.tokenId],
  );
  if (rows.length !== 1) throw new AppError("retry", "TURN_MOVED", `the turn of session ${c.id} at bar ${c.bar} moved under its lock`);
}

/** Read by the worker as the server role (the timeout job carries only the session id and bar): owner, state, idle time. */
export async function getExternalTurnOwner(
  db: Executor,
  { id }: { id: string },
): Promise<{ userId: string; modelId: string; driver: string; status: SessionStatus; cursor: number; idleSeconds: number } | undefined> {
  const [row] = await runPrepared<{ userId: string; modelId: string; driver: string; status: SessionStatus; cursor: number; idleSeconds: number }>(
    db,
    `select user_id as "userId", model_id as "modelId", driver, status, cursor,
            extract(epoch from now() - coalesce(heartbeat_at, updated_at))::float8 as "idleSeconds"
     from trading_sessions where id = $1`,
    [id],
  );
  return row;
}

/** The outcome of a decision (the end of a turn), as the user reads it. */
export async function getDecisionOutcome(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await runPrepared<{ outcome: string; filledOrders: number; rejectedOrders: number }>(
    tx,
    `select outcome, filled_orders as "filledOrders", rejected_orders as "rejectedOrders" from decisions where id = $1 and user_id = $2`,
    [id, userId],
  );
  return row;
}
