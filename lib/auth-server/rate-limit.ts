import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AuthError } from "./errors";

/** Per-key fixed window: sign-in is keyed by client and email, sign-up by client. */
export function createAuthRateLimiter(pointsPerMinute: number) {
  const limiter = new RateLimiterMemory({ points: pointsPerMinute, duration: 60 });
  return async function consume(key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.ceil(res.msBeforeNext / 1000);
      throw new AuthError(429, "over_request_rate_limit", `Too many attempts. Try again in ${seconds} seconds.`);
    }
  };
}
export type ConsumeRateLimit = ReturnType<typeof createAuthRateLimiter>;
