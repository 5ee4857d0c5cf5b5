import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, RateLimitedError } from "@/lib/errors";
import { fromError } from "./respond";

describe("fromError", () => {
  afterEach(() => vi.restoreAllMocks());

  it("the database unreachable: 503 DATABASE_UNAVAILABLE in words with Retry-After; the driver's message only in the log", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const terminated = new Error("Failed query: select …", { cause: Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }) });
    const res = fromError(terminated);
    expect([res.status, res.headers.get("retry-after")]).toEqual([503, "5"]);
    expect(await res.json()).toEqual({ error: { code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; try again in a moment." } });
    expect(String(log.mock.calls[0]![0])).toContain("terminating connection due to administrator command");
  });

  it("keeps the other answers: a rate limit 429 with Retry-After, ours by kind, anything else 500 without details", async () => {
    const limited = fromError(new RateLimitedError("Too many sessions started", 42));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "42"]);
    expect(fromError(new AppError("conflict", "INVALID_STATE", "already paused")).status).toBe(409);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const other = fromError(new Error("secret detail"));
    expect(other.status).toBe(500);
    expect(JSON.stringify(await other.json())).not.toContain("secret detail");
  });
});
