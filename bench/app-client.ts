import type { ChildProcess } from "node:child_process";

/** The publishable key of the built-in auth (lib/supabase/config.ts), as a browser sends it. */
const KEY = "sb_publishable_bullpen_local";

/**
 * JSON over the app's HTTP API at `base`, as supabase-js and the API's clients send it: the publishable key,
 * a bearer token when given, a body as JSON. A non-2xx answer throws with its status and text.
 */
export function appClient(base: string) {
  return async function api<T>(p: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
    const res = await fetch(`${base}${p}`, {
      method: init.method ?? "GET",
      headers: { "content-type": "application/json", apikey: KEY, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${p}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
}

/** Until `base` serves the sign-in page; throws when `child` (the app) exits first or after `timeoutMs`. */
export async function waitForApp(base: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/sign-in`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer within ${timeoutMs / 1000} s`);
}
