import "server-only";
import type { Db } from "@/lib/db/client";
import { RateLimitedError } from "@/lib/errors";
import { createRateLimit, limitSpecs, rateLimit, type LimitSpec, type RateLimit } from "@/lib/rate-limit";
import { AuthError } from "./errors";

/** The built-in auth's limits (lib/rate-limit.ts): per client address, and sign-in also per email. */
export interface AuthLimits {
  signUp: RateLimit;
  signInAddress: RateLimit;
  signInEmail: RateLimit;
  refresh: RateLimit;
}

/** The app's limits on `db`, shared with every other process on that database. */
export function authLimits(db?: Db): AuthLimits {
  return { signUp: rateLimit("signUp", db), signInAddress: rateLimit("signInAddress", db), signInEmail: rateLimit("signInEmail", db), refresh: rateLimit("refresh", db) };
}

/** Limits with other numbers (tests), each counter under `prefix` so that nothing else shares it. */
export function customAuthLimits(db: Db, prefix: string, points: Partial<Record<keyof AuthLimits, number>>): AuthLimits {
  const specs = limitSpecs();
  const make = (name: keyof AuthLimits) => {
    const spec: LimitSpec = specs[name];
    return createRateLimit({ ...spec, name: `${prefix}:${spec.name}`, points: points[name] ?? spec.points }, db);
  };
  return { signUp: make("signUp"), signInAddress: make("signInAddress"), signInEmail: make("signInEmail"), refresh: make("refresh") };
}

/** Counts one attempt; past the limit, Supabase's 429 (`over_request_rate_limit`) with Retry-After. */
export async function consumeAuth(limit: RateLimit, key: string): Promise<void> {
  try {
    await limit.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimitedError)) throw err;
    throw new AuthError(429, "over_request_rate_limit", err.message, {}, { "retry-after": String(err.retryAfterSeconds) });
  }
}
