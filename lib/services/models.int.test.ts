import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, createUser, testDb, type TestUser } from "@/tests/support/database";
import { cloneModel, createModel, getModel, listModels, patchModel, setModelActive, updateModel } from "./models";
import { rejection } from "@/tests/support/errors";

const admin = adminSql();
const { db, client } = testDb();
let a: TestUser;
let b: TestUser;

const valid = { name: "Momentum", signature: "momo-v1", llm: "builtin:momentum", startingCash: "10000", description: "", instructions: "" };

beforeAll(async () => {
  a = await createUser(admin, "a");
  b = await createUser(admin, "b");
});
afterAll(async () => {
  await admin.end();
  await client.end();
});


const countModels = async (userId: string) =>
  ((await admin`select count(*)::int as n from models where user_id = ${userId}`) as unknown as [{ n: number }])[0].n;

describe("model use cases", () => {
  it("creates, lists, edits and archives a model", async () => {
    const m = await createModel(a.ctx, valid, db);
    expect(m).toMatchObject({ name: "Momentum", signature: "momo-v1", startingCash: "10000.000000", isActive: true, userId: a.id });
    expect((await listModels(a.ctx, db)).map((x) => x.id)).toEqual([m.id]);
    const edited = await updateModel(a.ctx, m.id, { ...valid, name: "Momentum 2", startingCash: "2,500.50" }, db);
    expect(edited).toMatchObject({ name: "Momentum 2", startingCash: "2500.500000" });
    expect((await setModelActive(a.ctx, m.id, false, db)).isActive).toBe(false);
  });

  it.each([
    ["empty name", { name: "   " }, "name", /required/],
    ["10,000-character name", { name: "x".repeat(10_000) }, "name", /at most 80/],
    ["negative starting cash", { startingCash: "-5" }, "startingCash", /positive amount/],
    ["non-numeric starting cash", { startingCash: "lots" }, "startingCash", /positive amount/],
    ["zero starting cash", { startingCash: "0" }, "startingCash", /at least \$1/],
    ["unknown llm id", { llm: "gpt-5" }, "llm", /Unknown model/],
    ["unknown built-in", { llm: "builtin:astrology" }, "llm", /Unknown built-in strategy "astrology"/],
    ["bad signature", { signature: "Has Spaces" }, "signature", /lower-case/],
    ["negative slippage", { trading: { slippageBps: -5 } }, "trading.slippageBps", /whole number of basis points from 0 to 9999/],
    ["a commission in words", { trading: { fees: { perOrder: "one dollar" } } }, "trading.fees.perOrder", /dollar amount/],
    ["shorting as text", { trading: { allowShort: "yes" } }, "trading.allowShort", /true or false/],
    ["an unknown trading field", { trading: { leverage: 4 } }, "trading", /unknown field\(s\): leverage/],
  ])("rejects %s with a message on the field and writes nothing", async (_what, patch, field, message) => {
    const before = await countModels(b.id);
    const err = await rejection(createModel(b.ctx, { ...valid, ...patch }, db));
    expect(err.kind).toBe("reject");
    expect(err.fieldErrors[field]).toMatch(message);
    expect(await countModels(b.id)).toBe(before);
  });

  it("rejects a duplicate signature for the same user, but allows it for another", async () => {
    await createModel(b.ctx, { ...valid, signature: "dup" }, db);
    const err = await rejection(createModel(b.ctx, { ...valid, signature: "dup" }, db));
    expect(err.code).toBe("DUPLICATE_SIGNATURE");
    expect(err.fieldErrors.signature).toMatch(/already have a model with signature "dup"/);
    await expect(createModel(a.ctx, { ...valid, signature: "dup" }, db)).resolves.toMatchObject({ signature: "dup" });
  });

  it("treats another user's model id exactly like a missing one", async () => {
    const mine = await createModel(b.ctx, { ...valid, signature: "private" }, db);
    for (const op of [
      () => getModel(a.ctx, mine.id, db),
      () => updateModel(a.ctx, mine.id, { ...valid, name: "stolen" }, db),
      () => setModelActive(a.ctx, mine.id, false, db),
      () => getModel(a.ctx, "not-a-uuid", db),
    ]) {
      expect((await rejection(op())).kind).toBe("not_found");
    }
    const [row] = await admin`select name, is_active from models where id = ${mine.id}`;
    expect(row).toEqual({ name: "Momentum", is_active: true });
  });

  it("refuses to archive with anything but true or false (a server action's argument is whatever the browser sent)", async () => {
    const mine = await createModel(b.ctx, { ...valid, signature: "archive-me" }, db);
    for (const value of ["yes", "false", 0, null]) {
      const err = await rejection(setModelActive(b.ctx, mine.id, value as unknown as boolean, db));
      expect([err.kind, err.message]).toEqual(["reject", "isActive must be true or false"]);
    }
    expect((await getModel(b.ctx, mine.id, db)).isActive).toBe(true);
  });
});

describe("a model's trading defaults", () => {
  const trading = { fees: { perShare: "0.005", minimum: "1" }, slippageBps: 5, allowShort: true, borrowRateBps: 300 };

  it("are stored, edited, kept by a partial change, and none by default", async () => {
    expect((await createModel(a.ctx, { ...valid, signature: "no-defaults" }, db)).trading).toEqual({});
    const m = await createModel(a.ctx, { ...valid, signature: "with-defaults", trading }, db);
    expect((await getModel(a.ctx, m.id, db)).trading).toEqual(trading);
    expect((await patchModel(a.ctx, m.id, { name: "Renamed" }, db)).trading).toEqual(trading);
    expect((await updateModel(a.ctx, m.id, { ...valid, signature: "with-defaults" }, db)).trading).toEqual({});
  });

  it("are merged by a PATCH: what it names changes, null removes, the rest stays", async () => {
    const m = await createModel(a.ctx, { ...valid, signature: "merged-defaults", trading }, db);
    expect((await patchModel(a.ctx, m.id, { trading: { slippageBps: 2 } }, db)).trading).toEqual({ ...trading, slippageBps: 2 });
    expect((await patchModel(a.ctx, m.id, { trading: { fees: { perOrder: "1", minimum: null }, borrowRateBps: null } }, db)).trading).toEqual({
      fees: { perShare: "0.005", perOrder: "1" },
      slippageBps: 2,
      allowShort: true,
    });
    expect((await patchModel(a.ctx, m.id, { trading: null }, db)).trading).toEqual({});
  });

  it("are left as they were when a change is refused", async () => {
    const m = await createModel(a.ctx, { ...valid, signature: "refused-change", trading }, db);
    const err = await rejection(patchModel(a.ctx, m.id, { trading: { borrowRateBps: -1 } }, db));
    expect(err.fieldErrors["trading.borrowRateBps"]).toMatch(/from 0 to 100000/);
    // The merged result is checked as a whole: an unknown field is named with its path.
    expect((await rejection(patchModel(a.ctx, m.id, { trading: { fees: { perTrade: "1" } } }, db))).fieldErrors["trading.fees"]).toBe("unknown field(s): perTrade");
    expect((await rejection(patchModel(a.ctx, m.id, { trading: "cheap" }, db))).fieldErrors.trading).toMatch(/must be an object/);
    expect((await getModel(a.ctx, m.id, db)).trading).toEqual(trading);
  });

  it("are copied by a clone", async () => {
    const source = await createModel(a.ctx, { ...valid, signature: "clone-trading", trading }, db);
    expect((await cloneModel(a.ctx, source.id, db)).trading).toEqual(trading);
  });
});

describe("cloning a model", () => {
  it("copies name, strategy, prompt and cash under the next free signature, never the API key", async () => {
    const fields = { ...valid, signature: "clone-src", description: "d", instructions: "Buy the dip.", startingCash: "2500.50", apiKey: "sk-test-123456789" };
    const source = await createModel(a.ctx, fields, db, { encryptionKey: randomBytes(32) });
    expect(source.apiKeyHint).not.toBeNull();
    const first = await cloneModel(a.ctx, source.id, db);
    const second = await cloneModel(a.ctx, source.id, db);
    expect(first).toMatchObject({ name: "Momentum (copy)", signature: "clone-src-copy", llm: "builtin:momentum", description: "d", instructions: "Buy the dip." });
    expect(first).toMatchObject({ startingCash: "2500.500000", apiKeyHint: null, apiKeyCiphertext: null, isActive: true });
    expect(second.signature).toBe("clone-src-copy-2");
    expect(new Set([source.id, first.id, second.id]).size).toBe(3);
  });

  it("keeps a long name and signature within their limits", async () => {
    const source = await createModel(a.ctx, { ...valid, name: "n".repeat(80), signature: `${"s".repeat(36)}-abc` }, db);
    const copy = await cloneModel(a.ctx, source.id, db);
    expect(copy.name).toBe(`${"n".repeat(73)} (copy)`);
    expect(copy.signature).toBe(`${"s".repeat(35)}-copy`);
  });

  it("answers another user's model (and a malformed id) like a missing one, and creates nothing", async () => {
    const theirs = await createModel(b.ctx, { ...valid, signature: "not-yours" }, db);
    const before = await countModels(a.id);
    expect((await rejection(cloneModel(a.ctx, theirs.id, db))).kind).toBe("not_found");
    expect((await rejection(cloneModel(a.ctx, "not-a-uuid", db))).kind).toBe("not_found");
    expect(await countModels(a.id)).toBe(before);
  });
});
