import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { auditCopyOf, idempotencyKeyOf } from "./order-input";

describe("idempotencyKeyOf", () => {
  it.each(["call_abc123", "toolu_01A09q90qw90lq917835lq9", "3f1c2b9e-6a4d-4f0e-9d2c-1b2a3c4d5e6f", "k".repeat(200)])("accepts %s", (key) => {
    expect(idempotencyKeyOf({ idempotencyKey: key })).toBe(key);
  });

  it.each([undefined, null, "", " ", "a b", "k".repeat(201), 7, "tab\there", "ünïcode"])("refuses %j without storing anything", (key) => {
    let err: unknown;
    try {
      idempotencyKeyOf({ idempotencyKey: key });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: "reject", code: "INVALID_IDEMPOTENCY_KEY" });
  });
});

describe("auditCopyOf", () => {
  it("keeps the known fields, cuts long strings and spells out values JSON cannot hold", () => {
    const copy = JSON.parse(
      auditCopyOf({ symbol: "X".repeat(500), side: ["buy"], quantity: Number.NaN, type: undefined, idempotencyKey: "k", extra: "dropped" } as never),
    );
    expect(copy).toEqual({ symbol: `${"X".repeat(64)}… (500 characters)`, side: "an array", quantity: "NaN", type: "undefined" });
    expect(JSON.parse(auditCopyOf({ quantity: Infinity, symbol: null, idempotencyKey: "k" }))).toEqual({ quantity: "Infinity", symbol: null });
    expect(JSON.parse(auditCopyOf({ quantity: 1e308, idempotencyKey: "k" }))).toEqual({ quantity: 1e308 });
  });
});
