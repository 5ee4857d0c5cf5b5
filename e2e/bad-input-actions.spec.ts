import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import type postgres from "postgres";
import { appTables, BAD_TEXT, MINUTE_BAR_CACHE, type BadCase, caseTitle, CaseRecord, countingWrites, countsBySurface, huge, unreadable } from "@/tests/support/bad-input";
import { e2eDatabase } from "./database";
import { bearer, Desk, PASSWORD, signUpForToken } from "./fixtures";

/**
 * Bad input to every server action (docs/api.md, "Bad input"), sent as the browser sends a call: a POST to a page
 * that uses the action, with its `Next-Action` id (from the build's server-reference manifest) and its arguments
 * encoded by React's own `encodeReply`, with the signed-in user's cookies; so the arguments can be anything the
 * wire can carry (NaN, Infinity, -0, objects where strings belong), which the UI never sends. Each call must be
 * refused in words (`{ok: false, message}`, or the model form's `{message, fieldErrors}`) and write nothing:
 * the rows of every table of the app are counted before and after.
 */
test.describe.configure({ mode: "default", timeout: 60_000 });

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.edge") as { encodeReply(value: unknown[]): Promise<string | FormData> };

interface Ids {
  /** A completed session, the archived model's completed session, a model, the archived model, another user's model. */
  S: string;
  SB: string;
  A: string;
  B: string;
  OM: string;
}
interface ActionInput {
  action: string;
  args: (ids: Ids) => unknown[];
}
type ActionCase = BadCase<ActionInput, "refused">;

const rows: ActionCase[] = [];
const add = (action: string, what: string, args: ActionInput["args"]) => rows.push({ surface: `action ${action}`, what, input: { action, args }, expected: "refused" });

/** A field the browser does not send at all. */
const OMIT = "\u0000omit";
/** The model form as the browser posts it (every field, as text), with `values` over a valid model. */
const modelForm = (values: Record<string, string>) => {
  const form = new FormData();
  const all = { name: "Bad input", signature: `bad-form-${randomUUID().slice(0, 8)}`, description: "", llm: "builtin:momentum", instructions: "", startingCash: "10000", ...values };
  for (const [k, v] of Object.entries(all)) if (v !== OMIT) form.set(k, v);
  return form;
};
const BACKTEST = (modelId: string) => ({ modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"] });

for (const [what, id] of [
  ["id a number", () => 42],
  ["id not a UUID", () => "not-a-uuid"],
  ["id null", () => null],
  ["id an object", () => ({ id: "x" })],
  ["another user's model", (x: Ids) => x.OM],
  ["id SQL injection", () => BAD_TEXT.sqlInjection],
  ["id 100 KB", () => huge(100 * 1024)],
] as const) add("cloneModelAction", what, (x) => [id(x)]);

for (const [what, ids] of [
  ["ids a string", () => "x"],
  ["no ids", () => []],
  ["one session", (x: Ids) => [x.S]],
  ["nine ids", () => Array.from({ length: 9 }, () => randomUUID())],
  ["an id that is not a UUID", (x: Ids) => ["not-a-uuid", x.S]],
  ["the same session twice", (x: Ids) => [x.S, x.S]],
  ["ids null", () => null],
  ["ids an array-like object", () => ({ length: 2, 0: "a", 1: "b" })],
  ["two sessions nobody has", () => [randomUUID(), randomUUID()]],
] as const) add("compareSessionsAction", what, (x) => [ids(x)]);

for (const [what, values] of [
  ["every field missing", { name: OMIT, signature: OMIT, llm: OMIT, startingCash: OMIT, description: OMIT, instructions: OMIT }],
  ["name empty", { name: "" }],
  ["name with a NUL byte", { name: BAD_TEXT.nul }],
  ["description with an escape character", { description: "bold \u001b[1m" }],
  ["startingCash negative", { startingCash: "-5" }],
  ["startingCash NaN", { startingCash: "NaN" }],
  ["signature with a space", { signature: "bad sig" }],
  ["signature SQL injection", { signature: BAD_TEXT.sqlInjection }],
  ["llm unknown", { llm: "builtin:astrology" }],
  ["llm builtin:constructor", { llm: "builtin:constructor" }],
  ["slippage in words", { slippageBps: "a lot" }],
  ["borrow rate negative", { borrowRateBps: "-1", allowShort: "on" }],
  ["apiKey with spaces", { llm: "openai:gpt-4o-mini", apiKey: "sk key with spaces" }],
  ["instructions 10,001 characters", { instructions: huge(10_001) }],
] as const) add("createModelAction", what, () => [{}, modelForm(values)]);

for (const [what, id, values] of [
  ["an id that is not a UUID", () => "not-a-uuid", {}],
  ["another user's model", (x: Ids) => x.OM, {}],
  ["name empty", (x: Ids) => x.A, { name: "" }],
  ["startingCash in exponent form", (x: Ids) => x.A, { startingCash: "1e3" }],
] as const) add("updateModelAction", what, (x) => [id(x), {}, modelForm(values)]);

for (const [what, args] of [
  ["id not a UUID", () => ["not-a-uuid", true]],
  ["isActive a string", (x: Ids) => [x.A, "yes"]],
  ["isActive null", (x: Ids) => [x.A, null]],
  ["isActive a number", (x: Ids) => [x.A, 1]],
  ["another user's model", (x: Ids) => [x.OM, false]],
] as const) add("setModelActiveAction", what, args);

for (const [what, args] of [
  ["the request a string", () => ["backtest please"]],
  ["the request null", () => [null]],
  ["kind live", (x: Ids) => [{ ...BACKTEST(x.A), kind: "live" }]],
  ["the other models a string", (x: Ids) => [BACKTEST(x.A), "x"]],
  ["20 other models", (x: Ids) => [BACKTEST(x.A), Array.from({ length: 20 }, () => randomUUID())]],
  ["another user's model among the others (none starts)", (x: Ids) => [BACKTEST(x.A), [x.OM]]],
  ["another user's model", (x: Ids) => [BACKTEST(x.OM)]],
  ["the archived model", (x: Ids) => [BACKTEST(x.B)]],
  ["501 symbols", (x: Ids) => [{ ...BACKTEST(x.A), symbols: Array.from({ length: 501 }, (_, i) => `Z${i}`) }]],
  ["start 30 February", (x: Ids) => [{ ...BACKTEST(x.A), start: "2025-02-30" }]],
] as const) add("startSessionAction", what, args);

for (const [what, id] of [
  ["id an object", () => ({})],
  ["id not a UUID", () => "not-a-uuid"],
  ["a session of an archived model", (x: Ids) => x.SB],
] as const) add("rerunSessionAction", what, (x) => [id(x)]);

for (const [what, args] of [
  ["action delete", (x: Ids) => [x.S, "delete"]],
  ["action __proto__", (x: Ids) => [x.S, "__proto__"]],
  ["action constructor", (x: Ids) => [x.S, "constructor"]],
  ["action null", (x: Ids) => [x.S, null]],
  ["pause a completed session", (x: Ids) => [x.S, "pause"]],
  ["id not a UUID", () => ["not-a-uuid", "pause"]],
] as const) add("controlSessionAction", what, args);

for (const [what, args] of [
  ["label a number", (x: Ids) => [x.S, 5]],
  ["label 81 characters", (x: Ids) => [x.S, huge(81)]],
  ["label two lines", (x: Ids) => [x.S, "a\nb"]],
  ["label with a NUL byte", (x: Ids) => [x.S, BAD_TEXT.nul]],
  ["label with a lone surrogate", (x: Ids) => [x.S, BAD_TEXT.loneSurrogate]],
  ["label an object", (x: Ids) => [x.S, { label: "x" }]],
  ["id not a UUID", () => ["not-a-uuid", "x"]],
] as const) add("renameSessionAction", what, args);

for (const [what, args] of [
  ["model id not a UUID", () => ["not-a-uuid", { name: "x" }]],
  ["another user's model", (x: Ids) => [x.OM, { name: "x" }]],
  ["the input a string", (x: Ids) => [x.A, "token please"]],
  ["name 81 characters", (x: Ids) => [x.A, { name: huge(81) }]],
  ["expiresInDays NaN", (x: Ids) => [x.A, { name: "x", expiresInDays: NaN }]],
  ["expiresInDays Infinity", (x: Ids) => [x.A, { name: "x", expiresInDays: Infinity }]],
  ["expiresInDays -1", (x: Ids) => [x.A, { name: "x", expiresInDays: -1 }]],
  ["sessionId of another model", (x: Ids) => [x.A, { name: "x", sessionId: x.SB }]],
  ["an unknown field", (x: Ids) => [x.A, { name: "x", userId: randomUUID() }]],
] as const) add("createModelTokenAction", what, args);

for (const [what, args] of [
  ["token id not a UUID", (x: Ids) => [x.A, "not-a-uuid"]],
  ["a token nobody has", (x: Ids) => [x.A, randomUUID()]],
  ["ids as objects", () => [{}, {}]],
] as const) add("revokeModelTokenAction", what, args);

add("getViewerStateAction", "id not a UUID", () => ["not-a-uuid"]);
add("getViewerStateAction", "id an object", () => [{}]);
add("getDecisionDetailAction", "decision id not a UUID", (x) => [x.S, "not-a-uuid"]);
add("getDecisionDetailAction", "a decision nobody has", (x) => [x.S, randomUUID()]);
add("getSessionPricesAction", "symbol SQL injection", (x) => [x.S, BAD_TEXT.sqlInjection]);
add("getSessionPricesAction", "a symbol outside the session", (x) => [x.S, "ZZPETR"]);
add("getSessionPricesAction", "session id not a UUID", () => ["not-a-uuid", "ZZSOLR"]);
add("getOptionGreeksAction", "session id not a UUID", () => ["not-a-uuid"]);
add("getOptionGreeksAction", "a session nobody has", () => [randomUUID()]);
add("getOptionGreeksAction", "session id an object", () => [{ id: "x" }]);
add("getOptionChainAction", "underlying SQL injection", (x) => [x.S, BAD_TEXT.sqlInjection, null]);
add("getOptionChainAction", "an underlying outside the session", (x) => [x.S, "ZZPETR", null]);
add("getOptionChainAction", "expiry 30 February", (x) => [x.S, "ZZSOLR", "2025-02-30"]);
add("getOptionChainAction", "expiry not a day", (x) => [x.S, "ZZSOLR", "next friday"]);
add("getOptionChainAction", "a session nobody has", () => [randomUUID(), "ZZSOLR", null]);
for (const [what, offset, limit] of [
  ["offset negative", -1, 10],
  ["limit 0", 0, 0],
  ["limit a billion", 0, 1e9],
  ["offset NaN, limit Infinity", Number.NaN, Number.POSITIVE_INFINITY],
  ["offset and limit strings", "0", "10"],
  ["offset fractional", 1.5, 10],
  ["limit -0", 0, -0],
] as const) add("getDecisionPageAction", what, (x) => [x.S, offset, limit]);

// ---- Running it ------------------------------------------------------------------------------------------------

interface ManifestEntry {
  exportedName: string;
  workers: Record<string, unknown>;
}
/** The actions of the build being served (read when the tests run: the web server builds the app after the tests are listed). */
let manifest: { node: Record<string, ManifestEntry> } | undefined;
const actionsOfBuild = () => (manifest ??= JSON.parse(readFileSync(new URL("../.next/server/server-reference-manifest.json", import.meta.url), "utf8")) as { node: Record<string, ManifestEntry> });

/** The action's id and a page that serves it ("app/(app)/sessions/[id]/page" → /sessions/<S>). */
function actionRoute(name: string, ids: Ids): { id: string; page: string } {
  const found = Object.entries(actionsOfBuild().node).find(([, e]) => e.exportedName === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  const worker = Object.keys(found[1].workers)[0]!;
  const page = worker.replace(/^app/, "").replace(/\/\([^)]+\)/g, "").replace(/\/page$/, "").replace("[id]", ids.S) || "/";
  return { id: found[0], page };
}

/**
 * The rows of an RSC payload by id: `<id>:<json>\n`, or `<id>:T<byte length in hex>,<text>` (a long string, with no
 * line end). Row 0 names the action's value ("$@1"); a "$<id>" inside a value refers to another row.
 */
function rscRows(payload: Buffer): Map<string, string> {
  const rowsById = new Map<string, string>();
  let at = 0;
  while (at < payload.length) {
    const colon = payload.indexOf(0x3a, at);
    if (colon < 0) break;
    const id = payload.toString("utf8", at, colon);
    if (payload[colon + 1] === 0x54 /* T */) {
      const comma = payload.indexOf(0x2c, colon);
      const length = parseInt(payload.toString("utf8", colon + 2, comma), 16);
      rowsById.set(id, JSON.stringify(payload.toString("utf8", comma + 1, comma + 1 + length)));
      at = comma + 1 + length;
    } else {
      const end = payload.indexOf(0x0a, colon);
      rowsById.set(id, payload.toString("utf8", colon + 1, end < 0 ? payload.length : end));
      at = end < 0 ? payload.length : end + 1;
    }
  }
  return rowsById;
}

/** The action's return value, its references to other rows ("$2") resolved. */
function resultOf(payload: Buffer): unknown {
  const rowsById = rscRows(payload);
  const row = (id: string): unknown =>
    JSON.parse(rowsById.get(id) ?? "null", (_key, value: unknown) => (typeof value === "string" && /^\$@?[0-9a-f]+$/.test(value) && value !== "$" ? row(value.replace(/^\$@?/, "")) : value));
  return (row("0") as { a?: unknown } | null)?.a;
}

let context: BrowserContext;
let api: APIRequestContext;
let sql: postgres.Sql;
let tables: Awaited<ReturnType<typeof appTables>>;
let ids: Ids;
let users: string[];
const record = new CaseRecord(rows);

test.beforeAll(async ({ browser, playwright }, info) => {
  test.setTimeout(240_000);
  const baseURL = info.project.use.baseURL!;
  sql = await e2eDatabase();
  const run = randomUUID().slice(0, 8);
  const ownerEmail = `bad-actions-${run}@bad-input.test`;
  context = await browser.newContext({ baseURL });
  const desk = new Desk(await context.newPage());
  await desk.signUp(ownerEmail, PASSWORD);
  api = context.request; // the signed-in user's cookies, as the browser sends them
  const other = await playwright.request.newContext({ baseURL });
  const otherToken = await signUpForToken(other, `bad-actions-other-${run}@bad-input.test`);
  const model = async (request: APIRequestContext, signature: string, headers: Record<string, string> = {}) => {
    const res = await request.post("/api/v1/models", { headers, data: { name: `Bad input ${signature}`, signature, llm: "builtin:buy-and-hold", startingCash: "10000" } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).model.id as string;
  };
  const A = await model(api, `active-${run}`);
  const B = await model(api, `archived-${run}`);
  const OM = await model(other, `other-${run}`, bearer(otherToken));
  const session = async (modelId: string) => {
    const res = await api.post("/api/v1/sessions", { data: { ...BACKTEST(modelId), symbols: ["ZZSOLR", "ZZWIND"] } });
    expect(res.status(), await res.text()).toBe(202);
    const id = (await res.json()).session.id as string;
    await expect.poll(async () => (await (await api.get(`/api/v1/sessions/${id}`)).json()).session.status, { timeout: 120_000, intervals: [250] }).toBe("completed");
    return id;
  };
  const [S, SB] = await Promise.all([session(A), session(B)]);
  expect((await api.delete(`/api/v1/models/${B}`)).status()).toBe(200);
  await other.dispose();
  ids = { S, SB, A, B, OM };
  const found = await sql<{ id: string }[]>`select id from auth.users where email in (${ownerEmail}, ${`bad-actions-other-${run}@bad-input.test`})`;
  users = found.map((r) => r.id);
  expect(users).toHaveLength(2);
  tables = await appTables(sql);
});

test.afterAll(async () => {
  await record.save("bad-input-actions.txt");
  await context?.close();
  await sql?.end();
});

rows.forEach((c, i) => {
  test(caseTitle(c, i, rows.length), async ({ baseURL }) => {
    const { id, page } = actionRoute(c.input.action, ids);
    const body = await encodeReply(c.input.args(ids));
    const headers = { "next-action": id, origin: baseURL!, accept: "text/x-component" };
    // The minute bars are left out: other tests' replays fill that cache in on this server at any moment (bad-input-api.spec.ts).
    const { result: res, changes } = await countingWrites(sql, tables, { users, skip: [MINUTE_BAR_CACHE] }, async () => {
      const response =
        typeof body === "string"
          ? await api.post(page, { headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, data: Buffer.from(body, "utf8"), maxRedirects: 0 })
          : await api.post(page, { headers, multipart: body, maxRedirects: 0 });
      const bytes = await response.body();
      return { status: response.status(), redirect: response.headers()["x-action-redirect"], bytes, text: bytes.toString("utf8") };
    });
    const answer = res.status === 200 ? (resultOf(res.bytes) as { ok?: unknown; message?: unknown } | undefined) : undefined;
    record.add(i, `${res.status}${res.redirect ? ` redirect ${res.redirect}` : ""}: ${JSON.stringify(answer ?? res.text.slice(0, 200))}`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.redirect, "a refused call does not redirect").toBeUndefined();
    expect(answer?.ok, JSON.stringify(answer)).not.toBe(true);
    expect(unreadable(answer?.message), JSON.stringify(answer)).toBeNull();
    expect(changes, "rows written").toEqual([]);
  });
});

test("the server actions table's count", () => {
  const { surfaces, total } = countsBySurface(rows);
  console.log(`bad input to server actions: ${total} cases`);
  test.info().annotations.push({ type: "cases", description: `${total}: ${Object.entries(surfaces).map(([s, n]) => `${s} ${n}`).join(", ")}` });
  expect(new Set(rows.map((c) => `${c.surface}|${c.what}`)).size, "every case is a different input").toBe(total);
  expect(new Set(rows.map((c) => c.input.action)), "every server action of the build is in the table").toEqual(new Set(Object.values(actionsOfBuild().node).map((e) => e.exportedName)));
});
