import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type postgres from "postgres";
import { appTables, BAD_TEXT, MINUTE_BAR_CACHE, type BadCase, caseTitle, CaseRecord, countingWrites, countsBySurface, deepArrayJson, deepObjectJson, huge, MB, unreadable } from "@/tests/support/bad-input";
import { e2eDatabase } from "./database";
import { bearer, PASSWORD, PUBLISHABLE_KEY } from "./fixtures";

/**
 * Bad input over HTTP, against the production server (docs/api.md, "Bad input"): every route of /api/v1 and of
 * the built-in auth at /auth/v1, their bodies, path parameters and query strings. One row per case; each must be
 * answered with its 4xx and a message in words ({error: {code, message}}, or Supabase's {code, message}), and
 * write nothing: the rows of every table of the app (read through a direct connection to the server's database)
 * are counted before and after. The cases run in order in one worker, over fixtures made once: a user with a
 * model, an archived model and a completed session of each, another user's model, and an admin.
 */
test.describe.configure({ mode: "default", timeout: 60_000 });

type Who = "owner" | "admin" | "none";
interface HttpInput {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** With {S} (a completed session), {SB} (the archived model's session), {A} (a model), {B} (the archived model), {OM} (another user's model). */
  path: string;
  /** Sent as JSON text (placeholders replaced); a string or bytes in `raw` are sent as they are. */
  json?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Whose Bearer token (default the owner's); the auth server's cases send the publishable key instead unless `headers` say. */
  as?: Who;
}
interface Expected {
  status: number;
  code?: string;
}
type HttpCase = BadCase<HttpInput, Expected>;

const NIL = "00000000-0000-0000-0000-000000000000";
const run = randomUUID().slice(0, 8);

// ---- The table -----------------------------------------------------------------------------------------------

const rows: HttpCase[] = [];
const add = (surface: string, what: string, input: HttpInput, status: number, code?: string) => rows.push({ surface, what, input, expected: { status, code } });

// POST /api/v1/models ------------------------------------------------------------------------------------------
const MODEL = { name: "Bad input", signature: "bad-input", llm: "builtin:momentum", startingCash: "10000" };
const postModel = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED") =>
  add("POST /api/v1/models", what, { method: "POST", path: "/api/v1/models", json: body }, status, code);
const postModelRaw = (what: string, raw: string | Buffer, status = 400, code?: string, headers?: Record<string, string>) =>
  add("POST /api/v1/models", what, { method: "POST", path: "/api/v1/models", raw, headers: { "content-type": "application/json", ...headers } }, status, code);

for (const [what, patch] of [
  ["name a number", { name: 42 }],
  ["name null", { name: null }],
  ["name an array", { name: ["Bad"] }],
  ["name an object", { name: {} }],
  ["signature a number", { signature: 7 }],
  ["llm a boolean", { llm: true }],
  ["llm an array", { llm: ["builtin:momentum"] }],
  ["startingCash a boolean", { startingCash: true }],
  ["startingCash an array", { startingCash: ["10000"] }],
  ["startingCash a query operator object", { startingCash: { $gt: 0 } }],
  ["description a number", { description: 5 }],
  ["instructions an object", { instructions: {} }],
  ["trading a string", { trading: "fast" }],
  ["trading an array", { trading: [] }],
  ["trading.slippageBps a string", { trading: { slippageBps: "5" } }],
  ["trading.allowShort a string", { trading: { allowShort: "yes" } }],
  ["apiKey a number", { apiKey: 123 }],
] as const) postModel(what, { ...MODEL, ...patch });
for (const field of ["name", "signature", "llm", "startingCash"] as const) {
  postModel(`${field} missing`, Object.fromEntries(Object.entries(MODEL).filter(([k]) => k !== field)));
}
postModel("an empty object", {});
for (const [what, extra] of [
  ["an unknown field userId", { userId: NIL }],
  ["an unknown field id", { id: NIL }],
  ["isActive, which a new model does not take", { isActive: false }],
  ["an unknown field createdAt", { createdAt: "2020-01-01" }],
  ["an unknown field in trading", { trading: { leverage: 100 } }],
] as const) postModel(what, { ...MODEL, ...extra });
postModelRaw("a __proto__ field (prototype pollution)", `{"name":"Bad","signature":"bad-proto","llm":"builtin:momentum","startingCash":"100","__proto__":{"isAdmin":true}}`, 400, "VALIDATION_FAILED");
postModelRaw("a constructor.prototype field", `{"name":"Bad","signature":"bad-ctor","llm":"builtin:momentum","startingCash":"100","constructor":{"prototype":{"isAdmin":true}}}`, 400, "VALIDATION_FAILED");
postModelRaw("trading.__proto__", `{"name":"Bad","signature":"bad-tproto","llm":"builtin:momentum","startingCash":"100","trading":{"__proto__":{"allowShort":true}}}`, 400, "VALIDATION_FAILED");
for (const [what, patch] of [
  ["name 81 characters", { name: huge(81) }],
  ["name 100 KB", { name: huge(100 * 1024) }],
  ["signature 41 characters", { signature: `a${"-b".repeat(20)}` }],
  ["description 501 characters", { description: huge(501) }],
  ["instructions 10,001 characters", { instructions: huge(10_001) }],
  ["instructions 900 KB", { instructions: huge(900 * 1024) }],
  ["apiKey 501 characters", { apiKey: huge(501) }],
] as const) postModel(what, { ...MODEL, ...patch });
postModel("a 2 MB body", { ...MODEL, instructions: huge(2 * MB) }, 413, "PAYLOAD_TOO_LARGE");
postModelRaw("a 10 MB body", JSON.stringify({ ...MODEL, pad: huge(10 * MB) }), 413, "PAYLOAD_TOO_LARGE");
postModelRaw("trading nested 10,000 levels deep", `{"name":"Bad","signature":"bad-deep","llm":"builtin:momentum","startingCash":"100","trading":${deepObjectJson(10_000)}}`, 400, "JSON_TOO_DEEP");
postModelRaw("a body of arrays nested 100,000 levels deep", deepArrayJson(100_000), 400, "JSON_TOO_DEEP");
postModelRaw("trading nested 40 levels deep", `{"name":"Bad","signature":"bad-deep40","llm":"builtin:momentum","startingCash":"100","trading":${deepObjectJson(40)}}`, 400, "JSON_TOO_DEEP");
for (const [what, patch] of [
  ["name with a NUL byte", { name: BAD_TEXT.nul }],
  ["name with a lone surrogate", { name: BAD_TEXT.loneSurrogate }],
  ["description with an escape character", { description: "bold \u001b[1m" }],
  ["instructions with a bell character", { instructions: "ring \u0007" }],
  ["signature with emoji", { signature: `bad-${BAD_TEXT.emoji}` }],
  ["signature with an RTL override", { signature: "bad-\u202eevil" }],
  ["signature in upper case", { signature: "Bad-Input" }],
  ["signature with a space", { signature: "bad input" }],
  ["llm with a NUL byte", { llm: "openai:gpt-4o\u0000" }],
  ["signature SQL injection", { signature: BAD_TEXT.sqlInjection }],
  ["signature a script tag", { signature: BAD_TEXT.script }],
  ["llm SQL injection", { llm: `builtin:${BAD_TEXT.sqlInjection}` }],
  ["llm builtin:constructor (an Object.prototype key)", { llm: "builtin:constructor" }],
  ["llm builtin:__proto__", { llm: "builtin:__proto__" }],
  ["llm builtin:toString", { llm: "builtin:toString" }],
  ["startingCash SQL injection", { startingCash: "1; drop table models" }],
  ["startingCash NaN", { startingCash: "NaN" }],
  ["startingCash Infinity", { startingCash: "Infinity" }],
  ["startingCash negative", { startingCash: -5 }],
  ["startingCash 3 decimals", { startingCash: "10.001" }],
  ["startingCash in exponent form", { startingCash: "1e3" }],
  ["startingCash above $1,000,000,000", { startingCash: 1_000_000_001 }],
  ["startingCash in hex", { startingCash: "0x10" }],
  ["startingCash half a dollar", { startingCash: 0.5 }],
  ["startingCash empty", { startingCash: "" }],
  ["trading.slippageBps fractional", { trading: { slippageBps: 1.5 } }],
  ["trading.slippageBps negative", { trading: { slippageBps: -1 } }],
  ["trading.slippageBps 10000", { trading: { slippageBps: 10_000 } }],
  ["trading.borrowRateBps 100001", { trading: { borrowRateBps: 100_001 } }],
  ["trading.shortMarginRequirementBps 9999", { trading: { shortMarginRequirementBps: 9_999 } }],
  ["trading.fees.perShare negative", { trading: { fees: { perShare: "-0.01" } } }],
  ["trading.fees.perShare 7 decimals", { trading: { fees: { perShare: "0.0000001" } } }],
  ["trading.fees.perOrder 15 digits", { trading: { fees: { perOrder: "100000000000000" } } }],
  ["trading.fees.notionalBps 10001", { trading: { fees: { notionalBps: 10_001 } } }],
  ["trading.fees an unknown fee", { trading: { fees: { perMinute: "1" } } }],
] as const) postModel(what, { ...MODEL, ...patch });
postModelRaw("startingCash 1e309 (Infinity once parsed)", `{"name":"Bad","signature":"bad-inf","llm":"builtin:momentum","startingCash":1e309}`, 400, "VALIDATION_FAILED");
postModelRaw("startingCash -0", `{"name":"Bad","signature":"bad-zero","llm":"builtin:momentum","startingCash":-0}`, 400, "VALIDATION_FAILED");
postModelRaw("an invalid UTF-8 byte in name", Buffer.concat([Buffer.from('{"name":"Bad'), Buffer.from([0xff]), Buffer.from('","signature":"bad-utf8","llm":"builtin:momentum","startingCash":"100"}')]), 400, "INVALID_JSON");
postModelRaw("an overlong UTF-8 '/' in name", Buffer.concat([Buffer.from('{"name":"Bad'), Buffer.from([0xc0, 0xaf]), Buffer.from('","signature":"bad-long","llm":"builtin:momentum","startingCash":"100"}')]), 400, "INVALID_JSON");
postModelRaw("a UTF-16 body", Buffer.from(JSON.stringify({ ...MODEL, signature: "bad-utf16" }), "utf16le"), 400, "INVALID_JSON");
postModelRaw("a form-encoded body", "name=Bad&signature=bad-form&llm=builtin%3Amomentum&startingCash=100", 400, "INVALID_JSON", { "content-type": "application/x-www-form-urlencoded" });
postModelRaw("a text/plain body", "please make me a model", 400, "INVALID_JSON", { "content-type": "text/plain" });
postModelRaw("a multipart body", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nBad\r\n--x--\r\n", 400, "INVALID_JSON", { "content-type": "multipart/form-data; boundary=x" });
postModelRaw("an empty body", "", 400, "INVALID_JSON");
postModelRaw("the body null", "null", 400, "VALIDATION_FAILED");
postModelRaw("the body an array", "[]", 400, "VALIDATION_FAILED");
postModelRaw("the body a string", '"a model"', 400, "VALIDATION_FAILED");
postModelRaw("the body a number", "42", 400, "VALIDATION_FAILED");
postModelRaw("JSON with a trailing comma", `{"name":"Bad","signature":"bad-comma","llm":"builtin:momentum","startingCash":"100",}`, 400, "INVALID_JSON");
postModelRaw("JSON with a comment", `{"name":"Bad" /* hi */,"signature":"bad-comment","llm":"builtin:momentum","startingCash":"100"}`, 400, "INVALID_JSON");
postModelRaw("JSON with single quotes", `{'name':'Bad','signature':'bad-quote','llm':'builtin:momentum','startingCash':'100'}`, 400, "INVALID_JSON");
postModelRaw("JSON with a NaN literal", `{"name":"Bad","signature":"bad-nan","llm":"builtin:momentum","startingCash":NaN}`, 400, "INVALID_JSON");
for (const [what, authorization] of [
  ["no token", undefined],
  ["a token that is not a JWT", "Bearer not.a.jwt"],
  ["an unsigned token (alg none)", `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(`{"sub":"${NIL}","role":"authenticated","aud":"authenticated","exp":9999999999}`).toString("base64url")}.`],
  ["Basic credentials", `Basic ${Buffer.from("user:pass").toString("base64")}`],
] as const) {
  add("POST /api/v1/models", `401: ${what}`, { method: "POST", path: "/api/v1/models", json: MODEL, as: "none", headers: authorization ? { authorization } : {} }, 401, "UNAUTHENTICATED");
}

// /api/v1/models/:id ---------------------------------------------------------------------------------------------
for (const [what, id] of [
  ["not a UUID", "not-a-uuid"],
  ["another user's model", "{OM}"],
  ["the nil UUID", NIL],
  ["SQL injection", encodeURIComponent("' or 1=1--")],
  ["path traversal", encodeURIComponent("../../etc/passwd")],
  ["an 8 KB id", huge(8 * 1024, "a")],
  ["a NUL byte", "%00"],
  ["a UUID and a NUL byte", "{A}%00"],
] as const) add("GET /api/v1/models/:id", `id ${what}`, { method: "GET", path: `/api/v1/models/${id}` }, 404, "NOT_FOUND");
const patchModel = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED", id = "{A}") =>
  add("PATCH /api/v1/models/:id", what, { method: "PATCH", path: `/api/v1/models/${id}`, json: body }, status, code);
const patchModelRaw = (what: string, raw: string, status = 400, code?: string) =>
  add("PATCH /api/v1/models/:id", what, { method: "PATCH", path: "/api/v1/models/{A}", raw, headers: { "content-type": "application/json" } }, status, code);
patchModel("name empty", { name: "" });
patchModel("name with a NUL byte", { name: BAD_TEXT.nul });
patchModel("isActive a string", { isActive: "yes" });
patchModel("isActive null", { isActive: null });
patchModel("trading an array", { trading: [] });
patchModel("trading a string", { trading: "fast" });
patchModel("trading.slippageBps negative", { trading: { slippageBps: -1 } });
patchModel("trading an unknown field (merged, then checked whole)", { trading: { leverage: 100 } });
patchModel("an unknown field", { owner: "someone" });
patchModel("an unknown field userId", { userId: NIL });
patchModel("an id (another user's model)", { id: "{OM}" });
patchModel("startingCash negative", { startingCash: "-1" });
patchModel("llm builtin:constructor", { llm: "builtin:constructor" });
patchModel("the archived model's signature (a duplicate)", { signature: `archived-${run}` }, 400, "DUPLICATE_SIGNATURE");
patchModel("another user's model", { name: "mine now" }, 404, "NOT_FOUND", "{OM}");
patchModel("an id that is not a UUID", { name: "x" }, 404, "NOT_FOUND", "not-a-uuid");
patchModelRaw("trading nested 10,000 levels deep", `{"trading":${deepObjectJson(10_000)}}`, 400, "JSON_TOO_DEEP");
patchModelRaw("trading nested 31 levels deep (read, merged, refused)", `{"trading":${deepObjectJson(30)}}`, 400, "VALIDATION_FAILED");
patchModelRaw("trading.__proto__", `{"trading":{"__proto__":{"slippageBps":5}}}`, 400, "VALIDATION_FAILED");
patchModelRaw("invalid JSON", `{"name":`, 400, "INVALID_JSON");
patchModelRaw("a 2 MB body", JSON.stringify({ description: huge(2 * MB) }), 413, "PAYLOAD_TOO_LARGE");
for (const [what, id] of [
  ["another user's model", "{OM}"],
  ["not a UUID", "not-a-uuid"],
  ["a NUL byte", "%00"],
] as const) add("DELETE /api/v1/models/:id", `id ${what}`, { method: "DELETE", path: `/api/v1/models/${id}` }, 404, "NOT_FOUND");

// /api/v1/models/:id/tokens (docs/model-tokens.md) ---------------------------------------------------------------
const postToken = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED", id = "{A}") =>
  add("POST /api/v1/models/:id/tokens", what, { method: "POST", path: `/api/v1/models/${id}/tokens`, json: body }, status, code);
postToken("name missing", {});
postToken("name a number", { name: 5 });
postToken("name 100 KB", { name: huge(100 * 1024) });
postToken("name with a NUL byte", { name: BAD_TEXT.nul });
postToken("name of two lines", { name: "a\nb" });
postToken("expiresInDays negative", { name: "x", expiresInDays: -1 });
postToken("expiresInDays 1e308", { name: "x", expiresInDays: 1e308 });
postToken("expiresInDays a string", { name: "x", expiresInDays: "30" });
postToken("sessionId not a UUID", { name: "x", sessionId: "s-1" });
postToken("sessionId of another model (the archived one's session)", { name: "x", sessionId: "{SB}" });
postToken("an unknown field userId", { name: "x", userId: NIL });
postToken("a token of one's own", { name: "x", token: "bp_0000000000000000000000000000000000000000000" });
postToken("the body an array", [{ name: "x" }]);
postToken("another user's model", { name: "x" }, 404, "NOT_FOUND", "{OM}");
postToken("a model id that is not a UUID", { name: "x" }, 404, "NOT_FOUND", "not-a-uuid");
add("POST /api/v1/models/:id/tokens", "invalid JSON", { method: "POST", path: "/api/v1/models/{A}/tokens", raw: `{"name":`, headers: { "content-type": "application/json" } }, 400, "INVALID_JSON");
for (const [what, id] of [
  ["another user's model", "{OM}"],
  ["not a UUID", "not-a-uuid"],
] as const) add("GET /api/v1/models/:id/tokens", `id ${what}`, { method: "GET", path: `/api/v1/models/${id}/tokens` }, 404, "NOT_FOUND");
for (const [what, path] of [
  ["a token nobody has", `/api/v1/models/{A}/tokens/${NIL}`],
  ["a token id that is not a UUID", "/api/v1/models/{A}/tokens/not-a-uuid"],
  ["another user's model", `/api/v1/models/{OM}/tokens/${NIL}`],
] as const) add("DELETE /api/v1/models/:id/tokens/:tokenId", what, { method: "DELETE", path }, 404, "NOT_FOUND");

// POST /api/v1/sessions ------------------------------------------------------------------------------------------
const BACKTEST = { modelId: "{A}", kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"] };
const REPLAY = { modelId: "{A}", kind: "replay", day: "2025-03-04", symbols: ["ZZSOLR"] };
const postSession = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED") =>
  add("POST /api/v1/sessions", what, { method: "POST", path: "/api/v1/sessions", json: body }, status, code);
postSession("an empty object", {});
postSession("kind live", { ...BACKTEST, kind: "live" });
postSession("kind missing", { ...BACKTEST, kind: undefined });
postSession("modelId not a UUID", { ...BACKTEST, modelId: "x" });
postSession("modelId another user's model", { ...BACKTEST, modelId: "{OM}" }, 404, "NOT_FOUND");
postSession("modelId an archived model", { ...BACKTEST, modelId: "{B}" }, 404, "NOT_FOUND");
postSession("modelId the nil UUID", { ...BACKTEST, modelId: NIL }, 404, "NOT_FOUND");
postSession("interval a week", { ...BACKTEST, interval: "week" });
postSession("interval minute for a backtest", { ...BACKTEST, interval: "minute" });
postSession("start 30 February", { ...BACKTEST, start: "2025-02-30" });
postSession("start with a time", { ...BACKTEST, start: "2025-03-03T00:00:00Z" });
postSession("start empty", { ...BACKTEST, start: "" });
postSession("start a number", { ...BACKTEST, start: 20250303 });
postSession("start year 99999", { ...BACKTEST, start: "99999-01-01" });
postSession("end before start", { ...BACKTEST, start: "2025-03-07", end: "2025-03-03" });
postSession("start on a Saturday", { ...BACKTEST, start: "2025-03-08", end: "2025-03-14" }, 400, "NOT_A_TRADING_DAY");
postSession("start outside the calendar (2019)", { ...BACKTEST, start: "2019-01-02" }, 400, "NOT_A_TRADING_DAY");
postSession("a start before the data", { ...BACKTEST, start: "2024-12-30", end: "2025-01-06" }, 400, "DATES_OUTSIDE_DATA");
postSession("no bars in the range", { ...BACKTEST, symbols: undefined, start: "2024-03-04", end: "2024-03-08" }, 400, "NO_DATA");
postSession("a symbol without bars in the range", { ...BACKTEST, start: "2024-03-04", end: "2024-03-08" }, 400, "NO_DATA");
postSession("replay day a Saturday", { ...REPLAY, day: "2025-03-08" }, 400, "NOT_A_TRADING_DAY");
postSession("replay decideEvery 0", { ...REPLAY, decideEvery: 0 });
postSession("replay decideEvery 61", { ...REPLAY, decideEvery: 61 });
postSession("replay decideEvery fractional", { ...REPLAY, decideEvery: 1.5 });
postSession("replay decideEvery a string", { ...REPLAY, decideEvery: "5" });
postSession("replay interval day", { ...REPLAY, interval: "day" });
postSession("symbols a string", { ...BACKTEST, symbols: "ZZSOLR" });
postSession("symbols empty", { ...BACKTEST, symbols: [] });
postSession("symbols a number", { ...BACKTEST, symbols: [42] });
postSession("symbols SQL injection", { ...BACKTEST, symbols: ["'; drop table bars;--"] });
postSession("symbols path traversal", { ...BACKTEST, symbols: ["../etc"] });
postSession("symbols 13 characters", { ...BACKTEST, symbols: ["ABCDEFGHIJKLM"] });
postSession("symbols 501 of them", { ...BACKTEST, symbols: Array.from({ length: 501 }, (_, i) => `Z${i}`) });
postSession("symbols one nobody imported", { ...BACKTEST, symbols: ["NOSUCH"] }, 400, "UNKNOWN_SYMBOL");
postSession("symbols with a NUL byte", { ...BACKTEST, symbols: ["ZZSOLR\u0000"] });
postSession("symbols emoji", { ...BACKTEST, symbols: [BAD_TEXT.emoji] });
postSession("label empty", { ...BACKTEST, label: "" });
postSession("label 81 characters", { ...BACKTEST, label: huge(81) });
postSession("label two lines", { ...BACKTEST, label: "a\nb" });
postSession("label a number", { ...BACKTEST, label: 5 });
postSession("label with a lone surrogate", { ...BACKTEST, label: BAD_TEXT.loneSurrogate });
postSession("settings.maxSteps 5", { ...BACKTEST, settings: { maxSteps: 5 } });
postSession("settings.paceMs 10001", { ...BACKTEST, settings: { paceMs: 10_001 } });
postSession("settings.seed negative", { ...BACKTEST, settings: { seed: -1 } });
postSession("settings.seed 2^31", { ...BACKTEST, settings: { seed: 2 ** 31 } });
postSession("settings.decisionTimeoutSeconds 0", { ...BACKTEST, settings: { decisionTimeoutSeconds: 0 } });
postSession("settings an unknown field", { ...BACKTEST, settings: { leverage: 100 } });
postSession("settings a string", { ...BACKTEST, settings: "fast" });
postSession("settings.fees.perShare in words", { ...BACKTEST, settings: { fees: { perShare: "cheap" } } });
postSession("an unknown field", { ...BACKTEST, userId: NIL });
postSession("21 requests at once", Array.from({ length: 21 }, () => BACKTEST));
postSession("an empty array", []);
postSession("two requests, the second bad (none starts)", [BACKTEST, { ...BACKTEST, kind: "live" }]);
postSession("two requests, the second another user's model (none starts)", [BACKTEST, { ...BACKTEST, modelId: "{OM}" }], 404, "NOT_FOUND");
add("POST /api/v1/sessions", "settings.__proto__", { method: "POST", path: "/api/v1/sessions", raw: `{"modelId":"{A}","kind":"backtest","interval":"day","start":"2025-03-03","end":"2025-03-07","settings":{"__proto__":{"allowShort":true}}}`, headers: { "content-type": "application/json" } }, 400, "VALIDATION_FAILED");
add("POST /api/v1/sessions", "a body of arrays nested 100,000 levels deep", { method: "POST", path: "/api/v1/sessions", raw: deepArrayJson(100_000), headers: { "content-type": "application/json" } }, 400, "JSON_TOO_DEEP");
add("POST /api/v1/sessions", "a 2 MB body", { method: "POST", path: "/api/v1/sessions", json: { ...BACKTEST, label: huge(2 * MB) } }, 413, "PAYLOAD_TOO_LARGE");
add("POST /api/v1/sessions", "invalid JSON", { method: "POST", path: "/api/v1/sessions", raw: "{modelId: A}", headers: { "content-type": "application/json" } }, 400, "INVALID_JSON");

// GET /api/v1/sessions -------------------------------------------------------------------------------------------
for (const [what, query] of [
  ["status bogus", "status=bogus"],
  ["status with a NUL byte", "status=%00"],
  ["status SQL injection", `status=${encodeURIComponent("running' or '1'='1")}`],
  ["modelId not a UUID", "modelId=x"],
  ["limit 0", "limit=0"],
  ["limit 201", "limit=201"],
  ["limit negative", "limit=-1"],
  ["limit fractional", "limit=1.5"],
  ["limit in words", "limit=abc"],
  ["limit 1e309", "limit=1e309"],
  ["limit in hex", "limit=0x10"],
  ["limit twice, the second bad", "limit=5&limit=abc"],
  ["offset negative", "offset=-1"],
  ["offset 1,000,001", "offset=1000001"],
  ["an unknown parameter", "foo=1"],
  ["an 8 KB query string", `foo=${huge(8 * 1024)}`],
] as const) add("GET /api/v1/sessions", what, { method: "GET", path: `/api/v1/sessions?${query}` }, 400, "VALIDATION_FAILED");

// /api/v1/sessions/:id and its actions ---------------------------------------------------------------------------
add("GET /api/v1/sessions/:id", "id not a UUID", { method: "GET", path: "/api/v1/sessions/not-a-uuid" }, 404, "NOT_FOUND");
add("GET /api/v1/sessions/:id", "id the nil UUID", { method: "GET", path: `/api/v1/sessions/${NIL}` }, 404, "NOT_FOUND");
const patchSession = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED", id = "{S}") =>
  add("PATCH /api/v1/sessions/:id", what, { method: "PATCH", path: `/api/v1/sessions/${id}`, json: body }, status, code);
patchSession("label a number", { label: 5 });
patchSession("label empty", { label: "" });
patchSession("label 81 characters", { label: huge(81) });
patchSession("label with a NUL byte", { label: BAD_TEXT.nul });
patchSession("label with a line break", { label: "a\r\nb" });
patchSession("label with a lone surrogate", { label: BAD_TEXT.loneSurrogate });
patchSession("label missing", {});
patchSession("a status besides the label", { label: "x", status: "completed" });
patchSession("an id that is not a UUID", { label: "x" }, 404, "NOT_FOUND", "not-a-uuid");
add("PATCH /api/v1/sessions/:id", "invalid JSON", { method: "PATCH", path: "/api/v1/sessions/{S}", raw: "label=x", headers: { "content-type": "application/json" } }, 400, "INVALID_JSON");
for (const action of ["pause", "resume", "cancel"] as const) {
  add(`POST /api/v1/sessions/:id/${action}`, "a completed session", { method: "POST", path: `/api/v1/sessions/{S}/${action}` }, 409, "INVALID_STATE");
}
add("POST /api/v1/sessions/:id/pause", "a body with a field", { method: "POST", path: "/api/v1/sessions/{S}/pause", json: { force: true } }, 400, "VALIDATION_FAILED");
add("POST /api/v1/sessions/:id/cancel", "a body that is not JSON", { method: "POST", path: "/api/v1/sessions/{S}/cancel", raw: "now please", headers: { "content-type": "application/json" } }, 400, "INVALID_JSON");
add("POST /api/v1/sessions/:id/resume", "an array body", { method: "POST", path: "/api/v1/sessions/{S}/resume", json: [] }, 400, "VALIDATION_FAILED");
add("POST /api/v1/sessions/:id/pause", "id not a UUID", { method: "POST", path: "/api/v1/sessions/not-a-uuid/pause" }, 404, "NOT_FOUND");
add("POST /api/v1/sessions/:id/cancel", "id the nil UUID", { method: "POST", path: `/api/v1/sessions/${NIL}/cancel` }, 404, "NOT_FOUND");
add("POST /api/v1/sessions/:id/cancel", "a 2 MB body", { method: "POST", path: "/api/v1/sessions/{S}/cancel", json: { pad: huge(2 * MB) } }, 413, "PAYLOAD_TOO_LARGE");
add("DELETE /api/v1/sessions/:id/orders/:orderId", "order id not a UUID", { method: "DELETE", path: "/api/v1/sessions/{S}/orders/not-a-uuid" }, 404, "NOT_FOUND");
add("DELETE /api/v1/sessions/:id/orders/:orderId", "order id the nil UUID", { method: "DELETE", path: `/api/v1/sessions/{S}/orders/${NIL}` }, 404, "NOT_FOUND");
add("DELETE /api/v1/sessions/:id/orders/:orderId", "session id not a UUID", { method: "DELETE", path: `/api/v1/sessions/not-a-uuid/orders/${NIL}` }, 404, "NOT_FOUND");
add("DELETE /api/v1/sessions/:id/orders/:orderId", "a body with a field", { method: "DELETE", path: `/api/v1/sessions/{S}/orders/${NIL}`, json: { force: true } }, 400, "VALIDATION_FAILED");
add("POST /api/v1/sessions/:id/rerun", "a session of an archived model", { method: "POST", path: "/api/v1/sessions/{SB}/rerun" }, 409, "MODEL_ARCHIVED");
add("POST /api/v1/sessions/:id/rerun", "a body with a field", { method: "POST", path: "/api/v1/sessions/{S}/rerun", json: { label: "again" } }, 400, "VALIDATION_FAILED");
add("POST /api/v1/sessions/:id/rerun", "id not a UUID", { method: "POST", path: "/api/v1/sessions/not-a-uuid/rerun" }, 404, "NOT_FOUND");
const ask = (text: unknown) => ({ messages: [{ id: "q", role: "user", parts: [{ type: "text", text }] }] });
const postChat = (what: string, body: unknown, status = 400, code: string | undefined = "VALIDATION_FAILED", id = "{S}") =>
  add("POST /api/v1/sessions/:id/chat", what, { method: "POST", path: `/api/v1/sessions/${id}/chat`, json: body }, status, code);
postChat("an empty object", {});
postChat("no messages", { messages: [] });
postChat("messages a string", { messages: "why?" });
postChat("the last message the assistant's", { messages: [{ role: "assistant", parts: [{ type: "text", text: "I bought." }] }] });
postChat("a question of 2,001 characters", ask(huge(2_001)));
postChat("the question's text a number", ask(42));
postChat("51 messages", { messages: Array.from({ length: 51 }, () => ask("why?").messages[0]) });
postChat("the question with a NUL byte", ask("why\u0000?"));
postChat("the question with a lone surrogate", ask("why\ud800?"));
postChat("the question only control characters", ask("\u0001\u0002"));
postChat("a session that is not a UUID", ask("why?"), 404, "NOT_FOUND", "not-a-uuid");
add("POST /api/v1/sessions/:id/chat", "invalid JSON", { method: "POST", path: "/api/v1/sessions/{S}/chat", raw: "why?", headers: { "content-type": "application/json" } }, 400, "INVALID_JSON");
add("GET /api/v1/sessions/:id/chat", "id not a UUID", { method: "GET", path: "/api/v1/sessions/not-a-uuid/chat" }, 404, "NOT_FOUND");
for (const [route, query] of [
  ["decisions", "limit=5001"],
  ["decisions", "show=bogus"],
  ["decisions", "offset=-1"],
  ["decisions", "foo=1"],
  ["orders", "limit=0"],
  ["orders", "offset=abc"],
  ["orders", "foo=1"],
  ["orders.csv", "x=1"],
  ["equity", "x=1"],
  ["events", "lastEventId=abc"],
  ["events", "x=1"],
] as const) add(`GET /api/v1/sessions/:id/${route}`, `?${query}`, { method: "GET", path: `/api/v1/sessions/{S}/${route}?${query}` }, 400, route === "events" && query.startsWith("last") ? "INVALID_LAST_EVENT_ID" : "VALIDATION_FAILED");
for (const [what, value] of [
  ["in words", "abc"],
  ["negative", "-1"],
  ["fractional", "1.5"],
  ["16 digits", "1234567890123456"],
] as const) add("GET /api/v1/sessions/:id/events", `Last-Event-ID ${what}`, { method: "GET", path: "/api/v1/sessions/{S}/events", headers: { "last-event-id": value } }, 400, "INVALID_LAST_EVENT_ID");
for (const route of ["events", "orders.csv", "decisions", "orders"] as const) {
  add(`GET /api/v1/sessions/:id/${route}`, "id not a UUID", { method: "GET", path: `/api/v1/sessions/not-a-uuid/${route}` }, 404, "NOT_FOUND");
}
add("GET /api/v1/sessions/:id/equity", "id the nil UUID", { method: "GET", path: `/api/v1/sessions/${NIL}/equity` }, 404, "NOT_FOUND");

// Leaderboard ----------------------------------------------------------------------------------------------------
for (const [what, query] of [
  ["modelId not a UUID", "modelId=x"],
  ["interval a week", "interval=week"],
  ["an unknown parameter", "model=x"],
] as const) add("GET /api/v1/leaderboard", what, { method: "GET", path: `/api/v1/leaderboard?${query}` }, 400, "VALIDATION_FAILED");
for (const [what, query, status, code] of [
  ["no sessions", "", 400, "VALIDATION_FAILED"],
  ["one session", "sessions={S}", 400, "VALIDATION_FAILED"],
  ["the same session twice", "sessions={S},{S}", 400, "VALIDATION_FAILED"],
  ["nine sessions", `sessions=${Array.from({ length: 9 }, (_, i) => `00000000-0000-0000-0000-00000000000${i}`).join(",")}`, 400, "VALIDATION_FAILED"],
  ["an id that is not a UUID", "sessions=not-a-uuid,{S}", 400, "VALIDATION_FAILED"],
  ["an id with a NUL byte", "sessions=%00,{S}", 400, "VALIDATION_FAILED"],
  ["two sessions nobody has", `sessions=${randomUUID()},${randomUUID()}`, 404, "NOT_FOUND"],
  ["an unknown parameter", "sessions={S},{SB}&axis=time", 400, "VALIDATION_FAILED"],
] as const) add("GET /api/v1/leaderboard/compare", what, { method: "GET", path: `/api/v1/leaderboard/compare?${query}` }, status, code);

// Admin trade audit (as an admin; anyone else gets 404) ---------------------------------------------------------------
for (const [what, query] of [
  ["from month 13", "from=2025-13-45"],
  ["from 30 February", "from=2025-02-30"],
  ["to year zero", "to=0000-00-00"],
  ["to before from", "from=2025-03-07&to=2025-03-03"],
  ["page 0", "page=0"],
  ["page in words", "page=abc"],
  ["sort by an unknown column", "sort=password"],
  ["dir sideways", "dir=sideways"],
  ["side unknown", "side=borrow"],
  ["status unknown", "status=stolen"],
  ["type unknown", "type=trailing"],
  ["type in capitals", "type=LIMIT"],
  ["symbol SQL injection", `symbol=${encodeURIComponent("'; drop table orders;--")}`],
  ["session not a UUID", "session=not-a-uuid"],
  ["format xml", "format=xml"],
  ["an unknown parameter", "bogus=1"],
  ["user with a NUL byte", "user=%00"],
  ["model with a NUL byte", "model=a%00b"],
  ["user 255 characters", `user=${huge(255)}`],
  ["model 81 characters", `model=${huge(81)}`],
] as const) add("GET /api/v1/admin/orders", what, { method: "GET", path: `/api/v1/admin/orders?${query}`, as: "admin" }, 400, "VALIDATION_FAILED");
add("GET /api/v1/admin/orders", "a user who is not an admin", { method: "GET", path: "/api/v1/admin/orders?status=filled" }, 404, "NOT_FOUND");

// Paths that are no route, methods a route does not have ------------------------------------------------------------
for (const [what, method, path, status, code] of [
  ["no such route", "GET", "/api/v1/nothing", 404, "NOT_FOUND"],
  ["below a model", "POST", "/api/v1/models/x/y", 404, "NOT_FOUND"],
  ["an encoded path traversal", "GET", "/api/v1/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, "NOT_FOUND"],
  ["a script tag in the path", "GET", `/api/v1/${encodeURIComponent(BAD_TEXT.script)}`, 404, "NOT_FOUND"],
  ["an 8 KB path", "GET", `/api/v1/${huge(8 * 1024)}`, 404, "NOT_FOUND"],
  ["PUT on the models", "PUT", "/api/v1/models", 405, "METHOD_NOT_ALLOWED"],
  ["DELETE on the sessions", "DELETE", "/api/v1/sessions", 405, "METHOD_NOT_ALLOWED"],
  ["POST on the leaderboard", "POST", "/api/v1/leaderboard", 405, "METHOD_NOT_ALLOWED"],
  ["PATCH on a session's events", "PATCH", "/api/v1/sessions/{S}/events", 405, "METHOD_NOT_ALLOWED"],
] as const) add("/api/v1 (any route)", what, { method, path }, status, code);

// The built-in auth (/auth/v1) -------------------------------------------------------------------------------------
const email = (label: string) => `bad-${label}-${run}@bad-input.test`;
const signUp = (what: string, body: unknown, status = 400, code: string | undefined = "validation_failed", headers?: Record<string, string>) =>
  add("POST /auth/v1/signup", what, { method: "POST", path: "/auth/v1/signup", json: body, headers }, status, code);
const signUpRaw = (what: string, raw: string | Buffer, status: number, code: string) => add("POST /auth/v1/signup", what, { method: "POST", path: "/auth/v1/signup", raw }, status, code);
signUp("an empty object", {});
signUp("email not an email", { email: "not-an-email", password: PASSWORD });
signUp("email 300 characters", { email: `${huge(290)}@x.io`, password: PASSWORD });
signUp("email with a NUL byte", { email: `bad\u0000${run}@bad-input.test`, password: PASSWORD });
signUp("email an array", { email: [email("array")], password: PASSWORD });
signUp("email a number", { email: 42, password: PASSWORD });
signUp("email SQL injection", { email: `'; drop table users;--${run}@bad-input.test`, password: PASSWORD });
signUp("password too short", { email: email("short"), password: "short" }, 422, "weak_password");
signUp("password 129 characters", { email: email("long"), password: huge(129) });
signUp("password a number", { email: email("number"), password: 12345678 });
signUp("data a number", { email: email("data-number"), password: PASSWORD, data: 5 });
signUp("data a string", { email: email("data-string"), password: PASSWORD, data: "admin" });
signUp("data an array", { email: email("data-array"), password: PASSWORD, data: ["admin"] });
signUp("data 20 KB", { email: email("data-big"), password: PASSWORD, data: { bio: huge(20 * 1024) } });
signUp("data with a NUL byte", { email: email("data-nul"), password: PASSWORD, data: { name: BAD_TEXT.nul } });
signUp("data with a lone surrogate in a key", { email: email("data-key"), password: PASSWORD, data: { [BAD_TEXT.loneSurrogate]: "x" } });
signUp("data with a __proto__ key", { email: email("data-proto"), password: PASSWORD, data: JSON.parse('{"__proto__": {"role": "admin"}}') });
signUp("a 100 KB body", { email: email("body-big"), password: PASSWORD, data: { bio: huge(100 * 1024) } }, 413, "request_too_large");
signUp("no API key", { email: email("no-key"), password: PASSWORD }, 401, "no_api_key", { apikey: "" });
signUp("a wrong API key", { email: email("wrong-key"), password: PASSWORD }, 401, "no_api_key", { apikey: "sb_publishable_someone_else" });
signUpRaw("data nested 10,000 levels deep", `{"email":"${email("deep")}","password":"${PASSWORD}","data":${deepObjectJson(10_000)}}`, 400, "validation_failed");
signUpRaw("invalid JSON", `{"email":"${email("json")}",`, 400, "bad_json");
signUpRaw("the body null", "null", 400, "validation_failed");
signUpRaw("a form-encoded body", `email=${encodeURIComponent(email("form"))}&password=${encodeURIComponent(PASSWORD)}`, 400, "bad_json");
signUpRaw("an invalid UTF-8 byte in the email", Buffer.concat([Buffer.from(`{"email":"bad-utf8-${run}`), Buffer.from([0xff]), Buffer.from(`@bad-input.test","password":"${PASSWORD}"}`)]), 400, "bad_json");
const token = (what: string, query: string, body: unknown, status = 400, code: string | undefined = "validation_failed", raw?: string) =>
  add("POST /auth/v1/token", what, { method: "POST", path: `/auth/v1/token${query}`, ...(raw === undefined ? { json: body } : { raw }) }, status, code);
token("grant_type unknown", "?grant_type=magic", { email: "{OWNER_EMAIL}", password: PASSWORD });
token("no grant_type", "", { email: "{OWNER_EMAIL}", password: PASSWORD });
token("grant_type SQL injection", `?grant_type=${encodeURIComponent("password' --")}`, { email: "{OWNER_EMAIL}", password: PASSWORD });
token("a wrong password", "?grant_type=password", { email: "{OWNER_EMAIL}", password: "not the password" }, 400, "invalid_credentials");
token("an email nobody has", "?grant_type=password", { email: email("nobody"), password: PASSWORD }, 400, "invalid_credentials");
token("email with a NUL byte", "?grant_type=password", { email: "{OWNER_EMAIL}\u0000", password: PASSWORD });
token("password 129 characters", "?grant_type=password", { email: "{OWNER_EMAIL}", password: huge(129) });
token("password empty", "?grant_type=password", { email: "{OWNER_EMAIL}", password: "" });
token("the body an array", "?grant_type=password", [], 400, "validation_failed");
token("refresh_token empty", "?grant_type=refresh_token", { refresh_token: "" });
token("refresh_token a number", "?grant_type=refresh_token", { refresh_token: 42 });
token("refresh_token made up", "?grant_type=refresh_token", { refresh_token: "made-up-token" }, 400, "refresh_token_not_found");
token("refresh_token 60 KB", "?grant_type=refresh_token", { refresh_token: huge(60 * 1024) }, 400, "refresh_token_not_found");
token("refresh: invalid JSON", "?grant_type=refresh_token", null, 400, "bad_json", "{refresh_token}");
const forged = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(`{"sub":"${NIL}","session_id":"${NIL}","aud":"authenticated","exp":9999999999}`).toString("base64url")}.`;
for (const [what, authorization, status, code] of [
  ["no token", undefined, 401, "no_authorization"],
  ["a token that is not a JWT", "Bearer garbage", 403, "bad_jwt"],
  ["an unsigned token (alg none)", `Bearer ${forged}`, 403, "bad_jwt"],
  ["the owner's token with its signature changed", "Bearer {OWNER_TOKEN_TAMPERED}", 403, "bad_jwt"],
] as const) add("GET /auth/v1/user", what, { method: "GET", path: "/auth/v1/user", as: "none", headers: authorization ? { authorization } : {} }, status, code);
add("POST /auth/v1/logout", "scope unknown", { method: "POST", path: "/auth/v1/logout?scope=everyone", headers: { authorization: "Bearer {OWNER_TOKEN}" } }, 400, "validation_failed");
add("POST /auth/v1/logout", "scope with a NUL byte", { method: "POST", path: "/auth/v1/logout?scope=%00", headers: { authorization: "Bearer {OWNER_TOKEN}" } }, 400, "validation_failed");
add("POST /auth/v1/logout", "no token", { method: "POST", path: "/auth/v1/logout?scope=global", as: "none" }, 401, "no_authorization");
for (const [what, method, path, status, code] of [
  ["PUT on sign-up", "PUT", "/auth/v1/signup", 405, "method_not_allowed"],
  ["DELETE on the user", "DELETE", "/auth/v1/user", 405, "method_not_allowed"],
  ["GET on the token", "GET", "/auth/v1/token?grant_type=password", 405, "method_not_allowed"],
  ["POST on the keys", "POST", "/auth/v1/.well-known/jwks.json", 405, "method_not_allowed"],
  ["a path that is not served", "GET", "/auth/v1/nothing", 404, "not_found"],
  ["the admin API, not served", "POST", "/auth/v1/admin/users", 404, "not_found"],
  ["an encoded path traversal", "GET", "/auth/v1/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, "not_found"],
] as const) add("/auth/v1 (any path)", what, { method, path, as: "none" }, status, code);

// ---- Running it ------------------------------------------------------------------------------------------------

interface Fixtures {
  ids: Record<"S" | "SB" | "A" | "B" | "OM", string>;
  tokens: Record<Exclude<Who, "none">, string>;
  ownerEmail: string;
  users: string[];
}
/**
 * The minute bars: other tests' replays fill them in on this server as they plan (a cache of the market), at any
 * moment. No case here plans a replay: every replay case is refused before its bars are looked for.
 */
const SHARED_CACHES = [MINUTE_BAR_CACHE];
let fx: Fixtures;
let sql: postgres.Sql;
let api: APIRequestContext;
let tables: Awaited<ReturnType<typeof appTables>>;
const record = new CaseRecord(rows);

async function signedUp(request: APIRequestContext, address: string) {
  const res = await request.post("/auth/v1/signup", { headers: { apikey: PUBLISHABLE_KEY }, data: { email: address, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const body = await res.json();
  return { token: body.access_token as string, id: body.user.id as string };
}

async function completedSession(request: APIRequestContext, token: string, modelId: string) {
  const res = await request.post("/api/v1/sessions", {
    headers: bearer(token),
    data: { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR", "ZZWIND"] },
  });
  expect(res.status(), await res.text()).toBe(202);
  const id = (await res.json()).session.id as string;
  await expect
    .poll(async () => (await (await request.get(`/api/v1/sessions/${id}`, { headers: bearer(token) })).json()).session.status, { timeout: 120_000, intervals: [250] })
    .toBe("completed");
  return id;
}

test.beforeAll(async ({ playwright }, info) => {
  test.setTimeout(240_000);
  api = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
  sql = await e2eDatabase();
  const ownerEmail = `bad-owner-${run}@bad-input.test`;
  const owner = await signedUp(api, ownerEmail);
  const other = await signedUp(api, `bad-other-${run}@bad-input.test`);
  const adminEmail = `bad-admin-${run}@bad-input.test`;
  await sql`insert into admin_emails (email) values (${adminEmail})`;
  const admin = await signedUp(api, adminEmail);
  const model = async (token: string, signature: string) => {
    const res = await api.post("/api/v1/models", { headers: bearer(token), data: { name: `Bad input ${signature}`, signature, llm: "builtin:buy-and-hold", startingCash: "10000" } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).model.id as string;
  };
  const A = await model(owner.token, `active-${run}`);
  const B = await model(owner.token, `archived-${run}`);
  const OM = await model(other.token, `other-${run}`);
  const [S, SB] = await Promise.all([completedSession(api, owner.token, A), completedSession(api, owner.token, B)]);
  expect((await api.delete(`/api/v1/models/${B}`, { headers: bearer(owner.token) })).status()).toBe(200);
  tables = await appTables(sql);
  fx = { ids: { S, SB, A, B, OM }, tokens: { owner: owner.token, admin: admin.token }, ownerEmail, users: [owner.id, other.id, admin.id] };
});

test.afterAll(async () => {
  await record.save("bad-input-http.txt");
  await api?.dispose();
  await sql?.end();
});

/** The case's placeholders replaced by the fixtures' ids. */
function resolve(text: string): string {
  const token = fx.tokens.owner;
  const at = token.length - 20; // inside the signature, away from its last character's padding bits
  const tampered = `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
  return text
    .replaceAll("{SB}", fx.ids.SB)
    .replaceAll("{S}", fx.ids.S)
    .replaceAll("{A}", fx.ids.A)
    .replaceAll("{B}", fx.ids.B)
    .replaceAll("{OM}", fx.ids.OM)
    .replaceAll("{OWNER_EMAIL}", fx.ownerEmail)
    .replaceAll("{OWNER_TOKEN_TAMPERED}", tampered)
    .replaceAll("{OWNER_TOKEN}", fx.tokens.owner);
}

/** The request as sent: the body always as bytes (Playwright would JSON-encode a string it cannot parse as JSON). */
function requestOf(input: HttpInput): { url: string; headers: Record<string, string>; body: Buffer | undefined } {
  const isAuth = input.path.startsWith("/auth/");
  const who = input.as ?? (isAuth ? "none" : "owner");
  const headers: Record<string, string> = {
    ...(isAuth ? { apikey: PUBLISHABLE_KEY } : {}),
    ...(who === "none" ? {} : bearer(fx.tokens[who])),
    ...(input.json !== undefined ? { "content-type": "application/json" } : {}),
  };
  for (const [k, v] of Object.entries(input.headers ?? {})) {
    if (v === "") delete headers[k];
    else headers[k] = resolve(v);
  }
  const text = input.raw !== undefined ? (typeof input.raw === "string" ? resolve(input.raw) : input.raw) : input.json !== undefined ? resolve(JSON.stringify(input.json)) : undefined;
  const body = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return { url: resolve(input.path), headers, body };
}

/** The answer's message: the API's `{error: {code, message}}` or Supabase's `{code, message}`. */
function answerOf(status: number, text: string): { code?: string; message?: unknown; fields?: unknown } {
  try {
    const body = JSON.parse(text);
    return body?.error ? { code: body.error.code, message: body.error.message, fields: body.error.fields } : { code: body?.code, message: body?.message };
  } catch {
    return { message: `(not JSON, status ${status}): ${text.slice(0, 200)}` };
  }
}

rows.forEach((c, i) => {
  test(caseTitle(c, i, rows.length), async () => {
    const { url, headers, body } = requestOf(c.input);
    const scope = { users: fx.users, text: body?.toString("utf8"), skip: SHARED_CACHES };
    const { result: res, changes } = await countingWrites(sql, tables, scope, async () => {
      const response = await api.fetch(url, { method: c.input.method, headers, data: body, maxRedirects: 0 });
      return { status: response.status(), text: await response.text() };
    });
    const { code, message, fields } = answerOf(res.status, res.text);
    record.add(i, `${res.status} ${code ?? ""}: ${String(message)}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
    expect(res.status, `${res.status} ${code}: ${String(message)}`).toBe(c.expected.status);
    if (c.expected.code) expect(code).toBe(c.expected.code);
    expect(unreadable(message), String(message)).toBeNull();
    expect(changes, "rows written").toEqual([]);
  });
});

test("the HTTP table's count", () => {
  const { surfaces, total } = countsBySurface(rows);
  test.info().annotations.push({ type: "cases", description: `${total}: ${Object.entries(surfaces).map(([s, n]) => `${s} ${n}`).join(", ")}` });
  console.log(`bad input over HTTP: ${total} cases`);
  expect(new Set(rows.map((c) => `${c.surface}|${c.what}`)).size, "every case is a different input").toBe(total);
  expect(total).toBeGreaterThanOrEqual(200);
});
