import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { env } from "@/lib/env";
import { reconnectBackoff, type Db } from "./client";

/**
 * Is the database there? Asked where an answer in words beats a failure halfway: before a signed-in page
 * renders (proxy.ts: Next cannot give a page that threw any status but 500, so a page that needs the
 * database is answered 503 before it starts), and by a session's runner waiting out an outage
 * (lib/services/sessions/runner.ts). docs/sessions.md, "Database outage".
 */

/** A verdict holds this long: a process asks at most once a second, however many pages it serves. */
const VERDICT_MS = 1_000;
/** Longer than this without an answer counts as down (a server that hangs rather than refuses). */
const ANSWER_WITHIN_MS = 3_000;

interface Health {
  sql: postgres.Sql;
  askedAt: number;
  answers: Promise<boolean>;
  /** The last verdict given. */
  up: boolean;
}

const globalForHealth = globalThis as unknown as { bullpenDbHealth?: Health };

/**
 * Whether the database answers `select 1` within 3 s, on a connection of its own; callers within a second
 * of the last ask share its verdict. True when no DATABASE_URL is set (then there is nothing to ask).
 */
export function databaseAnswers(url = env.DATABASE_URL): Promise<boolean> {
  if (!url) return Promise.resolve(true);
  const health = (globalForHealth.bullpenDbHealth ??= newHealth(url));
  const now = performance.now();
  if (now - health.askedAt >= VERDICT_MS) {
    health.askedAt = now;
    health.answers = ask(health.sql).then((up) => (health.up = up));
  }
  return health.answers;
}

function newHealth(url: string): Health {
  const verdict = { askedAt: -Infinity, answers: Promise.resolve(true), up: true };
  const sql = postgres(url, {
    max: 1,
    connect_timeout: ANSWER_WITHIN_MS / 1000,
    idle_timeout: 60,
    backoff: reconnectBackoff,
    onnotice: () => {},
    // Its connection closed while the database was up (a shutdown ends every connection at once, this one
    // too): that verdict is stale, so the next page asks again rather than render against a database that is
    // going. (While it is down, each refused attempt closes too: those keep the verdict for its second.)
    onclose: () => void (verdict.up && (verdict.askedAt = -Infinity)),
  });
  return Object.assign(verdict, { sql });
}

async function ask(client: postgres.Sql): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS)));
  try {
    return await Promise.race([client`select 1`.then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the database answers on `db`, asking every half second; false when `giveUp()` says so (the
 * worker is stopping) or `timeoutMs` passed first.
 */
export async function waitForDatabase(db: Db, { giveUp = () => false, timeoutMs = 300_000 }: { giveUp?: () => boolean; timeoutMs?: number } = {}): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await db.execute(sql`select 1`);
      return true;
    } catch {
      if (giveUp() || performance.now() >= deadline) return false;
      await sleep(500);
    }
  }
}
