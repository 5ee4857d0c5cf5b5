import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCore, withUser } from "@/lib/db/rls";
import { adminSql, createUser, dbError, testDb, type TestUser } from "@/tests/support/database";
import { createAgentFixture, type AgentFixture } from "@/tests/support/agent-fixtures";
import { getDecisionById, insertDecision, listDecisionsBySession } from "./queries/decisions";
import { searchNews } from "./queries/news";

/** The decisions and news tables: RLS, grants, append-only, and the orders → decisions key. */
const admin = adminSql();
const { db, client } = testDb();
let alice: TestUser;
let bob: TestUser;
let a: AgentFixture;
let b: AgentFixture;

const decisionValues = (f: AgentFixture, id = randomUUID()) => ({
  id,
  userId: f.user.id,
  modelId: f.model.id,
  sessionId: f.sessionId,
  clock: new Date("2025-10-01T13:30:00Z"),
  interval: "day" as const,
  llm: f.model.llm,
  outcome: "held" as const,
  instructions: "",
  prompt: "Clock: 2025-10-01T13:30:00Z",
  steps: 1,
  latencyMs: 5,
});

beforeAll(async () => {
  alice = await createUser(admin, "agent-ada");
  bob = await createUser(admin, "agent-ben");
  a = await createAgentFixture(db, admin, alice);
  b = await createAgentFixture(db, admin, bob);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

describe("decisions", () => {
  it("the trading core writes a user's decisions, the user reads them; another user sees none of them", async () => {
    const row = await withCore(alice.claims, (tx) => insertDecision(tx, decisionValues(a)), db);
    expect(row).toMatchObject({ outcome: "held", toolCalls: [], filledOrders: 0, costUsd: null });
    expect(await withUser(alice.claims, (tx) => listDecisionsBySession(tx, { sessionId: a.sessionId, userId: alice.id }), db)).toHaveLength(1);
    expect(await withUser(bob.claims, (tx) => getDecisionById(tx, { id: row.id, userId: alice.id }), db)).toBeUndefined();
    expect(await withUser(bob.claims, (tx) => tx.execute(sql`select id from decisions`), db)).toHaveLength(0);
  });

  it("a signed-in user records no decision, and the core none in someone else's session", async () => {
    // As the user (the Data API's role): no INSERT at all, not even into their own session.
    expect(await dbError(withUser(alice.claims, (tx) => insertDecision(tx, decisionValues(a)), db))).toMatch(/permission denied/);
    // The core as alice, naming bob: RLS refuses; as bob, naming alice's session: the composite key refuses.
    expect(await dbError(withCore(alice.claims, (tx) => insertDecision(tx, { ...decisionValues(b) }), db))).toMatch(/row-level security/);
    expect(await dbError(withCore(bob.claims, (tx) => insertDecision(tx, { ...decisionValues(a), userId: bob.id }), db))).toMatch(
      /decisions_session_owner_fk/,
    );
  });

  it("is append-only: no UPDATE or DELETE, not even for the table owner", async () => {
    const row = await withCore(alice.claims, (tx) => insertDecision(tx, decisionValues(a)), db);
    expect(await dbError(admin`update decisions set outcome = 'traded' where id = ${row.id}`)).toMatch(/append-only: UPDATE refused/);
    expect(await dbError(admin`delete from decisions where id = ${row.id}`)).toMatch(/append-only: DELETE refused/);
    expect(await dbError(admin`truncate decisions`)).toMatch(/TRUNCATE refused|cannot truncate/);
    expect(await dbError(admin`truncate decisions cascade`)).toMatch(/TRUNCATE refused/);
    for (const as of [withUser, withCore]) {
      expect(await dbError(as(alice.claims, (tx) => tx.execute(sql`update decisions set text = 'x' where id = ${row.id}`), db))).toMatch(/permission denied/);
    }
  });

  it("checks its own consistency: failed ⇔ error; traded ⇔ something filled", async () => {
    const bad = [
      { outcome: "failed" as const },
      { outcome: "held" as const, error: "why" },
      { outcome: "traded" as const, filledOrders: 0 },
      { outcome: "held" as const, filledOrders: 2 },
    ];
    for (const over of bad) {
      expect(await dbError(withCore(alice.claims, (tx) => insertDecision(tx, { ...decisionValues(a), ...over }), db))).toMatch(/decisions_/);
    }
  });

  it("an order's decision must be a decision of the same session (deferred to commit)", async () => {
    const other = await withCore(bob.claims, (tx) => insertDecision(tx, decisionValues(b)), db);
    const order = (decisionId: string) => admin`
      insert into orders (user_id, model_id, session_id, idempotency_key, decision_id, status, reject_code, reject_message, placed_at)
      values (${alice.id}, ${a.model.id}, ${a.sessionId}, ${randomUUID()}, ${decisionId}, 'rejected', 'X', 'x', now())`;
    expect(await dbError(order(other.id))).toMatch(/orders_decision_fk/);
    expect(await dbError(order(randomUUID()))).toMatch(/orders_decision_fk/);
    const own = await withCore(alice.claims, (tx) => insertDecision(tx, decisionValues(a)), db);
    await order(own.id); // fine
  });
});

describe("news", () => {
  it("is readable by users, never writable", async () => {
    await admin`insert into news (published_at, title, source) values ('2025-09-01T00:00:00Z', 'Readable headline', 'test')`;
    const seen = await withUser(alice.claims, (tx) => searchNews(tx, { query: "readable", before: new Date("2026-01-01"), limit: 5 }), db);
    expect(seen.map((x) => x.title)).toEqual(["Readable headline"]);
    expect(
      await dbError(withUser(alice.claims, (tx) => tx.execute(sql`insert into news (published_at, title, source) values (now(), 'fake', 'me')`), db)),
    ).toMatch(/permission denied/);
    expect(await dbError(withUser(alice.claims, (tx) => tx.execute(sql`delete from news`), db))).toMatch(/permission denied/);
  });

  it("matches words (full text), a phrase or a ticker, newest first", async () => {
    await admin`insert into news (published_at, title, summary, source, symbols) values
      ('2025-09-02T00:00:00Z', 'Chipmaker beats estimates', 'Quarterly revenue rose sharply', 'test', '{NVDA}'),
      ('2025-09-03T00:00:00Z', 'Revenue outlook for chipmakers', '', 'test', '{}')`;
    const titles = async (query: string) => (await searchNews(db, { query, before: new Date("2026-01-01"), limit: 5 })).map((x) => x.title);
    expect(await titles("nvda")).toEqual(["Chipmaker beats estimates"]);
    expect(await titles("revenue chipmaker")).toEqual(["Revenue outlook for chipmakers", "Chipmaker beats estimates"]);
    expect(await titles("beats estim")).toEqual(["Chipmaker beats estimates"]);
    expect(await titles("100%")).toEqual([]);
  });
});
