import { globSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, newEmail, signUpForToken } from "./fixtures";

const token = (request: APIRequestContext, label: string) => signUpForToken(request, newEmail(label));
const auth = bearer;
const model = { name: "API Momentum", signature: "api-momo", llm: "builtin:momentum", startingCash: "5000" };

test("models API: create, list, read, patch, archive with a Bearer token", async ({ request }) => {
  const t = await token(request, "api");
  expect((await request.get("/api/v1/models")).status()).toBe(401);

  const trading = { fees: { perShare: "0.005" }, slippageBps: 5, allowShort: true, borrowRateBps: 300, shortMarginRequirementBps: 20_000 };
  const created = await request.post("/api/v1/models", { headers: auth(t), data: { ...model, trading, instructions: "Buy strength.", description: "d" } });
  expect(created.status()).toBe(201);
  const { model: m } = await created.json();
  expect(m).toMatchObject({ name: "API Momentum", signature: "api-momo", startingCash: "5000.000000", isActive: true, trading });

  const list = await (await request.get("/api/v1/models", { headers: auth(t) })).json();
  expect(list.models.map((x: { id: string }) => x.id)).toEqual([m.id]);
  expect((await (await request.get(`/api/v1/models/${m.id}`, { headers: auth(t) })).json()).model.id).toBe(m.id);

  const patched = await request.patch(`/api/v1/models/${m.id}`, { headers: auth(t), data: { name: "Renamed" } });
  // What a PATCH leaves out keeps its value: the prompt, the description, the trading defaults.
  expect((await patched.json()).model).toMatchObject({ name: "Renamed", signature: "api-momo", instructions: "Buy strength.", description: "d", trading });
  // trading is merged (RFC 7396): what the PATCH names changes, null removes, the rest stays.
  const retraded = await request.patch(`/api/v1/models/${m.id}`, { headers: auth(t), data: { trading: { fees: { perOrder: "1" }, borrowRateBps: null } } });
  expect((await retraded.json()).model.trading).toEqual({ fees: { perShare: "0.005", perOrder: "1" }, slippageBps: 5, allowShort: true, shortMarginRequirementBps: 20_000 });
  const badMerge = await request.patch(`/api/v1/models/${m.id}`, { headers: auth(t), data: { trading: { slippageBps: -1 } } });
  expect(badMerge.status()).toBe(400);
  expect((await badMerge.json()).error.fields).toEqual({ "trading.slippageBps": "Slippage must be a whole number of basis points from 0 to 9999" });
  const reset = await request.patch(`/api/v1/models/${m.id}`, { headers: auth(t), data: { trading: null } });
  expect((await reset.json()).model.trading).toEqual({});

  const archived = await request.delete(`/api/v1/models/${m.id}`, { headers: auth(t) });
  expect((await archived.json()).model.isActive).toBe(false);
});

test("models API: bad input gets a 4xx with a clear code and creates nothing", async ({ request }) => {
  const t = await token(request, "apibad");
  const cases: [unknown, number, string, RegExp | null][] = [
    [{ ...model, startingCash: -1 }, 400, "VALIDATION_FAILED", /startingCash/],
    [{ ...model, name: 42 }, 400, "VALIDATION_FAILED", /name/],
    [{ ...model, llm: "builtin:astrology" }, 400, "VALIDATION_FAILED", /llm/],
    [{ ...model, userId: "00000000-0000-0000-0000-000000000000" }, 400, "VALIDATION_FAILED", /body|userId/],
    [{ ...model, trading: { slippageBps: "5" } }, 400, "VALIDATION_FAILED", /^trading\.slippageBps$/],
    [{ ...model, trading: { fees: { perShare: -0.01 } } }, 400, "VALIDATION_FAILED", /^trading\.fees\.perShare$/],
    [{ ...model, trading: { allowShort: true, shortMarginRequirementBps: 5_000 } }, 400, "VALIDATION_FAILED", /^trading\.shortMarginRequirementBps$/],
    [["an", "array"], 400, "VALIDATION_FAILED", null],
  ];
  for (const [data, status, code, field] of cases) {
    const res = await request.post("/api/v1/models", { headers: auth(t), data: data as object });
    expect(res.status()).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    if (field) expect(Object.keys(body.error.fields ?? {}).join(",")).toMatch(field);
  }
  const raw = await request.post("/api/v1/models", { headers: { ...auth(t), "content-type": "application/json" }, data: Buffer.from("{oops") });
  expect((await raw.json()).error.code).toBe("INVALID_JSON");
  const bogus = await request.get("/api/v1/models", { headers: auth("not.a.jwt") });
  expect(bogus.status()).toBe(401);
  // A path that is no route answers like the API, in JSON, whatever the method.
  for (const [method, path] of [["GET", "/api/v1/nothing"], ["POST", "/api/v1/models/x/y"], ["DELETE", "/api/v1/sessions/00000000-0000-0000-0000-000000000000/bogus"]] as const) {
    const res = await request.fetch(path, { method, headers: auth(t) });
    expect(res.status(), path).toBe(404);
    expect((await res.json()).error, path).toEqual({ code: "NOT_FOUND", message: `No such API route: ${path} (see docs/api.md)` });
  }
  const list = await (await request.get("/api/v1/models", { headers: auth(t) })).json();
  expect(list.models).toEqual([]);
});

test("API: a method a route does not have answers 405 in JSON with Allow, on every route", async ({ request }) => {
  const id = "00000000-0000-0000-0000-000000000000";
  const methods: Record<string, string> = {
    "/api/v1/models": "GET, POST",
    "/api/v1/models/[id]": "GET, PATCH, DELETE",
    "/api/v1/models/[id]/tokens": "GET, POST",
    "/api/v1/models/[id]/tokens/[tokenId]": "DELETE",
    "/api/v1/sessions": "GET, POST",
    "/api/v1/sessions/[id]": "GET, PATCH",
    ...Object.fromEntries(["pause", "resume", "cancel", "rerun", "advance"].map((a) => [`/api/v1/sessions/[id]/${a}`, "POST"])),
    ...Object.fromEntries(["events", "decisions", "orders.csv", "equity", "quote", "bars", "portfolio", "options/chain"].map((r) => [`/api/v1/sessions/[id]/${r}`, "GET"])),
    "/api/v1/sessions/[id]/orders": "GET, POST",
    "/api/v1/sessions/[id]/chat": "GET, POST",
    "/api/v1/sessions/[id]/orders/[orderId]": "DELETE",
    "/api/v1/admin/orders": "GET",
    "/api/v1/leaderboard": "GET",
    "/api/v1/leaderboard/compare": "GET",
  };
  // Every route of the API is in the table (a new route without otherMethods would answer Next's empty 405).
  const routes = globSync("app/api/v1/**/route.ts", { cwd: new URL("..", import.meta.url) }).map((f) => "/" + f.replaceAll("\\", "/").replace(/^app\//, "").replace(/\/route\.ts$/, ""));
  expect(routes.filter((r) => !r.includes("[...path]")).sort()).toEqual(Object.keys(methods).sort());
  for (const [route, allow] of Object.entries(methods)) {
    const path = route.replace("[id]", id).replace("[tokenId]", id).replace("[orderId]", id);
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !allow.split(", ").includes(m))) {
      const res = await request.fetch(path, { method });
      expect(res.status(), `${method} ${path}`).toBe(405);
      expect(res.headers()["allow"], `${method} ${path}`).toBe(allow);
      expect((await res.json()).error, `${method} ${path}`).toEqual({
        code: "METHOD_NOT_ALLOWED",
        message: `${method} is not allowed on ${path}: use ${allow.replaceAll(", ", " or ")}`,
      });
    }
  }
});

test("models API: another user's model id answers 404 and changes nothing", async ({ request }) => {
  const alice = await token(request, "apialice");
  const bob = await token(request, "apibob");
  const { model: m } = await (await request.post("/api/v1/models", { headers: auth(alice), data: model })).json();
  expect((await request.get(`/api/v1/models/${m.id}`, { headers: auth(bob) })).status()).toBe(404);
  expect((await request.patch(`/api/v1/models/${m.id}`, { headers: auth(bob), data: { name: "mine now" } })).status()).toBe(404);
  expect((await request.delete(`/api/v1/models/${m.id}`, { headers: auth(bob) })).status()).toBe(404);
  expect((await request.get(`/api/v1/models/not-a-uuid`, { headers: auth(bob) })).status()).toBe(404);
  const still = (await (await request.get(`/api/v1/models/${m.id}`, { headers: auth(alice) })).json()).model;
  expect(still).toMatchObject({ name: "API Momentum", isActive: true });
});
