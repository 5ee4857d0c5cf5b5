/** Test helper: a `fetch` that replays recorded responses from ./provider-fixtures and keeps every request it saw. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isProviderError, type ProviderError } from "@/lib/market/providers/errors";
import type { FetchLike } from "@/lib/market/providers/provider";

export interface Recorded {
  status: number;
  headers?: Record<string, string>;
  /** JSON, or a string served as-is (Yahoo's 429 is plain text). */
  body: unknown;
}

export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
}

export function fixture(name: string): Recorded {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./provider-fixtures/${name}`, import.meta.url)), "utf8")) as Recorded;
}

/** Serves `responses` in order (fixture names or objects); asking for more is a test failure. */
export function recordedFetch(...responses: (string | Recorded)[]): { fetch: FetchLike; seen: SeenRequest[] } {
  const queue = responses.map((r) => (typeof r === "string" ? fixture(r) : r));
  const seen: SeenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, headers: Object.fromEntries(new Headers(init.headers).entries()) });
    const next = queue.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    const text = typeof next.body === "string" ? next.body : JSON.stringify(next.body);
    return new Response(text, { status: next.status, headers: next.headers });
  };
  return { fetch, seen };
}

/**
 * Serves each request by its URL (for requests sent concurrently, whose order is not fixed): `route` names the
 * fixture or gives the response. `inFlight` tracks how many requests were open at once; each answers after a timer,
 * so concurrent requests do overlap.
 */
export function routedFetch(route: (url: URL) => string | Recorded): { fetch: FetchLike; seen: SeenRequest[]; maxInFlight: () => number } {
  const seen: SeenRequest[] = [];
  let open = 0;
  let max = 0;
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, headers: Object.fromEntries(new Headers(init.headers).entries()) });
    open++;
    max = Math.max(max, open);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const r = route(new URL(url));
      const next = typeof r === "string" ? fixture(r) : r;
      const text = typeof next.body === "string" ? next.body : JSON.stringify(next.body);
      return new Response(text, { status: next.status, headers: next.headers });
    } finally {
      open--;
    }
  };
  return { fetch, seen, maxInFlight: () => max };
}

/** A fetch that fails like Node's does when the host cannot be resolved. */
export const unreachableFetch: FetchLike = async () => {
  throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND api.example.invalid") });
};

/** The ProviderError a promise rejects with; anything else (or success) fails the test. */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isProviderError(e)) throw new Error(`expected a ProviderError, got ${String(e)}`);
  return e;
}
