import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, newEmail, signUpForToken } from "./fixtures";

/**
 * The sessions HTTP API against the production build with its worker (npm start), on the synthetic
 * market the app seeds on a fresh machine (2025, ZZ… symbols). Docs: docs/api.md, "Sessions".
 */
test.describe.configure({ timeout: 180_000 });

const SYMBOLS = ["ZZSOLR", "ZZPETR", "ZZWIND"];

const token = (request: APIRequestContext, label: string) => signUpForToken(request, newEmail(label));
const auth = bearer;

async function newModel(request: APIRequestContext, t: string, llm = "builtin:momentum") {
  const res = await request.post("/api/v1/models", { headers: auth(t), data: { name: "API model", signature: `m-${Date.now().toString(36)}`, llm, startingCash: "25000" } });
  expect(res.status()).toBe(201);
  return (await res.json()).model.id as string;
}

async function waitFor(request: APIRequestContext, t: string, id: string, statuses: string[]) {
  let session: { status: string } = { status: "" };
  await expect
    .poll(
      async () => {
        session = (await (await request.get(`/api/v1/sessions/${id}`, { headers: auth(t) })).json()).session;
        return statuses.includes(session.status);
      },
      { timeout: 120_000, intervals: [250] },
    )
    .toBe(true);
  return session;
}

interface Sse {
  id: number;
  event: string;
  data: { seq: number; type: string; payload: Record<string, unknown> };
}

/** Reads the SSE stream with fetch (a browser's EventSource cannot send a Bearer token). */
async function readEvents(baseURL: string, t: string, id: string, stop: (e: Sse, all: Sse[]) => boolean, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${baseURL}/api/v1/sessions/${id}/events`, { headers: { ...auth(t), ...headers }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const lines = buffer.slice(0, cut).split("\n");
        buffer = buffer.slice(cut + 2);
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        if (field("id") === undefined) continue;
        const e = { id: Number(field("id")), event: field("event")!, data: JSON.parse(field("data")!) };
        events.push(e);
        if (stop(e, events)) return events;
      }
    }
  } finally {
    abort.abort();
  }
}
const terminal = (e: Sse) => e.event === "status" && ["completed", "failed", "cancelled"].includes(String(e.data.payload.status));

test("sessions API: start a backtest, follow it over SSE, read its results; Last-Event-ID resumes exactly", async ({ request, baseURL }) => {
  const t = await token(request, "sess");
  const modelId = await newModel(request, t);
  const created = await request.post("/api/v1/sessions", {
    headers: auth(t),
    data: { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-04-30", symbols: SYMBOLS, label: "api run" },
  });
  expect(created.status()).toBe(202);
  const { session } = await created.json();
  expect(created.headers().location).toBe(`/api/v1/sessions/${session.id}`);
  expect(session).toMatchObject({ modelId, llm: "builtin:momentum", instructions: "", label: "api run", kind: "backtest", interval: "day", status: "pending", symbols: SYMBOLS, start: "2025-03-03", end: "2025-04-30" });
  expect(session.progress.total).toBeGreaterThan(30);

  const all = await readEvents(baseURL!, t, session.id, terminal);
  expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
  expect(all[0]!.data.payload.status).toBe("pending");
  expect(all.at(-1)!.data.payload.status).toBe("completed");
  expect(new Set(all.map((e) => e.event))).toEqual(new Set(["status", "decision", "order", "fill", "equity"]));
  // Reconnect with Last-Event-ID: exactly the events after it.
  const after = await readEvents(baseURL!, t, session.id, (_e, got) => got.length === 5, { "last-event-id": String(all.length - 5) });
  expect(after.map((e) => e.id)).toEqual([all.length - 4, all.length - 3, all.length - 2, all.length - 1, all.length]);
  expect(after.map((e) => e.data)).toEqual(all.slice(-5).map((e) => e.data));

  const detail = (await (await request.get(`/api/v1/sessions/${session.id}`, { headers: auth(t) })).json()).session;
  expect(detail.status).toBe("completed");
  expect(detail.progress).toEqual({ done: session.progress.total, total: session.progress.total, etaSeconds: null });
  expect(detail.metrics).toMatchObject({ tradeCount: expect.any(Number), feesPaid: "0.000000" });
  expect(detail.benchmark.kind).toBe("equal-weight");
  const equity = await (await request.get(`/api/v1/sessions/${session.id}/equity`, { headers: auth(t) })).json();
  expect(equity.points).toHaveLength(session.progress.total);
  expect(equity.benchmark.values).toHaveLength(session.progress.total);
  const decisions = (await (await request.get(`/api/v1/sessions/${session.id}/decisions?limit=5`, { headers: auth(t) })).json()).decisions;
  expect(decisions).toHaveLength(5);
  expect(decisions[0]).toMatchObject({ llm: "builtin:momentum", outcome: expect.stringMatching(/traded|held/) });
  const decisionsOf = async (query: string) => (await (await request.get(`/api/v1/sessions/${session.id}/decisions?${query}`, { headers: auth(t) })).json()).decisions as { outcome: string }[];
  const [traded, held] = [await decisionsOf("show=traded"), await decisionsOf("show=held")];
  expect(traded.length).toBeGreaterThan(0);
  expect(new Set(traded.map((d) => d.outcome))).toEqual(new Set(["traded"]));
  expect(traded.length + held.length).toBe(session.progress.total);
  const orders = (await (await request.get(`/api/v1/sessions/${session.id}/orders`, { headers: auth(t) })).json()).orders;
  expect(orders.filter((o: { status: string }) => o.status === "filled").length).toBe(detail.metrics.tradeCount);
  const list = (await (await request.get(`/api/v1/sessions?status=completed`, { headers: auth(t) })).json()).sessions;
  expect(list.map((s: { id: string }) => s.id)).toEqual([session.id]);
});

test("sessions API: pause, resume and cancel a minute replay", async ({ request }) => {
  const t = await token(request, "ctl");
  const modelId = await newModel(request, t, "builtin:random");
  // Paced at 20 bars a second (at least 19.5 s in all), so that pause and cancel land mid-run.
  const { session } = await (
    await request.post("/api/v1/sessions", { headers: auth(t), data: { modelId, kind: "replay", day: "2025-05-06", symbols: SYMBOLS, settings: { paceMs: 50 } } })
  ).json();
  expect(session.progress.total).toBe(390);
  expect(session.settings.paceMs).toBe(50);
  await waitFor(request, t, session.id, ["running"]);
  const paused = await request.post(`/api/v1/sessions/${session.id}/pause`, { headers: auth(t) });
  expect(paused.status()).toBe(200);
  expect((await paused.json()).session.status).toBe("paused");
  const at = (await (await request.get(`/api/v1/sessions/${session.id}`, { headers: auth(t) })).json()).session.progress.done;
  await new Promise((r) => setTimeout(r, 1000));
  expect((await (await request.get(`/api/v1/sessions/${session.id}`, { headers: auth(t) })).json()).session.progress.done).toBe(at);
  expect((await (await request.post(`/api/v1/sessions/${session.id}/resume`, { headers: auth(t), data: {} })).json()).session.status).toBe("pending");
  await waitFor(request, t, session.id, ["running", "completed"]);
  expect((await (await request.post(`/api/v1/sessions/${session.id}/cancel`, { headers: auth(t) })).json()).session.status).toBe("cancelled");
  const events = (await (await request.get(`/api/v1/sessions/${session.id}`, { headers: auth(t) })).json()).session;
  expect(events.progress.done).toBeLessThan(390);
  const again = await request.post(`/api/v1/sessions/${session.id}/resume`, { headers: auth(t) });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("INVALID_STATE");
});

test("leaderboard API: finished sessions ranked and filtered, two compared bar by bar; bad ids refused, another user's not found", async ({ request }) => {
  const t = await token(request, "board");
  const [momentum, hold] = [await newModel(request, t), await newModel(request, t, "builtin:buy-and-hold")];
  const start = async (modelId: string) =>
    (await (await request.post("/api/v1/sessions", { headers: auth(t), data: { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-14", symbols: SYMBOLS } })).json()).session.id as string;
  const [a, b] = [await start(momentum), await start(hold)];
  await waitFor(request, t, a, ["completed"]);
  await waitFor(request, t, b, ["completed"]);
  const get = async (path: string, tok = t) => {
    const res = await request.get(path, { headers: auth(tok) });
    return { status: res.status(), body: await res.json() };
  };
  const returnOf = async (id: string) => (await get(`/api/v1/sessions/${id}`)).body.session.metrics.totalReturn as number;

  const board = await get("/api/v1/leaderboard");
  expect(board.status).toBe(200);
  expect(board.body).toMatchObject({ total: 2, unranked: 0 });
  const entry = (id: string) => board.body.entries.find((e: { id: string }) => e.id === id);
  for (const id of [a, b]) {
    expect(entry(id)).toMatchObject({ kind: "backtest", interval: "day", bars: 10, symbols: 3, totalReturn: await returnOf(id), benchmarkName: "Equal-weight basket (buy-and-hold)" });
  }
  expect((await get(`/api/v1/leaderboard?modelId=${hold}`)).body.entries.map((e: { id: string }) => e.id)).toEqual([b]);
  expect((await get("/api/v1/leaderboard?interval=minute")).body).toMatchObject({ entries: [], total: 0 });
  expect(await get("/api/v1/leaderboard?interval=week")).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", fields: { interval: "interval must be day, hour or minute" } } } });
  expect(await get("/api/v1/leaderboard?sort=sharpe")).toMatchObject({ status: 400, body: { error: { fields: { query: "unknown parameter(s): sort" } } } });

  // The same ten days: one row per bar with its time, both curves from 100, then their shared benchmark.
  const compared = await get(`/api/v1/leaderboard/compare?sessions=${a},${b}`);
  expect(compared.status).toBe(200);
  const { comparison } = compared.body;
  expect(comparison).toMatchObject({ axis: "bars", sessionIds: [a, b], benchmark: "equal-weight", span: 10 });
  expect(comparison.rows).toHaveLength(10);
  expect(comparison.rows[0]).toEqual({ x: 0, t: "2025-03-03T14:30:00.000Z", values: [100, 100, 100] });
  expect(comparison.rows.map((r: { x: number }) => r.x)).toEqual([...Array(10).keys()]);
  expect(comparison.rows.at(-1).values[0]).toBeCloseTo(100 * (1 + (await returnOf(a))), 2);

  const refused = async (query: string, message: string) => expect(await get(`/api/v1/leaderboard/compare?${query}`)).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", message } } });
  await refused(`sessions=${a}`, "Pick at least two sessions to compare");
  await refused(`sessions=${a},${a}`, "Pick at least two different sessions to compare");
  await refused(`sessions=${a},nope`, "Each session id must be a UUID");
  await refused("", "The query string is not valid");
  const other = await token(request, "board-other");
  expect(await get(`/api/v1/leaderboard/compare?sessions=${a},${b}`, other)).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: `No session ${a} with equity to compare among yours` } } });
  expect((await get("/api/v1/leaderboard", other)).body).toEqual({ entries: [], total: 0, unranked: 0 });
  expect((await request.get("/api/v1/leaderboard")).status()).toBe(401);
});

test("sessions API: an array of requests starts them all, in order, or none, naming the request at fault", async ({ request }) => {
  const t = await token(request, "sbatch");
  const other = await token(request, "sbatch-other");
  const [momentum, reversion] = [await newModel(request, t), await newModel(request, t, "builtin:mean-reversion")];
  const theirs = await newModel(request, other);
  const week = (modelId: string, label: string) => ({ modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: SYMBOLS, label });
  const post = async (data: unknown) => {
    const res = await request.post("/api/v1/sessions", { headers: auth(t), data: data as object });
    return { status: res.status(), body: await res.json() };
  };
  const listed = async () => (await (await request.get("/api/v1/sessions", { headers: auth(t) })).json()).sessions as { id: string }[];

  // Any request wrong: none starts, and the error says which.
  const bad = await post([week(momentum, "a"), { ...week(reversion, "b"), start: "2025-03-07", end: "2025-03-03" }]);
  expect(bad).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", message: "Request 2 of 2: The session request is not valid" } } });
  expect(Object.keys(bad.body.error.fields)).toEqual(["1.end"]);
  expect(await post([week(momentum, "a"), week(theirs, "theirs")])).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: "Request 2 of 2: Model not found" } } });
  expect(await post([{ ...week(momentum, "a"), symbols: ["ZZSOLR", "NOPE"] }, week(reversion, "b")])).toMatchObject({ status: 400, body: { error: { code: "UNKNOWN_SYMBOL" } } });
  expect((await post([])).status).toBe(400);
  expect((await post(Array.from({ length: 21 }, () => week(momentum, "x")))).status).toBe(400);
  expect(await listed()).toEqual([]);

  // All good: 202 with the sessions in the order asked (the limit is 3: both start now), each run to the end.
  const ok = await post([week(momentum, "first"), week(reversion, "second")]);
  expect(ok.status).toBe(202);
  expect(ok.body.sessions.map((s: { modelId: string; label: string; status: string }) => [s.modelId, s.label, s.status])).toEqual([
    [momentum, "first", "pending"],
    [reversion, "second", "pending"],
  ]);
  expect((await listed()).map((s) => s.id).sort()).toEqual(ok.body.sessions.map((s: { id: string }) => s.id).sort());
  for (const s of ok.body.sessions) expect((await waitFor(request, t, s.id, ["completed", "failed"])).status).toBe("completed");
});

test("sessions API: bad input on every route gets a 4xx with a clear code; another user's session is 404", async ({ request, baseURL }) => {
  const t = await token(request, "sbad");
  const bob = await token(request, "sbob");
  const modelId = await newModel(request, t);
  const bobsModel = await newModel(request, bob);
  const ok = { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: SYMBOLS };
  const cases: [unknown, number, string, string | null][] = [
    [{ ...ok, start: 20250303 }, 400, "VALIDATION_FAILED", "start"],
    [{ ...ok, symbols: "ZZSOLR" }, 400, "VALIDATION_FAILED", "symbols"],
    [{ ...ok, label: "x".repeat(81) }, 400, "VALIDATION_FAILED", "label"],
    [{ ...ok, owner: "me" }, 400, "VALIDATION_FAILED", "body"],
    [{ ...ok, start: "2025-03-07", end: "2025-03-03" }, 400, "VALIDATION_FAILED", "end"],
    [{ ...ok, start: "2025-03-08", end: "2025-03-14" }, 400, "NOT_A_TRADING_DAY", "start"],
    [{ ...ok, start: "2026-03-02", end: "2026-03-06" }, 400, "NO_DATA", "symbols"],
    [{ ...ok, end: "2026-01-05" }, 400, "DATES_OUTSIDE_DATA", "end"],
    [{ ...ok, symbols: ["ZZSOLR", "NOPE"] }, 400, "UNKNOWN_SYMBOL", "symbols"],
    [{ ...ok, modelId: bobsModel }, 404, "NOT_FOUND", null],
    [{ modelId, kind: "replay", day: "2025-03-03", decideEvery: 0 }, 400, "VALIDATION_FAILED", "decideEvery"],
    [{ ...ok, settings: { paceMs: 60_000 } }, 400, "VALIDATION_FAILED", "settings.paceMs"],
    [{ ...ok, settings: { slippageBps: "5" } }, 400, "VALIDATION_FAILED", "settings.slippageBps"],
    [{ ...ok, settings: { fees: { perOrder: "-1" } } }, 400, "VALIDATION_FAILED", "settings.fees.perOrder"],
    [{ ...ok, settings: { leverage: 10 } }, 400, "VALIDATION_FAILED", "settings"],
    [[1, 2], 400, "VALIDATION_FAILED", null],
  ];
  for (const [data, status, code, field] of cases) {
    const res = await request.post("/api/v1/sessions", { headers: auth(t), data: data as object });
    const body = await res.json();
    expect(res.status(), JSON.stringify(data)).toBe(status);
    expect(body.error.code, JSON.stringify(body)).toBe(code);
    if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
  }
  const raw = await request.post("/api/v1/sessions", { headers: { ...auth(t), "content-type": "application/json" }, data: Buffer.from("{nope") });
  expect((await raw.json()).error.code).toBe("INVALID_JSON");
  expect((await request.post("/api/v1/sessions", { data: ok })).status()).toBe(401);
  // Nothing was created by any of it.
  expect((await (await request.get("/api/v1/sessions", { headers: auth(t) })).json()).sessions).toEqual([]);

  // Query strings: unknown or malformed parameters.
  for (const path of ["/api/v1/sessions?colour=red", "/api/v1/sessions?status=sleeping", "/api/v1/sessions?limit=0", "/api/v1/sessions?offset=1.5", "/api/v1/sessions?offset=-1"]) {
    const res = await request.get(path, { headers: auth(t) });
    expect(res.status(), path).toBe(400);
    expect((await res.json()).error.code).toBe("VALIDATION_FAILED");
  }

  // Bob's session: every route answers 404 to the other user, exactly like a missing id.
  const { session } = await (await request.post("/api/v1/sessions", { headers: auth(bob), data: { ...ok, modelId: bobsModel } })).json();
  const missing = "00000000-0000-4000-8000-000000000000";
  for (const id of [session.id, missing, "not-a-uuid"]) {
    for (const [method, path] of [
      ["GET", ""],
      ["GET", "/decisions"],
      ["GET", "/orders"],
      ["GET", "/equity"],
      ["GET", "/orders.csv"],
      ["GET", "/events"],
      ["POST", "/pause"],
      ["POST", "/resume"],
      ["POST", "/cancel"],
      ["POST", "/rerun"],
      ["PATCH", ""],
    ] as const) {
      const url = `/api/v1/sessions/${id}${path}`;
      const res = method === "GET" ? await request.get(url, { headers: auth(t) }) : await request.fetch(url, { method, headers: auth(t), data: method === "PATCH" ? { label: "mine now" } : undefined });
      expect(res.status(), `${method} ${path} ${id}`).toBe(404);
      expect((await res.json()).error.code).toBe("NOT_FOUND");
    }
  }
  // Bob's own routes refuse bad parameters and bodies.
  const bad: [string, string, unknown, string][] = [
    ["GET", `/api/v1/sessions/${session.id}/decisions?limit=abc`, undefined, "VALIDATION_FAILED"],
    ["GET", `/api/v1/sessions/${session.id}/decisions?show=winners`, undefined, "VALIDATION_FAILED"],
    ["GET", `/api/v1/sessions/${session.id}/orders.csv?format=xlsx`, undefined, "VALIDATION_FAILED"],
    ["GET", `/api/v1/sessions/${session.id}/orders?offset=-1`, undefined, "VALIDATION_FAILED"],
    ["GET", `/api/v1/sessions/${session.id}/equity?from=0`, undefined, "VALIDATION_FAILED"],
    ["GET", `/api/v1/sessions/${session.id}/events?lastEventId=abc`, undefined, "INVALID_LAST_EVENT_ID"],
    ["POST", `/api/v1/sessions/${session.id}/pause`, { force: true }, "VALIDATION_FAILED"],
    ["POST", `/api/v1/sessions/${session.id}/rerun`, { settings: { seed: 1 } }, "VALIDATION_FAILED"],
    ["PATCH", `/api/v1/sessions/${session.id}`, {}, "VALIDATION_FAILED"],
    ["PATCH", `/api/v1/sessions/${session.id}`, { label: "  " }, "VALIDATION_FAILED"],
    ["PATCH", `/api/v1/sessions/${session.id}`, { label: "two\nlines" }, "VALIDATION_FAILED"],
    ["PATCH", `/api/v1/sessions/${session.id}`, { label: 42 }, "VALIDATION_FAILED"],
    ["PATCH", `/api/v1/sessions/${session.id}`, { label: "ok", symbols: ["ZZSOLR"] }, "VALIDATION_FAILED"],
  ];
  for (const [method, path, data, code] of bad) {
    const res = method === "GET" ? await request.get(path, { headers: auth(bob) }) : await request.fetch(path, { method, headers: auth(bob), data: data as object });
    expect(res.status(), `${method} ${path} ${JSON.stringify(data)}`).toBe(400);
    expect((await res.json()).error.code).toBe(code);
  }
  const labelOf = async () => (await (await request.get(`/api/v1/sessions/${session.id}`, { headers: auth(bob) })).json()).session.label;
  expect(await labelOf()).toBeNull(); // neither the other user's PATCH nor a bad one changed it
  const sse = await fetch(`${baseURL}/api/v1/sessions/${session.id}/events`, { headers: { ...auth(bob), "last-event-id": "x" } });
  expect(sse.status).toBe(400);
  await waitFor(request, bob, session.id, ["completed"]);
  const done = await request.post(`/api/v1/sessions/${session.id}/pause`, { headers: auth(bob) });
  expect(done.status()).toBe(409);
  // Renamed after it finished (the label is the user's name for the run, not one of its rules), then unnamed.
  const renamed = await request.patch(`/api/v1/sessions/${session.id}`, { headers: auth(bob), data: { label: "  first week  " } });
  expect(renamed.status()).toBe(200);
  expect((await renamed.json()).session).toMatchObject({ id: session.id, label: "first week", status: "completed", symbols: SYMBOLS });
  expect(await labelOf()).toBe("first week");
  expect((await (await request.patch(`/api/v1/sessions/${session.id}`, { headers: auth(bob), data: { label: null } })).json()).session.label).toBeNull();
  // Run again: a new session of the same request, 202 like a start.
  const rerun = await request.post(`/api/v1/sessions/${session.id}/rerun`, { headers: auth(bob) });
  expect(rerun.status()).toBe(202);
  const again = (await rerun.json()).session;
  expect(rerun.headers().location).toBe(`/api/v1/sessions/${again.id}`);
  expect(again).toMatchObject({ modelId: bobsModel, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: SYMBOLS, status: "pending" });
  expect(again.id).not.toBe(session.id);
});
