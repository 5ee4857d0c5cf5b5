import "server-only";
import { createHash } from "node:crypto";
import type postgres from "postgres";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDb, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";

/**
 * Rate limits shared by every process and machine on the database: rate-limiter-flexible's Postgres store
 * on the table `rate_limits.counters` (drizzle/0022_rate_limits.sql; the library never creates it). A limit
 * is a fixed window per key: `points` per `seconds`; the row of a key is one atomic upsert per attempt, so
 * two web processes (or two machines) count the same attempts once. Past the limit, `consume` throws
 * RateLimitedError (kind `limit`, 429) with the seconds until the window ends (Retry-After) and a message in
 * words. The keys are per client address (lib/client-address.ts), per user or per model API token (its id); emails
 * are hashed.
 * A failing database fails the request (500), it does not open the gate.
 */
export interface RateLimit {
  /** Counts `points` attempts for `key`; throws RateLimitedError when that is more than the window allows. */
  consume(key: string, points?: number): Promise<void>;
}

export interface LimitSpec {
  /** Names the counter (part of every key) */
  name: string;
  points: number;
  seconds: number;
  /** What was done too often, in words: "Too many sign-up attempts from your address". */
  what: string;
}

/**
 * rate-limiter-flexible calls `client.query({ text, values, name })` and reads `{ rows, rowCount }` (the
 * `pg` Pool's shape, with storeType "pool"); it accepts no postgres.js client, so this is that shape over
 * the app's own postgres.js pool (no second driver, no second pool). `expire` is a bigint, which postgres.js
 * returns as a string: it is read back as a number, as `pg` with its parser would not either but the library
 * does arithmetic on it. Statements are prepared by postgres.js (by text), so the library's names are unused.
 */
export function postgresJsStore(sql: postgres.Sql) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const rows = await sql.unsafe(q.text, (q.values ?? []) as postgres.ParameterOrJSON<never>[], { prepare: true });
      return {
        rowCount: rows.count,
        rows: rows.map((r) => ({ ...r, expire: r.expire === null || r.expire === undefined ? null : Number(r.expire) })),
      };
    },
  };
}

export function createRateLimit(spec: LimitSpec, db: Db): RateLimit {
  const limiter = new RateLimiterPostgres({
    storeClient: postgresJsStore(db.$client),
    storeType: "pool",
    schemaName: "rate_limits",
    tableName: "counters",
    tableCreated: true,
    keyPrefix: spec.name,
    points: spec.points,
    duration: spec.seconds,
  });
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw new RateLimitedError(`${spec.what}: at most ${spec.points} ${per(spec.seconds)}. Try again in ${inWords(seconds)}.`, seconds);
      }
    },
  };
}

function per(seconds: number): string {
  if (seconds === 60) return "a minute";
  if (seconds === 3600) return "an hour";
  return `in ${inWords(seconds)}`;
}

/** 1 second, 42 seconds, 3 minutes (rounded up past two minutes). */
export function inWords(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** A key part that holds no personal data: an email as the first 32 hex digits of its SHA-256. */
export const hashed = (s: string) => createHash("sha256").update(s.trim().toLowerCase()).digest("hex").slice(0, 32);

/** The limits Bullpen applies, from lib/env.ts (README, "Configuration"). */
export function limitSpecs() {
  return {
    signUp: { name: "sign-up", points: env.RATE_LIMIT_SIGN_UPS_PER_HOUR, seconds: 3600, what: "Too many sign-ups from your address" },
    signInAddress: { name: "sign-in", points: env.RATE_LIMIT_SIGN_INS_PER_MINUTE, seconds: 60, what: "Too many sign-in attempts from your address" },
    signInEmail: { name: "sign-in-email", points: env.AUTH_RATE_LIMIT_PER_MINUTE, seconds: 60, what: "Too many sign-in attempts for this email" },
    refresh: { name: "refresh", points: env.RATE_LIMIT_REFRESHES_PER_MINUTE, seconds: 60, what: "Too many token refreshes from your address" },
    sessions: { name: "sessions", points: env.RATE_LIMIT_SESSIONS_PER_HOUR, seconds: 3600, what: "Too many sessions started" },
    chat: { name: "chat", points: env.RATE_LIMIT_CHAT_PER_MINUTE, seconds: 60, what: "Too many questions to the models" },
    modelToken: { name: "model-token", points: env.RATE_LIMIT_MODEL_TOKEN_PER_MINUTE, seconds: 60, what: "Too many requests with this API token" },
  } satisfies Record<string, LimitSpec>;
}
export type LimitName = keyof ReturnType<typeof limitSpecs>;

const byDb = new WeakMap<Db, Map<LimitName, RateLimit>>();

/** The named limit on `db` (default: the process's pool), created once per pool. */
export function rateLimit(name: LimitName, db: Db = getDb()): RateLimit {
  let limits = byDb.get(db);
  if (!limits) byDb.set(db, (limits = new Map()));
  let limit = limits.get(name);
  if (!limit) limits.set(name, (limit = createRateLimit(limitSpecs()[name], db)));
  return limit;
}
