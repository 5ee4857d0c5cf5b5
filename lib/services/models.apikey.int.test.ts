import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { decryptSecret } from "@/lib/agent/secrets";
import { modelJson } from "@/lib/api/serialize";
import { env } from "@/lib/env";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { createModel, getModel, listModels, patchModel, updateModel } from "./models";
import { rejection } from "@/tests/support/errors";

/** API keys on models: encrypted at rest, bound to the model, write-only, never in API JSON or logs. */
const admin = adminSql();
const { db, client } = testDb();
const KEY = randomBytes(32);
const SECRET = "sk-proj-abcdefghijklmnop1234567890";
const base = { name: "LLM", llm: "openai:gpt-4.1-mini", startingCash: "10000", description: "", instructions: "" };
let n = 0;
const input = (extra: Record<string, unknown> = {}) => ({ ...base, signature: `llm-${++n}`, ...extra });

afterAll(async () => {
  await admin.end();
  await client.end();
});


describe("a model's API key", () => {
  it("is stored encrypted (AES-256-GCM, bound to the model id) with a redacted hint, and never shown", async () => {
    const user = await createUser(admin, "key");
    const log = vi.spyOn(console, "log");
    const error = vi.spyOn(console, "error");
    const model = await createModel(user.ctx, input({ apiKey: `  ${SECRET} ` }), db, { encryptionKey: KEY });

    const [row] = await admin`select api_key_ciphertext, api_key_hint from models where id = ${model.id}`;
    expect(row!.api_key_ciphertext).toMatch(/^v1:/);
    expect(row!.api_key_ciphertext).not.toContain(SECRET);
    expect(row!.api_key_hint).toBe("sk-…•••• 7890");
    expect(decryptSecret(row!.api_key_ciphertext as string, KEY, model.id)).toBe(SECRET);
    expect(() => decryptSecret(row!.api_key_ciphertext as string, KEY, "another-model-id")).toThrow(/cannot be decrypted/);

    // The API shows a flag and the hint, never the key or its ciphertext.
    for (const m of [model, await getModel(user.ctx, model.id, db), ...(await listModels(user.ctx, db))]) {
      const json = JSON.stringify(modelJson(m));
      expect(json).not.toContain(SECRET);
      expect(json).not.toContain(row!.api_key_ciphertext as string);
      expect(modelJson(m)).toMatchObject({ hasApiKey: true, apiKeyHint: "sk-…•••• 7890" });
    }
    const logged = JSON.stringify([...log.mock.calls, ...error.mock.calls]);
    expect(logged).not.toContain(SECRET);
    log.mockRestore();
    error.mockRestore();
  });

  it("empty keeps the stored key, a new one replaces it, 'remove' forgets it; both at once is refused", async () => {
    const user = await createUser(admin, "rotate");
    const created = await createModel(user.ctx, input({ apiKey: SECRET }), db, { encryptionKey: KEY });
    const fields = { ...base, signature: created.signature };
    const kept = await updateModel(user.ctx, created.id, { ...fields, name: "Renamed", apiKey: "" }, db, { encryptionKey: KEY });
    expect(kept.apiKeyCiphertext).toBe(created.apiKeyCiphertext);
    expect(kept.name).toBe("Renamed");

    const replaced = await updateModel(user.ctx, created.id, { ...fields, apiKey: "sk-new-key-000000009999" }, db, { encryptionKey: KEY });
    expect(decryptSecret(replaced.apiKeyCiphertext!, KEY, created.id)).toBe("sk-new-key-000000009999");
    expect(replaced.apiKeyHint).toBe("sk-…•••• 9999");

    const both = await rejection(updateModel(user.ctx, created.id, { ...fields, apiKey: "sk-x-123456789012", removeApiKey: "on" }, db, { encryptionKey: KEY }));
    expect(both.fieldErrors.apiKey).toMatch(/not both/);

    const removed = await updateModel(user.ctx, created.id, { ...fields, removeApiKey: "on" }, db);
    expect(removed).toMatchObject({ apiKeyCiphertext: null, apiKeyHint: null });
    expect(modelJson(removed)).toMatchObject({ hasApiKey: false, apiKeyHint: null });

    const patched = await patchModel(user.ctx, created.id, { apiKey: SECRET }, db, { encryptionKey: KEY });
    expect(decryptSecret(patched.apiKeyCiphertext!, KEY, created.id)).toBe(SECRET);
    expect((await patchModel(user.ctx, created.id, { description: "still keyed" }, db)).apiKeyCiphertext).toBe(patched.apiKeyCiphertext);
  });

  it("bad keys are field errors", async () => {
    const user = await createUser(admin, "badkey");
    const spaced = await rejection(createModel(user.ctx, input({ apiKey: "sk has spaces" }), db, { encryptionKey: KEY }));
    expect(spaced.fieldErrors.apiKey).toMatch(/no spaces/);
    const long = await rejection(createModel(user.ctx, input({ apiKey: "x".repeat(501) }), db, { encryptionKey: KEY }));
    expect(long.fieldErrors.apiKey).toMatch(/at most 500/);
  });

  it.skipIf(env.BULLPEN_ENCRYPTION_KEY !== undefined)("without BULLPEN_ENCRYPTION_KEY a key is refused and nothing is written", async () => {
    const user = await createUser(admin, "nokey");
    const err = await rejection(createModel(user.ctx, input({ apiKey: SECRET }), db));
    expect(err.code).toBe("ENCRYPTION_KEY_MISSING");
    expect(err.fieldErrors.apiKey).toMatch(/BULLPEN_ENCRYPTION_KEY/);
    expect(await admin`select id from models where user_id = ${user.id}`).toEqual([]);
    // A model without a key saves fine.
    expect(await createModel(user.ctx, input(), db)).toMatchObject({ apiKeyCiphertext: null });
  });

  it("another user cannot set or remove a key on my model", async () => {
    const owner = await createUser(admin, "owner");
    const other = await createUser(admin, "other");
    const model = await createModel(owner.ctx, input({ apiKey: SECRET }), db, { encryptionKey: KEY });
    const err = await rejection(updateModel(other.ctx, model.id, { ...base, signature: model.signature, removeApiKey: "on" }, db));
    expect(err.kind).toBe("not_found");
    const [row] = await admin`select api_key_ciphertext from models where id = ${model.id}`;
    expect(row!.api_key_ciphertext).toBe(model.apiKeyCiphertext);
  });
});
