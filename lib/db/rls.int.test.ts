import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, createUser, dbError, testDb, type TestUser } from "@/tests/support/database";
import { actAsCore, actAsUser, withCore, withUser } from "./rls";
import { models, profiles } from "./schema";

const admin = adminSql();
const { db, client } = testDb(1); // one connection: proves the pooled connection is reused clean
let a: TestUser;
let b: TestUser;
let modelOfB: string;

beforeAll(async () => {
  a = await createUser(admin, "a");
  b = await createUser(admin, "b");
  const [row] = await admin<{ id: string }[]>`
    insert into models (user_id, name, signature, llm, starting_cash) values (${b.id}, 'B model', 'b-model', 'builtin:momentum', 1000) returning id`;
  modelOfB = row!.id;
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

const asA = <T>(fn: Parameters<typeof withUser<T>>[1]) => withUser(a.claims, fn, db);

describe("row-level security with two users", () => {
  it("A cannot read B's models or profile", async () => {
    const rows = await asA((tx) => tx.select().from(models));
    expect(rows.map((r) => r.id)).not.toContain(modelOfB);
    const profs = await asA((tx) => tx.select().from(profiles));
    expect(profs.map((p) => p.id)).toEqual([a.id]);
  });

  it("A cannot insert a model with B's user_id", async () => {
    expect(await dbError(asA((tx) => tx.insert(models).values({ userId: b.id, name: "x", signature: "x", llm: "builtin:random", startingCash: "1" })))).toMatch(/row-level security/);
    const [{ n }] = (await admin`select count(*)::int as n from models where signature = 'x'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("A's update and delete of B's model touch nothing", async () => {
    const updated = await asA((tx) => tx.update(models).set({ name: "hijacked" }).where(sql`id = ${modelOfB}`).returning());
    expect(updated).toEqual([]);
    const deleted = await asA((tx) => tx.delete(models).where(sql`id = ${modelOfB}`).returning());
    expect(deleted).toEqual([]);
    const [row] = await admin`select name from models where id = ${modelOfB}`;
    expect(row!.name).toBe("B model");
  });

  it("A cannot move its own model to B", async () => {
    const [mine] = await asA((tx) =>
      tx.insert(models).values({ userId: a.id, name: "A model", signature: "a-model", llm: "builtin:random", startingCash: "5" }).returning(),
    );
    expect(await dbError(asA((tx) => tx.update(models).set({ userId: b.id }).where(sql`id = ${mine!.id}`)))).toMatch(/row-level security/);
    const [row] = await admin`select user_id from models where id = ${mine!.id}`;
    expect(row!.user_id).toBe(a.id);
  });

  it("A cannot make itself admin", async () => {
    expect(await dbError(asA((tx) => tx.update(profiles).set({ role: "admin" }).where(sql`id = ${a.id}`)))).toMatch(/permission denied/);
    const [row] = await admin`select role from profiles where id = ${a.id}`;
    expect(row!.role).toBe("user");
  });

  it("leaves the pooled connection clean: role and claims are transaction-local", async () => {
    await asA(async (tx) => {
      const [r] = await tx.execute<{ role: string; uid: string }>(sql`select current_user as role, auth.uid()::text as uid`);
      expect(r).toEqual({ role: "authenticated", uid: a.id });
    });
    const [after] = await db.execute<{ role: string; claims: string | null }>(
      sql`select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`,
    );
    expect(after).toEqual({ role: "postgres", claims: null });
  });

  it("asyncCommit: synchronous_commit is off in that transaction only", async () => {
    const setting = sql`select current_setting('synchronous_commit') as s, current_user as role, auth.uid()::text as uid`;
    const inside = await db.transaction(async (tx) => {
      await actAsUser(tx, a.claims, { asyncCommit: true });
      return (await tx.execute<{ s: string; role: string; uid: string }>(setting))[0];
    });
    expect(inside).toEqual({ s: "off", role: "authenticated", uid: a.id });
    expect((await asA((tx) => tx.execute<{ s: string }>(setting)))[0]!.s).toBe("on");
    expect((await db.execute<{ s: string }>(setting))[0]!.s).toBe("on");
  });

  it("withCore acts as the trading core (bullpen_core) with the claims, transaction-locally; actAsCore too, with asyncCommit", async () => {
    const who = sql`select current_user as role, auth.uid()::text as uid, current_setting('synchronous_commit') as s`;
    expect((await withCore(a.claims, (tx) => tx.execute<{ role: string; uid: string; s: string }>(who), db))[0]).toEqual({ role: "bullpen_core", uid: a.id, s: "on" });
    const inside = await db.transaction(async (tx) => {
      await actAsCore(tx, a.claims, { asyncCommit: true });
      return (await tx.execute<{ role: string; uid: string; s: string }>(who))[0];
    });
    expect(inside).toEqual({ role: "bullpen_core", uid: a.id, s: "off" });
    const [after] = await db.execute<{ role: string; claims: string | null }>(
      sql`select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`,
    );
    expect(after).toEqual({ role: "postgres", claims: null });
  });

  it("the core reads what the user reads, and is refused another user's rows: B's model is neither seen nor changed", async () => {
    const seen = await withCore(a.claims, (tx) => tx.select().from(models), db);
    expect(seen.map((m) => m.userId).every((u) => u === a.id)).toBe(true);
    expect(await withCore(a.claims, (tx) => tx.update(models).set({ name: "hijacked" }).where(sql`id = ${modelOfB}`).returning(), db)).toEqual([]);
  });

  it("a failed transaction also leaves the connection clean", async () => {
    await expect(asA(async (tx) => tx.execute(sql`select 1/0`))).rejects.toThrow();
    const [after] = await db.execute<{ role: string }>(sql`select current_user as role`);
    expect(after!.role).toBe("postgres");
  });
});
