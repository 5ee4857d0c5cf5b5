import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCore, withUser } from "@/lib/db/rls";
import { createRateLimit } from "@/lib/rate-limit";
import { adminSql, createUser, dbError, testDb, type TestUser } from "@/tests/support/database";
import { createTradingFixture, type TradingFixture } from "@/tests/support/trading-fixtures";
import { authenticateModelToken, createModelToken, listModelTokens, MAX_LIVE_TOKENS, revokeModelToken } from "./model-tokens";
import { rejection } from "@/tests/support/errors";

/**
 * Per-model API tokens on a real PostgreSQL (docs/model-tokens.md): the service, the token → identity
 * resolution, and the database's own rules (row-level security, grants, keys, the guard trigger) against
 * writes that go around the service, as the Data API's role `authenticated` and as the trading core.
 */

const admin = adminSql();
const { db, client } = testDb();
let a: TradingFixture;
let aOther: TradingFixture; // another model (and session) of A
let b: TradingFixture;
const noLimit = { db, limit: null };

beforeAll(async () => {
  const alice = await createUser(admin, "tok-a");
  a = await createTradingFixture(db, admin, alice);
  aOther = await createTradingFixture(db, admin, alice);
  b = await createTradingFixture(db, admin, await createUser(admin, "tok-b"));
});
afterAll(async () => {
  await admin.end();
  await client.end();
});


const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const tokenRows = async (userId: string) => admin<{ row: Record<string, unknown> }[]>`select to_jsonb(t) as row from model_tokens t where user_id = ${userId} order by created_at`;
const countTokens = async () => ((await admin`select count(*)::int as n from model_tokens`) as unknown as [{ n: number }])[0].n;
const VIEW_KEYS = ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "sessionId", "status"];

describe("creating, listing and revoking", () => {
  it("creates a token shown once: bp_ and 43 base64url characters, stored as its SHA-256 only", async () => {
    const before = Date.now();
    const created = await createModelToken(a.user.ctx, a.modelId, { name: "Claude Desktop", expiresInDays: 30 }, db);
    expect(created.token).toMatch(/^bp_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token.slice(3), "base64url")).toHaveLength(32);
    expect(created).toMatchObject({ name: "Claude Desktop", prefix: created.token.slice(0, 11), sessionId: null, lastUsedAt: null, revokedAt: null, status: "active" });
    const days = (Date.parse(created.expiresAt!) - Date.parse(created.createdAt)) / 86_400_000;
    expect(days).toBe(30);
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const [stored] = (await tokenRows(a.user.id)).filter((r) => r.row.id === created.id);
    expect(stored!.row.token_hash).toBe(sha256(created.token));
    // The token is nowhere in the row: not whole, not its secret part.
    expect(JSON.stringify(stored!.row)).not.toContain(created.token.slice(11));
    // The list never carries it, nor the hash.
    const listed = await listModelTokens(a.user.ctx, a.modelId, db);
    const mine = listed.find((t) => t.id === created.id)!;
    expect(Object.keys(mine).sort()).toEqual(VIEW_KEYS);
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(11));
    expect(JSON.stringify(listed)).not.toContain(sha256(created.token));
  });

  it("two tokens are never alike; a list is the model's own, newest first", async () => {
    const one = await createModelToken(aOther.user.ctx, aOther.modelId, { name: "one" }, db);
    const two = await createModelToken(aOther.user.ctx, aOther.modelId, { name: "two", sessionId: aOther.sessionId }, db);
    expect(one.token).not.toBe(two.token);
    expect(two).toMatchObject({ sessionId: aOther.sessionId, expiresAt: null });
    const listed = await listModelTokens(aOther.user.ctx, aOther.modelId, db);
    expect(listed.map((t) => t.name)).toEqual(["two", "one"]);
    expect((await listModelTokens(a.user.ctx, a.modelId, db)).map((t) => t.name)).not.toContain("one");
  });

  it("resolves a token to its user, model and session; revoked is refused at once, and revoking again changes nothing", async () => {
    const created = await createModelToken(a.user.ctx, a.modelId, { name: "agent", sessionId: a.sessionId }, db);
    const identity = await authenticateModelToken(created.token, noLimit);
    expect(identity).toEqual({
      userId: a.user.id,
      modelId: a.modelId,
      sessionId: a.sessionId,
      tokenId: created.id,
      tokenName: "agent",
      claims: { sub: a.user.id, role: "authenticated" },
    });
    // The identity's claims act as the owner under row-level security.
    const seen = await withUser(identity.claims, (tx) => tx.execute(`select count(*)::int as n from models where id = '${a.modelId}'`), db);
    expect((seen as unknown as { n: number }[])[0]!.n).toBe(1);

    const revoked = await revokeModelToken(a.user.ctx, a.modelId, created.id, db);
    expect(revoked).toMatchObject({ id: created.id, status: "revoked" });
    const err = await rejection(authenticateModelToken(created.token, noLimit));
    expect([err.kind, err.code, err.message]).toEqual(["unauthenticated", "TOKEN_REVOKED", "This API token was revoked; create a new one on the model's page"]);

    const again = await revokeModelToken(a.user.ctx, a.modelId, created.id, db, new Date(Date.now() + 60_000));
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect((await listModelTokens(a.user.ctx, a.modelId, db)).find((t) => t.id === created.id)?.status).toBe("revoked");
  });

  it("an expired token is refused at once, by the database's clock", async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const created = await createModelToken(a.user.ctx, a.modelId, { name: "old", expiresInDays: 1 }, db, twoDaysAgo);
    const err = await rejection(authenticateModelToken(created.token, noLimit));
    expect([err.kind, err.code]).toEqual(["unauthenticated", "TOKEN_EXPIRED"]);
    expect(err.message).toMatch(/^This API token expired on \d{4}-\d\d-\d\d \d\d:\d\d UTC; create a new one on the model's page$/);
    expect((await listModelTokens(a.user.ctx, a.modelId, db)).find((t) => t.id === created.id)?.status).toBe("expired");
    const [row] = await admin`select last_used_at from model_tokens where id = ${created.id}`;
    expect(row!.last_used_at).toBeNull(); // a refused token is not "used"
  });

  it("an archived model's tokens are refused until it is restored (archiving revokes nothing)", async () => {
    const created = await createModelToken(a.user.ctx, a.modelId, { name: "archived" }, db);
    await admin`update models set is_active = false where id = ${a.modelId}`;
    try {
      const err = await rejection(authenticateModelToken(created.token, noLimit));
      expect([err.kind, err.code, err.message]).toEqual(["unauthenticated", "MODEL_ARCHIVED", "This API token's model is archived: restore the model on the dashboard to use its tokens again"]);
      const [row] = await admin`select last_used_at from model_tokens where id = ${created.id}`;
      expect(row!.last_used_at).toBeNull(); // refused: not "used"
    } finally {
      await admin`update models set is_active = true where id = ${a.modelId}`;
    }
    expect((await authenticateModelToken(created.token, noLimit)).tokenId).toBe(created.id);
  });

  it("unknown, mangled and non-token credentials are refused alike, without a word about any token", async () => {
    const real = await createModelToken(a.user.ctx, a.modelId, { name: "real" }, db);
    const flipped = real.token.slice(0, -1) + (real.token.endsWith("A") ? "B" : "A");
    for (const bad of [`bp_${"A".repeat(43)}`, flipped, real.token.slice(0, -1), `${real.token} `, "", "Bearer " + real.token, real.prefix, sha256(real.token), null, undefined]) {
      const err = await rejection(authenticateModelToken(bad, noLimit));
      expect([err.kind, err.code, err.message], String(bad)).toEqual([
        "unauthenticated",
        "INVALID_TOKEN",
        "This API token is not valid: check that it was copied whole, or create a new one on the model's page",
      ]);
    }
  });

  it("stamps last_used_at when a token is used, at most once a minute", async () => {
    const created = await createModelToken(a.user.ctx, a.modelId, { name: "used" }, db);
    const lastUsed = async () => ((await admin`select last_used_at from model_tokens where id = ${created.id}`) as unknown as [{ last_used_at: Date | null }])[0].last_used_at;
    expect(await lastUsed()).toBeNull();
    await authenticateModelToken(created.token, noLimit);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await authenticateModelToken(created.token, noLimit);
    expect(await lastUsed()).toEqual(first); // within the minute: not written again
    // A minute later (moved back by the server's own role, which the guard lets write last_used_at) it is stamped again.
    await admin`update model_tokens set last_used_at = now() - interval '61 seconds' where id = ${created.id}`;
    const old = await lastUsed();
    await authenticateModelToken(created.token, noLimit);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old!.getTime());
    expect((await listModelTokens(a.user.ctx, a.modelId, db)).find((t) => t.id === created.id)?.lastUsedAt).not.toBeNull();
  });

  it("limits requests per token, counted by the token's id: past the limit 429 RATE_LIMITED, other tokens unaffected", async () => {
    const limit = createRateLimit({ name: `tok-test-${randomUUID().slice(0, 8)}`, points: 2, seconds: 60, what: "Too many requests with this API token" }, db);
    const one = await createModelToken(a.user.ctx, a.modelId, { name: "busy" }, db);
    const two = await createModelToken(a.user.ctx, a.modelId, { name: "quiet" }, db);
    await authenticateModelToken(one.token, { db, limit });
    await authenticateModelToken(one.token, { db, limit });
    const err = await rejection(authenticateModelToken(one.token, { db, limit }));
    expect([err.kind, err.code]).toEqual(["limit", "RATE_LIMITED"]);
    expect(err.message).toMatch(/^Too many requests with this API token: at most 2 a minute\. Try again in \d+ seconds?\.$/);
    await expect(authenticateModelToken(two.token, { db, limit })).resolves.toMatchObject({ tokenId: two.id });
    // The app's own limit (RATE_LIMIT_MODEL_TOKEN_PER_MINUTE) is used by default.
    await expect(authenticateModelToken(two.token, { db })).resolves.toMatchObject({ tokenId: two.id });
  });

  it(`a model has at most ${MAX_LIVE_TOKENS} live tokens (revoked and expired ones do not count)`, async () => {
    const f = await createTradingFixture(db, admin, await createUser(admin, "tok-cap"));
    await createModelToken(f.user.ctx, f.modelId, { name: "expired", expiresInDays: 1 }, db, new Date(Date.now() - 2 * 86_400_000));
    const made = [];
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) made.push(await createModelToken(f.user.ctx, f.modelId, { name: `t${i}` }, db));
    const err = await rejection(createModelToken(f.user.ctx, f.modelId, { name: "one more" }, db));
    expect([err.kind, err.code]).toEqual(["conflict", "TOO_MANY_TOKENS"]);
    await revokeModelToken(f.user.ctx, f.modelId, made[0]!.id, db);
    await expect(createModelToken(f.user.ctx, f.modelId, { name: "one more" }, db)).resolves.toMatchObject({ status: "active" });
  });
});

describe("another user's ids answer exactly like missing ones", () => {
  it("create, list and revoke on another user's model, token or session: not found, nothing written", async () => {
    const bToken = await createModelToken(b.user.ctx, b.modelId, { name: "b's" }, db);
    const aToken = await createModelToken(a.user.ctx, a.modelId, { name: "a's" }, db);
    const before = await countTokens();
    const notFound = async (p: Promise<unknown>, what: string) => {
      const err = await rejection(p);
      expect([err.kind, err.code, err.message]).toEqual(["not_found", "NOT_FOUND", `${what} not found`]);
    };
    for (const modelId of [b.modelId, randomUUID(), "not-a-uuid", "'; drop table model_tokens; --"]) {
      await notFound(createModelToken(a.user.ctx, modelId, { name: "x" }, db), "Model");
      await notFound(listModelTokens(a.user.ctx, modelId, db), "Model");
    }
    // B's token, under B's model or A's; A's token under A's other model; ids that are no token.
    for (const [modelId, tokenId] of [
      [b.modelId, bToken.id],
      [a.modelId, bToken.id],
      [aOther.modelId, aToken.id],
      [a.modelId, randomUUID()],
      [a.modelId, "not-a-uuid"],
    ]) {
      await notFound(revokeModelToken(a.user.ctx, modelId!, tokenId!, db), modelId === "not-a-uuid" ? "Model" : "Token");
    }
    expect(await countTokens()).toBe(before);
    await expect(authenticateModelToken(bToken.token, noLimit)).resolves.toMatchObject({ userId: b.user.id }); // untouched
    await expect(authenticateModelToken(aToken.token, noLimit)).resolves.toMatchObject({ userId: a.user.id });
  });

  it("two models of one user: each token resolves to its own model (and session), never to the other", async () => {
    const forA = await createModelToken(a.user.ctx, a.modelId, { name: "for A", sessionId: a.sessionId }, db);
    const forOther = await createModelToken(aOther.user.ctx, aOther.modelId, { name: "for the other" }, db);
    expect(aOther.user.id).toBe(a.user.id);
    await expect(authenticateModelToken(forA.token, noLimit)).resolves.toMatchObject({ modelId: a.modelId, sessionId: a.sessionId, tokenId: forA.id });
    await expect(authenticateModelToken(forOther.token, noLimit)).resolves.toMatchObject({ modelId: aOther.modelId, sessionId: null, tokenId: forOther.id });
    // Revoking one model's token leaves the other model's working.
    await revokeModelToken(a.user.ctx, a.modelId, forA.id, db);
    expect((await rejection(authenticateModelToken(forA.token, noLimit))).code).toBe("TOKEN_REVOKED");
    await expect(authenticateModelToken(forOther.token, noLimit)).resolves.toMatchObject({ modelId: aOther.modelId });
  });

  it("a sessionId that is not one of this model's sessions is refused on the field, one answer for all, nothing written", async () => {
    const before = await countTokens();
    for (const sessionId of [b.sessionId, aOther.sessionId, randomUUID()]) {
      const err = await rejection(createModelToken(a.user.ctx, a.modelId, { name: "x", sessionId }, db));
      expect([err.kind, err.code, Object.keys(err.fieldErrors)]).toEqual(["reject", "VALIDATION_FAILED", ["sessionId"]]);
      expect(err.message).toBe("sessionId is not one of this model's sessions; leave it out for a token that may act in any of them");
    }
    expect(await countTokens()).toBe(before);
  });
});

describe("bad input: 400 in words, nothing written", () => {
  it.each([
    ["no body", undefined, "body", /expected object/i],
    ["an array", [{ name: "x" }], "body", /expected object/i],
    ["a string", "token please", "body", /expected object/i],
    ["no name", {}, "name", /Name is required/],
    ["an empty name", { name: "   " }, "name", /Name is required/],
    ["a number as name", { name: 42 }, "name", /Name must be text/],
    ["a 10,000-character name", { name: "x".repeat(10_000) }, "name", /at most 80 characters/],
    ["an 81-character name", { name: "x".repeat(81) }, "name", /at most 80 characters/],
    ["a name of two lines", { name: "a\nb" }, "name", /one line/],
    ["a name with NUL", { name: "a\u0000b" }, "name", /control characters/],
    ["a name with a lone surrogate", { name: "a\ud800b" }, "name", /valid Unicode/],
    ["negative days", { name: "x", expiresInDays: -1 }, "expiresInDays", /from 1 to 365/],
    ["zero days", { name: "x", expiresInDays: 0 }, "expiresInDays", /from 1 to 365/],
    ["a fraction of a day", { name: "x", expiresInDays: 1.5 }, "expiresInDays", /whole number/],
    ["366 days", { name: "x", expiresInDays: 366 }, "expiresInDays", /at most 365/],
    ["a billion days", { name: "x", expiresInDays: 1e9 }, "expiresInDays", /at most 365/],
    ["days as text", { name: "x", expiresInDays: "7" }, "expiresInDays", /whole number of days/],
    ["days as an object", { name: "x", expiresInDays: { days: 7 } }, "expiresInDays", /whole number of days/],
    ["a sessionId that is no UUID", { name: "x", sessionId: "session-1" }, "sessionId", /UUID/],
    ["a sessionId as a number", { name: "x", sessionId: 7 }, "sessionId", /UUID/],
    ["an unknown field", { name: "x", scope: "admin" }, "body", /unknown field\(s\): scope/],
    ["identity in the body", { name: "x", userId: randomUUID(), modelId: randomUUID() }, "body", /unknown field\(s\): userId, modelId/],
    ["a token of one's own", { name: "x", token: `bp_${"A".repeat(43)}` }, "body", /unknown field\(s\): token/],
  ])("refuses %s", async (_what, input, field, message) => {
    const before = await countTokens();
    const err = await rejection(createModelToken(a.user.ctx, a.modelId, input, db));
    expect([err.kind, err.code]).toEqual(["reject", "VALIDATION_FAILED"]);
    expect(err.fieldErrors[field]).toMatch(message);
    expect(err.message).toBe(Object.values(err.fieldErrors)[0]);
    expect(await countTokens()).toBe(before);
  });
});

describe("the database's rules, around the service (drizzle/0024)", () => {
  let live: { id: string; token: string };
  let revoked: { id: string };
  let bLive: { id: string };
  beforeAll(async () => {
    live = await createModelToken(a.user.ctx, a.modelId, { name: "live" }, db);
    revoked = await createModelToken(a.user.ctx, a.modelId, { name: "gone" }, db);
    await revokeModelToken(a.user.ctx, a.modelId, revoked.id, db);
    bLive = await createModelToken(b.user.ctx, b.modelId, { name: "b live" }, db);
  });
  const asUser = (user: TestUser, statement: string) => withUser(user.claims, (tx) => tx.execute(statement), db);
  const asCore = (user: TestUser, statement: string) => withCore(user.claims, (tx) => tx.execute(statement), db);
  const insertOf = (userId: string, modelId: string, hashOf = randomUUID()) =>
    `insert into model_tokens (user_id, model_id, name, prefix, token_hash) values ('${userId}', '${modelId}', 'forged', 'bp_AAAAAAAA', '${sha256(hashOf)}')`;

  it("the user's JWT role (the Data API's `authenticated`) writes no token: insert, un-revoke, extend, rebind, rename, delete, truncate", async () => {
    const state = () => admin`select id, model_id, session_id, name, expires_at, revoked_at, last_used_at from model_tokens order by id`;
    const before = await state();
    for (const statement of [
      insertOf(a.user.id, a.modelId),
      `update model_tokens set revoked_at = null where id = '${revoked.id}'`,
      `update model_tokens set expires_at = now() + interval '100 years' where id = '${live.id}'`,
      `update model_tokens set model_id = '${aOther.modelId}' where id = '${live.id}'`,
      `update model_tokens set session_id = '${a.sessionId}' where id = '${live.id}'`,
      `update model_tokens set name = 'renamed' where id = '${live.id}'`,
      `update model_tokens set last_used_at = now() where id = '${live.id}'`,
      `update model_tokens set token_hash = '${sha256("mine")}' where id = '${live.id}'`,
      `update model_tokens set revoked_at = now() where id = '${live.id}'`,
      `delete from model_tokens where id = '${live.id}'`,
      `truncate model_tokens`,
    ]) {
      expect(await dbError(asUser(a.user, statement)), statement).toMatch(/permission denied/);
    }
    expect(await state()).toEqual(before);
  });

  it("the user's JWT role reads their own tokens, never another user's, and never a hash", async () => {
    const rows = (await asUser(a.user, "select id, user_id from model_tokens")) as unknown as { id: string; user_id: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.user_id === a.user.id)).toBe(true);
    expect(rows.map((r) => r.id)).not.toContain(bLive.id);
    expect(await dbError(asUser(a.user, `select token_hash from model_tokens where id = '${live.id}'`))).toMatch(/permission denied/);
    expect(await dbError(asUser(a.user, `select * from model_tokens`))).toMatch(/permission denied/);
  });

  it("the trading core writes only the owner's tokens, of the owner's models and their sessions, and only revokes", async () => {
    // Another user's row, another user's model, a session of another model: refused by row-level security or the keys.
    expect(await dbError(asCore(a.user, insertOf(b.user.id, b.modelId)))).toMatch(/row-level security/);
    expect(await dbError(asCore(a.user, insertOf(a.user.id, b.modelId)))).toMatch(/model_tokens_model_owner_fk/);
    expect(
      await dbError(
        asCore(
          a.user,
          `insert into model_tokens (user_id, model_id, session_id, name, prefix, token_hash) values ('${a.user.id}', '${a.modelId}', '${aOther.sessionId}', 'x', 'bp_AAAAAAAA', '${sha256(randomUUID())}')`,
        ),
      ),
    ).toMatch(/model_tokens_session_owner_fk/);
    expect(
      await dbError(
        asCore(
          a.user,
          `insert into model_tokens (user_id, model_id, session_id, name, prefix, token_hash) values ('${a.user.id}', '${a.modelId}', '${b.sessionId}', 'x', 'bp_AAAAAAAA', '${sha256(randomUUID())}')`,
        ),
      ),
    ).toMatch(/model_tokens_session_owner_fk/);
    // A plain token for the owner's own model is what the service writes: the core may.
    await expect(asCore(a.user, insertOf(a.user.id, a.modelId))).resolves.toBeDefined();
    // Revoking B's token as A's core touches nothing; un-revoking is refused by the guard; other columns by the grants.
    await asCore(a.user, `update model_tokens set revoked_at = now() where id = '${bLive.id}'`);
    expect((await admin`select revoked_at from model_tokens where id = ${bLive.id}`)[0]!.revoked_at).toBeNull();
    expect(await dbError(asCore(a.user, `update model_tokens set revoked_at = null where id = '${revoked.id}'`))).toMatch(/a revoked model token stays revoked/);
    for (const column of ["expires_at = now() + interval '9 years'", `model_id = '${aOther.modelId}'`, "name = 'x'", "last_used_at = now()"]) {
      expect(await dbError(asCore(a.user, `update model_tokens set ${column} where id = '${live.id}'`))).toMatch(/permission denied/);
    }
    expect(await dbError(asCore(a.user, `delete from model_tokens where id = '${live.id}'`))).toMatch(/permission denied/);
    await expect(authenticateModelToken(live.token, noLimit)).resolves.toMatchObject({ tokenId: live.id });
  });

  it("even the table's owner cannot change what a token is, or take back a revocation (the guard trigger)", async () => {
    for (const change of ["revoked_at = null", "expires_at = now() + interval '1 year'", `model_id = '${aOther.modelId}'`, "name = 'x'", `token_hash = '${sha256("x")}'`]) {
      const id = change.startsWith("revoked") ? revoked.id : live.id;
      expect(await dbError(admin.unsafe(`update model_tokens set ${change} where id = '${id}'`))).toMatch(/never change|stays revoked/);
    }
  });

  it("the table's checks refuse what the service never writes", async () => {
    for (const [values, check] of [
      [`'${"x".repeat(81)}', 'bp_AAAAAAAA', '${sha256("1")}'`, "model_tokens_name_length"],
      [`'x', 'sk_AAAAAAAA', '${sha256("2")}'`, "model_tokens_prefix_format"],
      [`'x', 'bp_AAAAAAAA', 'bp_${"A".repeat(43)}'`, "model_tokens_hash_format"],
    ]) {
      expect(await dbError(admin.unsafe(`insert into model_tokens (user_id, model_id, name, prefix, token_hash) values ('${a.user.id}', '${a.modelId}', ${values})`))).toMatch(check!);
    }
  });
});
