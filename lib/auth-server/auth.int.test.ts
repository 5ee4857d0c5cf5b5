import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthServer } from "@/tests/support/auth-server";
import { adminSql, testDb } from "@/tests/support/database";
import { LOCAL_PUBLISHABLE_KEY } from "@/lib/supabase/config";

const { db, client } = testDb();
const admin = adminSql();
let server: Awaited<ReturnType<typeof startAuthServer>>;

const supabase = (): SupabaseClient =>
  createClient(server.origin, LOCAL_PUBLISHABLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
const email = () => `u-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  server = await startAuthServer(db);
});
afterAll(async () => {
  await server.close();
  await client.end();
  await admin.end();
});

describe("built-in auth, driven by the real supabase-js client", () => {
  it("signs up, creates the profile, and returns a session", async () => {
    const e = email();
    const { data, error } = await supabase().auth.signUp({ email: e, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session?.access_token).toMatch(/^ey/);
    expect(data.user?.email).toBe(e);
    const [profile] = await admin`select email, role from profiles where id = ${data.user!.id}`;
    expect(profile).toEqual({ email: e, role: "user" });
  });

  it("refuses a duplicate sign-up (any letter case) with user_already_exists", async () => {
    const e = email();
    await supabase().auth.signUp({ email: e, password: PASSWORD });
    const { error } = await supabase().auth.signUp({ email: e.toUpperCase(), password: PASSWORD });
    expect(error?.code).toBe("user_already_exists");
    expect(error?.status).toBe(422);
    const [{ n }] = (await admin`select count(*)::int as n from auth.users where lower(email) = ${e}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it("rejects a malformed email and a short password, writing nothing", async () => {
    const bad = await supabase().auth.signUp({ email: "not-an-email", password: PASSWORD });
    expect(bad.error?.code).toBe("validation_failed");
    expect(bad.error?.message).toMatch(/valid email/);
    const e = email();
    const short = await supabase().auth.signUp({ email: e, password: "short" });
    expect(short.error?.code).toBe("weak_password");
    expect(short.error?.message).toMatch(/at least 8 characters/);
    const rows = await admin`select 1 from auth.users where email in ('not-an-email', ${e})`;
    expect(rows.length).toBe(0);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const e = email();
    await supabase().auth.signUp({ email: e, password: PASSWORD });
    const wrong = await supabase().auth.signInWithPassword({ email: e, password: "wrong password!" });
    expect(wrong.error?.code).toBe("invalid_credentials");
    const unknown = await supabase().auth.signInWithPassword({ email: email(), password: PASSWORD });
    expect(unknown.error?.code).toBe("invalid_credentials");
    const ok = await supabase().auth.signInWithPassword({ email: e, password: PASSWORD });
    expect(ok.error).toBeNull();
  });

  it("rotates refresh tokens: each is single-use", async () => {
    const { data } = await supabase().auth.signUp({ email: email(), password: PASSWORD });
    const first = data.session!.refresh_token;
    const refreshed = await supabase().auth.refreshSession({ refresh_token: first });
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session!.refresh_token).not.toBe(first);
    const again = await supabase().auth.refreshSession({ refresh_token: first });
    expect(again.error?.code).toBe("refresh_token_already_used");
    const next = await supabase().auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
    expect(next.error).toBeNull();
  });

  it("after sign-out the old access token and refresh token are refused", async () => {
    const c = supabase();
    const { data } = await c.auth.signUp({ email: email(), password: PASSWORD });
    const token = data.session!.access_token;
    expect((await c.auth.getUser(token)).error).toBeNull();
    expect((await c.auth.signOut()).error).toBeNull();
    const after = await supabase().auth.getUser(token);
    expect(after.data.user).toBeNull();
    expect(after.error?.name).toBe("AuthSessionMissingError"); // the server answered 403 session_not_found
    const refresh = await supabase().auth.refreshSession({ refresh_token: data.session!.refresh_token });
    expect(refresh.error).not.toBeNull();
  });

  it("getClaims() verifies the ES256 token locally against the JWKS, without calling /user", async () => {
    const c = supabase();
    const { data } = await c.auth.signUp({ email: email(), password: PASSWORD });
    const before = server.requests.filter((r) => r === "GET /user").length;
    const claims = await c.auth.getClaims(data.session!.access_token);
    expect(claims.error).toBeNull();
    expect(claims.data?.header.alg).toBe("ES256");
    expect(claims.data?.claims.sub).toBe(data.user!.id);
    expect(server.requests.filter((r) => r === "GET /user").length).toBe(before);
    expect(server.requests).toContain("GET /.well-known/jwks.json");
    const [head, body] = data.session!.access_token.split(".");
    const forged = await c.auth.getClaims(`${head}.${body}.${"A".repeat(86)}`);
    expect(forged.error?.message).toMatch(/signature/i);
  });

  it("refuses requests without the publishable key", async () => {
    const res = await fetch(`${server.origin}/auth/v1/token?grant_type=password`, {
      method: "POST",
      body: JSON.stringify({ email: email(), password: PASSWORD }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-supabase-api-version")).toBe("2024-01-01");
  });

  it("rate-limits sign-in attempts per client and email", async () => {
    const limited = await startAuthServer(db, { limits: { signInEmail: 3 } });
    try {
      const c = createClient(limited.origin, LOCAL_PUBLISHABLE_KEY, { auth: { persistSession: false } });
      const e = email();
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.auth.signInWithPassword({ email: e, password: "wrong password" })).error?.code);
      expect(codes).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials", "over_request_rate_limit", "over_request_rate_limit"]);
    } finally {
      await limited.close();
    }
  });
});
