import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * Per-model API tokens (docs/model-tokens.md): the "API tokens" section of the model's page (create, the token
 * shown once with a copy button, the list, revoke after a confirmation) and the three routes of the HTTP API,
 * with another user's ids answering like missing ones.
 */

const BACKTEST = (modelId: string) => ({ modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"] });

async function createModel(request: APIRequestContext, name: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await request.post("/api/v1/models", { headers, data: { name, signature: `tok-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).model.id as string;
}

async function startSession(request: APIRequestContext, modelId: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await request.post("/api/v1/sessions", { headers, data: { ...BACKTEST(modelId), label: "token run" } });
  expect(res.status(), await res.text()).toBe(202);
  return (await res.json()).session.id as string;
}

test("the model page creates a token, shows it once with a copy button, lists it and revokes it", async ({ desk, page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await desk.signUp(newEmail("tokens"));
  const modelId = await createModel(page.request, "Outside Agent Model");
  const sessionId = await startSession(page.request, modelId);

  await page.goto(`/models/${modelId}/edit`);
  const section = page.getByRole("region", { name: "API tokens" });
  await expect(section.getByText("No API tokens yet")).toBeVisible();

  // Bad input: the message stands by its field, nothing is created.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByLabel("Token name")).toHaveAccessibleDescription(/Name is required/);
  await page.getByLabel("Token name").fill("Claude Desktop");
  await page.getByLabel("Expires after (days)").fill("400");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByLabel("Expires after (days)")).toHaveAccessibleDescription(/at most 365/);
  await expect(section.getByText("No API tokens yet")).toBeVisible();

  await page.getByLabel("Expires after (days)").fill("30");
  await page.getByLabel("Session", { exact: true }).selectOption({ value: sessionId });
  await page.getByRole("button", { name: "Create token" }).click();

  // Shown once, with a copy button.
  await expect(page.getByText("Copy the token “Claude Desktop” now: you will not see it again.")).toBeVisible();
  const shown = page.getByLabel("The new API token");
  await expect(shown).toHaveValue(/^bp_[A-Za-z0-9_-]{43}$/);
  const token = await shown.inputValue();
  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // Listed by its prefix, never whole.
  const row = page.getByTestId("token-row").filter({ hasText: "Claude Desktop" });
  await expect(row).toContainText(`${token.slice(0, 11)}…`);
  await expect(row).toContainText("token run");
  await expect(row).toContainText("Never"); // not used yet
  await expect(row).toContainText("Active");
  await expect(row).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await desk.review("model-tokens-created");

  // A second token, for any session, without expiry.
  await page.getByRole("button", { name: "I have copied it" }).click();
  await expect(shown).toHaveCount(0);
  await page.getByLabel("Token name").fill("Cursor");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(shown).toHaveValue(/^bp_/);
  expect(await shown.inputValue()).not.toBe(token);
  await expect(page.getByTestId("token-row")).toHaveCount(2);

  // After a reload the token is nowhere on the page: only its prefix.
  await page.reload();
  await expect(page.getByLabel("The new API token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token.slice(11));
  await expect(page.getByTestId("token-row").first()).toContainText("Cursor"); // newest first

  // Revoke, after a confirmation; "Keep it" changes nothing.
  await page.getByRole("button", { name: "Revoke Claude Desktop" }).click();
  await expect(page.getByRole("dialog", { name: "Revoke “Claude Desktop”?" })).toBeVisible();
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(row).toContainText("Active");
  await page.getByRole("button", { name: "Revoke Claude Desktop" }).click();
  await page.getByRole("button", { name: "Yes, revoke the token" }).click();
  await expect(row).toContainText("Revoked");
  await expect(page.getByRole("button", { name: "Revoke Claude Desktop" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke Cursor" })).toBeVisible();
  await desk.review("model-tokens-revoked");

  // The same list through the API: no secret, the revoked one marked so.
  const listed = (await (await page.request.get(`/api/v1/models/${modelId}/tokens`)).json()).tokens as { name: string; status: string; sessionId: string | null }[];
  expect(listed.map((t) => [t.name, t.status, t.sessionId])).toEqual([
    ["Cursor", "active", null],
    ["Claude Desktop", "revoked", sessionId],
  ]);
  expect(JSON.stringify(listed)).not.toContain(token.slice(11));
});

test("the token routes: create, list and revoke as the owner; another user's ids are not found; bad input is refused in words", async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const owner = bearer(await signUpForToken(api, newEmail("tok-owner")));
  const other = bearer(await signUpForToken(api, newEmail("tok-other")));
  const modelId = await createModel(api, "Mine", owner);
  const secondModel = await createModel(api, "Mine too", owner);
  const otherModel = await createModel(api, "Theirs", other);
  const otherSession = await startSession(api, otherModel, other);
  const otherModelSession = await startSession(api, secondModel, owner);

  const post = (id: string, data: unknown, headers = owner) => api.post(`/api/v1/models/${id}/tokens`, { headers, data: data as object });
  const created = await post(modelId, { name: "script", expiresInDays: 7 });
  expect(created.status()).toBe(201);
  expect(created.headers()["cache-control"]).toContain("no-store");
  const body = await created.json();
  expect(Object.keys(body).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "sessionId", "status", "token"]);
  expect(body).toMatchObject({ name: "script", prefix: body.token.slice(0, 11), status: "active", sessionId: null });
  const theirs = await (await post(otherModel, { name: "theirs" }, other)).json();

  const list = async (id: string, headers = owner) => api.get(`/api/v1/models/${id}/tokens`, { headers });
  expect((await (await list(modelId)).json()).tokens.map((t: { id: string }) => t.id)).toEqual([body.id]);

  const notFound = async (res: Promise<{ status(): number; json(): Promise<unknown> }>, message: string) => {
    const r = await res;
    expect(r.status()).toBe(404);
    expect(await r.json()).toEqual({ error: { code: "NOT_FOUND", message } });
  };
  // Another user's model, token; a token under another model; ids that are not UUIDs: all like missing ones.
  await notFound(post(otherModel, { name: "x" }), "Model not found");
  await notFound(list(otherModel), "Model not found");
  await notFound(list("not-a-uuid"), "Model not found");
  await notFound(api.delete(`/api/v1/models/${otherModel}/tokens/${theirs.id}`, { headers: owner }), "Token not found");
  await notFound(api.delete(`/api/v1/models/${modelId}/tokens/${theirs.id}`, { headers: owner }), "Token not found");
  await notFound(api.delete(`/api/v1/models/${secondModel}/tokens/${body.id}`, { headers: owner }), "Token not found");
  await notFound(api.delete(`/api/v1/models/${modelId}/tokens/${randomUUID()}`, { headers: owner }), "Token not found");
  await notFound(api.delete(`/api/v1/models/${modelId}/tokens/not-a-uuid`, { headers: owner }), "Token not found");

  // Bad input: 400 in words, on the field.
  for (const [data, field, message] of [
    [{ name: "x", sessionId: otherSession }, "sessionId", /not one of this model's sessions/],
    [{ name: "x", sessionId: otherModelSession }, "sessionId", /not one of this model's sessions/],
    [{ name: "x", sessionId: "abc" }, "sessionId", /UUID/],
    [{ name: 5 }, "name", /Name must be text/],
    [{ name: "x".repeat(100_000) }, "name", /at most 80 characters/],
    [{ name: "x", expiresInDays: -3 }, "expiresInDays", /from 1 to 365/],
    [{ name: "x", expiresInDays: 1e308 }, "expiresInDays", /from 1 to 365/],
    [{ name: "x", userId: randomUUID() }, "body", /unknown field\(s\): userId/],
    [["x"], "body", /expected object/i],
  ] as const) {
    const res = await post(modelId, data);
    expect(res.status(), JSON.stringify(data).slice(0, 80)).toBe(400);
    const error = (await res.json()).error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields[field]).toMatch(message);
  }
  const bad = await api.post(`/api/v1/models/${modelId}/tokens`, { headers: { ...owner, "content-type": "application/json" }, data: Buffer.from("{not json") }); // a string would be sent as a JSON string
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("INVALID_JSON");
  expect((await (await list(modelId)).json()).tokens).toHaveLength(1); // nothing written

  // Revoke: 200 with the token revoked; again: 200, the same revocation time (idempotent).
  const revoked = await api.delete(`/api/v1/models/${modelId}/tokens/${body.id}`, { headers: owner });
  expect(revoked.status()).toBe(200);
  const first = await revoked.json();
  expect(first).toMatchObject({ id: body.id, status: "revoked" });
  expect(first.token).toBeUndefined();
  const again = await (await api.delete(`/api/v1/models/${modelId}/tokens/${body.id}`, { headers: owner })).json();
  expect(again.revokedAt).toBe(first.revokedAt);
  // The other user's token was untouched by all of this.
  expect((await (await list(otherModel, other)).json()).tokens[0]).toMatchObject({ id: theirs.id, status: "active" });

  // Without a sign-in: 401; methods the routes do not have: 405.
  expect((await api.get(`/api/v1/models/${modelId}/tokens`)).status()).toBe(401);

  // A model token is not its user's token: it cannot list, make or revoke tokens, of its own model or of
  // another (the user's second model, another user's), nor use the user's routes. 401, nothing written.
  const live = await (await post(modelId, { name: "live" })).json();
  const asModel = bearer(live.token);
  for (const [what, res] of [
    ["list its own model's tokens", api.get(`/api/v1/models/${modelId}/tokens`, { headers: asModel })],
    ["make a token for its own model", api.post(`/api/v1/models/${modelId}/tokens`, { headers: asModel, data: { name: "minted" } })],
    ["revoke itself", api.delete(`/api/v1/models/${modelId}/tokens/${live.id}`, { headers: asModel })],
    ["list another model's tokens", api.get(`/api/v1/models/${secondModel}/tokens`, { headers: asModel })],
    ["make a token for another model", api.post(`/api/v1/models/${secondModel}/tokens`, { headers: asModel, data: { name: "minted" } })],
    ["make a token for another user's model", api.post(`/api/v1/models/${otherModel}/tokens`, { headers: asModel, data: { name: "minted" } })],
    ["revoke another user's token", api.delete(`/api/v1/models/${otherModel}/tokens/${theirs.id}`, { headers: asModel })],
    ["list the user's models", api.get("/api/v1/models", { headers: asModel })],
  ] as const) {
    const r = await res;
    expect(r.status(), what).toBe(401);
    expect((await r.json()).error.code, what).toBe("UNAUTHENTICATED");
  }
  // POST /api/v1/sessions takes a model token only to start a backtest of its own model that it drives
  // (docs/api.md, "MCP and sessions as an agent"): another model's is refused in words, nothing written.
  const byToken = await api.post("/api/v1/sessions", { headers: asModel, data: { ...BACKTEST(secondModel), label: "by token", driver: "external" } });
  expect(byToken.status()).toBe(400);
  expect((await byToken.json()).error).toMatchObject({ code: "INVALID_ARGUMENTS", message: expect.stringMatching(/modelId: a model API token starts sessions of its own model only/) });
  expect((await (await list(modelId)).json()).tokens.map((t: { name: string; status: string }) => [t.name, t.status])).toEqual([
    ["live", "active"],
    ["script", "revoked"],
  ]);
  expect((await (await list(secondModel)).json()).tokens).toEqual([]);
  expect((await (await list(otherModel, other)).json()).tokens.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([[theirs.id, "active"]]);
  const put = await api.put(`/api/v1/models/${modelId}/tokens`, { headers: owner, data: {} });
  expect([put.status(), put.headers()["allow"]]).toEqual([405, "GET, POST"]);
  const get = await api.get(`/api/v1/models/${modelId}/tokens/${body.id}`, { headers: owner });
  expect([get.status(), get.headers()["allow"]]).toEqual([405, "DELETE"]);
  await api.dispose();
});
