import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, notFound } from "@/lib/errors";
import { actionResult } from "./action";

describe("actionResult", () => {
  afterEach(() => vi.restoreAllMocks());

  it("spreads the result after ok", async () => {
    expect(await actionResult("t", async () => ({ id: "x" }))).toEqual({ ok: true, id: "x" });
  });

  it("answers a typed error with its message and field errors", async () => {
    expect(await actionResult("t", () => Promise.reject(notFound("Model")))).toEqual({ ok: false, message: "Model not found", fieldErrors: {} });
    const reject = new AppError("reject", "VALIDATION_FAILED", "Some fields need attention", { name: "Name is required" });
    expect(await actionResult("t", () => Promise.reject(reject))).toMatchObject({ ok: false, fieldErrors: { name: "Name is required" } });
  });

  it("says which argument failed its schema, instead of blaming the server", async () => {
    const res = await actionResult("t", async () => ({ n: z.object({ offset: z.number().int().min(0) }).parse({ offset: -1 }).offset }));
    expect(res).toMatchObject({ ok: false, message: expect.stringMatching(/^Invalid request: offset: .*>=0/) });
  });

  it("says in words that the database is unavailable, logging the driver's own message", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const refused = new Error("Failed query: select 1", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) });
    expect(await actionResult("t", () => Promise.reject(refused))).toEqual({ ok: false, message: "The database is unavailable; try again in a moment." });
    expect(String(log.mock.calls[0]![0])).toContain("connect ECONNREFUSED 127.0.0.1:5432");
  });

  it("logs anything else (and a halt) without sending its details", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const err of [new Error("connection refused at 10.0.0.5"), new AppError("halt", "BAD_SETTINGS", "stored settings unreadable")]) {
      const res = await actionResult("t", () => Promise.reject(err));
      expect(res).toEqual({ ok: false, message: "Something went wrong on our side; it has been logged. Try again." });
    }
    expect(log).toHaveBeenCalledTimes(2);
    expect(String(log.mock.calls[0]![1])).toContain("connection refused");
  });
});
