import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromError } from "@/lib/api/respond";
import { actionResult } from "@/lib/auth/action";
import { clientAddress } from "@/lib/client-address";
import { LOCAL_PUBLISHABLE_KEY } from "@/lib/supabase/config";
import { RateLimitedError } from "@/lib/errors";
import { askSessionModel } from "@/lib/services/session-chat";
import { createSessions } from "@/lib/services/sessions/create";
import { startAuthServer } from "@/tests/support/auth-server";
import { spawnAuthServer } from "@/tests/support/auth-server-process";
import { adminSql, createUser, databaseUrl, testDb } from "@/tests/support/database";
import { exited } from "@/tests/support/worker-process";
import { createRateLimit } from "./rate-limit";

/**
 * Rate limits shared through the database (lib/rate-limit.ts): two auth servers in two processes count the
 * same attempts once; a client's own X-Forwarded-For entries never change its address; a 429 says when to
 * try again (Retry-After) and why, in words; sign-up, sign-in, token refresh, starting sessions and the chat
 * are each limited.
 */
const admin = adminSql();
const { db, client } = testDb(4);
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const c of children) {
    c.kill("SIGTERM");
    await exited(c);
  }
  await admin.end();
  await client.end();
});

const PASSWORD = "correct horse battery staple";
const email = () => `rl-${randomUUID().slice(0, 8)}@example.com`;

function post(origin: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin}/auth/v1${path}`, {
    method: "POST",
    headers: { apikey: LOCAL_PUBLISHABLE_KEY, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
const signIn = (origin: string, e: string, headers: Record<string, string> = {}) => post(origin, "/token?grant_type=password", { email: e, password: PASSWORD }, headers);
const signUp = (origin: string, headers: Record<string, string> = {}) => post(origin, "/signup", { email: email(), password: PASSWORD }, headers);

describe("two processes, one count", () => {
  const prefix = randomUUID();
  let here: Awaited<ReturnType<typeof startAuthServer>>;
  let there: { child: ChildProcess; origin: string };

  beforeAll(async () => {
    const options = { prefix, limits: { signInAddress: 7 } };
    here = await startAuthServer(db, options);
    there = await spawnAuthServer(databaseUrl(), options, children);
  }, 60_000);
  afterAll(async () => {
    await here?.close();
  });

  it("accepts exactly the limit of attempts sent at once to both, each with its own spoofed X-Forwarded-For", async () => {
    const e = email();
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => signIn(i % 2 ? there.origin : here.origin, e, { "x-forwarded-for": `10.0.0.${i}` })),
    );
    const statuses = answers.map((r) => r.status);
    // 400 invalid_credentials: the attempt was counted and let through (the user does not exist).
    expect(statuses.filter((s) => s === 400)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    const body = (await limited.json()) as { code: string; message: string };
    expect(body.code).toBe("over_request_rate_limit");
    expect(body.message).toMatch(/^Too many sign-in attempts from your address: at most 7 a minute\. Try again in \d+ seconds?\.$/);
    // Still limited in both processes, whatever the header says.
    for (const origin of [here.origin, there.origin]) {
      expect((await signIn(origin, email(), { "x-forwarded-for": "192.0.2.200" })).status).toBe(429);
      expect((await signIn(origin, email())).status).toBe(429);
    }
  });
});

describe("the client address", () => {
  const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

  it("with no trusted proxy is the socket's: X-Forwarded-For is never read", () => {
    expect(clientAddress(h(), 0)).toBe("socket");
    expect(clientAddress(h("203.0.113.9"), 0)).toBe("socket");
    expect(clientAddress(h("1.1.1.1, 203.0.113.9"), 0)).toBe("socket");
  });

  it("with N trusted proxies is the N-th entry from the right, whatever the client put left of it", () => {
    expect(clientAddress(h("1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(h("evil, 1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(h("evil, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientAddress(h("::ffff:203.0.113.9"), 1)).toBe("203.0.113.9");
    // Fewer entries than proxies (Next filled in its socket's address): the leftmost.
    expect(clientAddress(h("127.0.0.1"), 2)).toBe("127.0.0.1");
    expect(clientAddress(h(), 1)).toBe("socket");
  });

  it("sign-up is limited per address; a spoofed first X-Forwarded-For entry does not reset it (0 and 1 trusted hops)", async () => {
    const direct = await startAuthServer(db, { limits: { signUp: 2 } });
    const proxied = await startAuthServer(db, { limits: { signUp: 2 }, trustedProxyHops: 1 });
    try {
      const direct_ = [];
      for (let i = 0; i < 4; i++) direct_.push((await signUp(direct.origin, { "x-forwarded-for": `198.51.100.${i}` })).status);
      expect(direct_).toEqual([200, 200, 429, 429]);

      // Behind one proxy: the proxy appended 203.0.113.7; the client's own entries vary.
      const behind = [];
      for (let i = 0; i < 4; i++) behind.push((await signUp(proxied.origin, { "x-forwarded-for": `198.51.100.${i}, 203.0.113.7` })).status);
      expect(behind).toEqual([200, 200, 429, 429]);
      // Another client behind the same proxy has its own count.
      expect((await signUp(proxied.origin, { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
      const limited = await signUp(proxied.origin, { "x-forwarded-for": "spoof, 203.0.113.7" });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await limited.json()) as { message: string }).message).toMatch(/^Too many sign-ups from your address: at most 2 an hour\. Try again in \d+ (seconds|minutes)\.$/);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

describe("what is limited", () => {
  it("sign-in per email, from any address", async () => {
    const server = await startAuthServer(db, { limits: { signInEmail: 2 }, trustedProxyHops: 1 });
    try {
      const e = email();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await signIn(server.origin, e, { "x-forwarded-for": `203.0.113.${i}` })).status);
      expect(statuses).toEqual([400, 400, 429]);
      expect((await signIn(server.origin, email(), { "x-forwarded-for": "203.0.113.2" })).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it("token refresh per address", async () => {
    const server = await startAuthServer(db, { limits: { refresh: 2 } });
    try {
      const signedUp = (await (await signUp(server.origin)).json()) as { refresh_token: string };
      let token = signedUp.refresh_token;
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await post(server.origin, "/token?grant_type=refresh_token", { refresh_token: token }, { "x-forwarded-for": `10.1.1.${i}` });
        statuses.push(res.status);
        if (res.ok) token = ((await res.json()) as { refresh_token: string }).refresh_token;
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await server.close();
    }
  });

  it("starting sessions per user: the API answers 429 RATE_LIMITED with Retry-After, a server action { ok: false, message }", async () => {
    const user = await createUser(admin, "rl-sessions");
    const other = await createUser(admin, "rl-other");
    const sessionLimit = createRateLimit({ name: `${randomUUID()}:sessions`, points: 3, seconds: 3600, what: "Too many sessions started" }, db);
    const request = { modelId: randomUUID(), kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-31" };
    const deps = { db, jobs: { enqueueRun: async () => {} } as never, sessionLimit };
    // Two requests of two: the first counts 2 (and fails on its unknown model), the second would be 4.
    await expect(createSessions(user.ctx, [request, request], deps)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const err = await createSessions(user.ctx, [request, request], deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    const res = fromError(err);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.message).toMatch(/^Too many sessions started: at most 3 an hour\. Try again in \d+ minutes\.$/);
    const action = await actionResult("test", () => createSessions(user.ctx, [request], deps).then(() => ({})));
    expect(action).toEqual({ ok: false, message: "Too many sessions started: at most 3 an hour. Try again in 60 minutes.", fieldErrors: {} });
    // Another user's count is their own.
    await expect(createSessions(other.ctx, [request], deps)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("questions to the chat per user, before any model is asked", async () => {
    const user = await createUser(admin, "rl-chat");
    const chatLimit = createRateLimit({ name: `${randomUUID()}:chat`, points: 2, seconds: 60, what: "Too many questions to the models" }, db);
    const codes = [];
    for (let i = 0; i < 3; i++) {
      codes.push(await askSessionModel(user.ctx, randomUUID(), "Why?", { db, chatLimit }).catch((e: { code?: string }) => e.code));
    }
    // The first two pass the limit and find no such session; the third is refused before that.
    expect(codes).toEqual(["NOT_FOUND", "NOT_FOUND", "RATE_LIMITED"]);
  });

  it("keeps its counts where the Data API cannot write them", async () => {
    const [row] = await admin<{ anon: boolean; authenticated: boolean }[]>`
      select has_schema_privilege('anon', 'rate_limits', 'usage') as anon, has_schema_privilege('authenticated', 'rate_limits', 'usage') as authenticated`;
    expect(row).toEqual({ anon: false, authenticated: false });
  });
});
