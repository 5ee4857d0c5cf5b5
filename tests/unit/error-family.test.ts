import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { DecisionTimeout } from "@/lib/agent/decision/run-decision";
import { ModelConfigError } from "@/lib/agent/providers";
import { SecretError } from "@/lib/agent/secrets";
import { createToolRuntime, DecisionClosedError, ToolError } from "@/lib/agent/tool-runtime";
import { AuthError } from "@/lib/auth-server/errors";
import { EngineError, failure, parseMoney, priceToMoney } from "@/lib/engine";
import { AppError, DatabaseUnavailableError, fromUnknown, isDatabaseUnavailable, isRetryable } from "@/lib/errors";
import { ImportError, MarketDataError } from "@/lib/market/errors";
import { ProviderError } from "@/lib/market/providers/errors";
import { toToolError } from "@/lib/trading/tools/errors";

/**
 * One error family (lib/errors.ts): every error class of lib/ is an AppError, so callers read `.kind` and
 * `.code` and nobody converts one class into another. The scan keeps a stranger from joining: only AppError
 * extends a built-in error class.
 */
const ROOT = path.resolve(__dirname, "../..");
const BUILTIN_ERRORS = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError", "DOMException"]);

/** Every class of a source text with the name it extends ("Error", "globalThis.Error" → "Error"). */
function classesOf(text: string, fileName: string): { name: string; extends: string | null }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: { name: string; extends: string | null }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const clause = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const base = clause?.types[0]?.expression;
      const name = base === undefined ? null : ts.isPropertyAccessExpression(base) ? base.name.text : base.getText(source);
      found.push({ name: node.name?.text ?? "(anonymous)", extends: name });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `Class (file)` for each class that extends a built-in error directly. */
const strangers = (classes: { name: string; extends: string | null; file: string }[]) =>
  classes.filter((c) => c.extends !== null && BUILTIN_ERRORS.has(c.extends) && c.name !== "AppError").map((c) => `${c.name} (${c.file})`);

function libClasses(): { name: string; extends: string | null; file: string }[] {
  const out: { name: string; extends: string | null; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        for (const c of classesOf(readFileSync(path.join(ROOT, rel), "utf8"), rel)) out.push({ ...c, file: rel });
      }
    }
  };
  walk("lib");
  return out;
}

describe("the error family", () => {
  it("in lib/, only AppError extends Error: every other error class descends from it", () => {
    const classes = libClasses();
    expect(classes).toContainEqual({ name: "AppError", extends: "Error", file: path.join("lib", "errors.ts") });
    expect(strangers(classes)).toEqual([]);
  });

  it("the scan sees a stranger, however it is written", () => {
    const scan = (text: string) => strangers(classesOf(text, "probe.ts").map((c) => ({ ...c, file: "probe.ts" })));
    expect(scan("export class Oops extends Error {}")).toEqual(["Oops (probe.ts)"]);
    expect(scan("class Oops extends globalThis.TypeError {}")).toEqual(["Oops (probe.ts)"]);
    expect(scan("const Oops = class extends Error {};")).toEqual(["(anonymous) (probe.ts)"]);
    expect(scan('import { AppError } from "@/lib/errors";\nclass Fine extends AppError {}\nclass Other extends Map {}')).toEqual([]);
  });

  it("EngineError: the kind of its code's category, or the one its thrower names", () => {
    const reject = EngineError.from(failure("INSUFFICIENT_CASH", "need $5.00, have $1.00"));
    expect(reject).toBeInstanceOf(AppError);
    expect([reject.kind, reject.code, reject.message, reject.name]).toEqual(["reject", "INSUFFICIENT_CASH", "need $5.00, have $1.00", "EngineError"]);
    expect(EngineError.from(failure("INSUFFICIENT_SHARES", "x"), "halt").kind).toBe("halt");
    const thrown = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      throw new Error("did not throw");
    };
    expect(thrown(() => parseMoney("1e5"))).toMatchObject({ kind: "halt", code: "INVALID_MONEY" });
    expect(thrown(() => priceToMoney(Number.NaN, "AAPL"))).toMatchObject({
      kind: "halt",
      code: "INVALID_PRICE",
      message: "bad price for AAPL: price NaN is not a finite dollar amount from 0 to 1000000000",
    });
  });

  it("MarketDataError and ImportError: reject", () => {
    const market = new MarketDataError("NO_DATA", "no price for ZZAA");
    expect(market).toBeInstanceOf(AppError);
    expect([market.kind, market.code, market.name]).toEqual(["reject", "NO_DATA", "MarketDataError"]);
    const file = new ImportError([{ line: 3, message: "bad close" }], "bars.csv");
    expect(file).toBeInstanceOf(AppError);
    expect([file.kind, file.code, file.problems, file.message]).toEqual(["reject", "IMPORT_INVALID", [{ line: 3, message: "bad close" }], "bars.csv: 1 problem(s), nothing imported. line 3: bad close"]);
  });

  it("ProviderError: retry for rate limits and outages, halt for keys, reject for the request; its details stay", () => {
    const limited = new ProviderError("polygon", "PROVIDER_RATE_LIMIT", "Polygon returned 429", { status: 429, retryAfterSeconds: 30 });
    expect(limited).toBeInstanceOf(AppError);
    expect([limited.kind, limited.action, limited.status, limited.retryAfterSeconds, limited.provider]).toEqual(["retry", "retry", 429, 30, "polygon"]);
    expect(new ProviderError("alpaca", "PROVIDER_UNREACHABLE", "down").kind).toBe("retry");
    expect(new ProviderError("polygon", "PROVIDER_AUTH", "check POLYGON_API_KEY").kind).toBe("halt");
    expect(new ProviderError("yahoo", "PROVIDER_UNSUPPORTED_INTERVAL", "no minutes").kind).toBe("reject");
  });

  it("ToolError: reject by default, text CODE: detail; the tool boundary keeps an AppError's code and kind", () => {
    const bad = new ToolError("INVALID_EXPRESSION", "unknown name");
    expect(bad).toBeInstanceOf(AppError);
    expect([bad.kind, bad.code, bad.detail, bad.message]).toEqual(["reject", "INVALID_EXPRESSION", "unknown name", "INVALID_EXPRESSION: unknown name"]);

    const market = toToolError(new MarketDataError("NOT_IN_UNIVERSE", "TSLA is not in this session's universe"), "get_quote");
    expect([market.kind, market.code, market.message]).toEqual(["reject", "NOT_IN_UNIVERSE", "NOT_IN_UNIVERSE: TSLA is not in this session's universe"]);
    expect(toToolError(new AppError("halt", "LOOKAHEAD", "a price from the future"), "buy")).toMatchObject({ kind: "halt", message: "LOOKAHEAD: a price from the future" });
    expect(toToolError(bad, "calculate")).toBe(bad);

    const drizzle = Object.assign(new Error("Failed query: select 1\nparams: "), { cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }) });
    expect(toToolError(drizzle, "get_bars")).toMatchObject({
      kind: "retry",
      code: "INTERNAL_ERROR",
      message: "INTERNAL_ERROR: get_bars failed unexpectedly (deadlock detected); nothing was changed by it",
    });
  });

  it("DecisionClosedError: a reject ToolError, DECISION_ENDED", async () => {
    const rt = createToolRuntime();
    rt.close("the model finished");
    const err = await rt.track("buy", "late", {}, async () => "traded").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecisionClosedError);
    expect(err).toBeInstanceOf(ToolError);
    expect(err).toMatchObject({ kind: "reject", code: "DECISION_ENDED", message: "DECISION_ENDED: this decision has ended (the model finished); buy did not run" });
  });

  it("DecisionTimeout: retry, named as the platform's timeouts are", () => {
    const timeout = new DecisionTimeout("timeout after 2 s");
    expect(timeout).toBeInstanceOf(AppError);
    expect([timeout.kind, timeout.code, timeout.name, timeout.message]).toEqual(["retry", "TIMEOUT", "TimeoutError", "timeout after 2 s"]);
  });

  it("AuthError: Supabase's status and code on the wire, the kind of that status", () => {
    const cases: [number, string, string][] = [
      [400, "invalid_credentials", "reject"],
      [422, "weak_password", "reject"],
      [401, "no_api_key", "forbidden"],
      [403, "bad_jwt", "forbidden"],
      [404, "not_found", "not_found"],
      [429, "over_request_rate_limit", "limit"],
      [500, "unexpected_failure", "halt"],
    ];
    for (const [status, code, kind] of cases) {
      const err = new AuthError(status, code, "words", { weak_password: { reasons: ["length"] } });
      expect(err).toBeInstanceOf(AppError);
      expect([err.status, err.code, err.kind, err.extra]).toEqual([status, code, kind, { weak_password: { reasons: ["length"] } }]);
    }
  });

  it("SecretError and ModelConfigError were AppErrors already", () => {
    expect(new SecretError("SECRET_UNREADABLE", "x")).toMatchObject({ kind: "halt", code: "SECRET_UNREADABLE" });
    expect(new SecretError("ENCRYPTION_KEY_MISSING", "x", { apiKey: "x" })).toMatchObject({ kind: "reject", fieldErrors: { apiKey: "x" } });
    expect(new ModelConfigError("MODEL_UNKNOWN", "x", "nope:model")).toBeInstanceOf(AppError);
  });
});

describe("errors that are not ours", () => {
  it("isRetryable: a retry AppError, or a transient Postgres or network code anywhere in the cause chain", () => {
    expect(isRetryable(new AppError("retry", "CURSOR_MOVED", "moved"))).toBe(true);
    expect(isRetryable(new AppError("halt", "MODEL_GONE", "gone"))).toBe(false);
    expect(isRetryable(Object.assign(new Error("could not serialize access"), { code: "40001" }))).toBe(true);
    expect(isRetryable(new Error("Failed query", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isRetryable("text")).toBe(false);
    expect(isRetryable(null)).toBe(false);
  });

  it("isDatabaseUnavailable: the database down, shutting down, starting up, full, or the connection to it lost; not a conflict", () => {
    const pg = (code: string) => new Error("Failed query: select 1", { cause: Object.assign(new Error(code), { code }) });
    for (const code of ["57P01", "57P03", "53300", "08006", "ECONNREFUSED", "CONNECTION_CLOSED", "CONNECT_TIMEOUT"]) expect(isDatabaseUnavailable(pg(code)), code).toBe(true);
    for (const code of ["40001", "40P01", "23505"]) expect(isDatabaseUnavailable(pg(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError())).toBe(true);
    expect(isDatabaseUnavailable(new AppError("retry", "CURSOR_MOVED", "moved"))).toBe(false);
  });

  it("fromUnknown: the database unreachable as DATABASE_UNAVAILABLE in words, the driver's error kept as the cause", () => {
    const refused = new Error("Failed query: select 1", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) });
    const err = fromUnknown(refused, "SESSION_ERROR");
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect([err.kind, err.code, err.message, err.cause, (err as DatabaseUnavailableError).retryAfterSeconds]).toEqual(["retry", "DATABASE_UNAVAILABLE", "The database is unavailable; try again in a moment.", refused, 5]);
  });

  it("fromUnknown: ours as it is; any other as the code given, retry or halt, with its own first line and the original as cause", () => {
    const ours = new MarketDataError("NO_DATA", "no price");
    expect(fromUnknown(ours)).toBe(ours);
    const query = new Error("Failed query: insert into orders …\nparams: 1,2", { cause: new Error("value too long for type character varying(12)") });
    const wrapped = fromUnknown(query, "SESSION_ERROR");
    expect([wrapped.kind, wrapped.code, wrapped.message, wrapped.cause]).toEqual(["halt", "SESSION_ERROR", "value too long for type character varying(12)", query]);
    expect(fromUnknown(new Error("first\nsecond"))).toMatchObject({ kind: "halt", code: "INTERNAL", message: "first" });
    expect(fromUnknown(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toMatchObject({ kind: "retry" });
    expect(fromUnknown("plain text").message).toBe("plain text");
  });
});
