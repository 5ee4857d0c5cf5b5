import { describe, expect, it } from "vitest";
import { parseAuditFilter } from "./audit";

const fieldsOf = (params: Record<string, string>) => {
  const r = parseAuditFilter(new URLSearchParams(params));
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("the audit's filters", () => {
  it("defaults to the newest orders first, page 1; blank fields are no filter", () => {
    const r = parseAuditFilter(new URLSearchParams({ user: "", symbol: " nvda ", from: "" }));
    expect(r.success && r.data).toEqual({ symbol: "NVDA", sort: "placedAt", dir: "desc", page: 1 });
  });

  it("accepts a one-day range", () => {
    expect(parseAuditFilter({ from: "2025-03-03", to: "2025-03-03" }).success).toBe(true);
  });

  it("names each bad field in words", () => {
    expect(fieldsOf({ from: "2025-03-07", to: "2025-03-03" })).toEqual({ to: "To must be on or after From" });
    expect(fieldsOf({ from: "03/07/2025" })).toEqual({ from: "Use a date like 2025-10-30" });
    expect(fieldsOf({ session: "42" })).toEqual({ session: "Session must be a session id" });
    expect(fieldsOf({ symbol: "DROP TABLE orders;" })).toEqual({ symbol: "Symbol looks like AAPL" });
    expect(fieldsOf({ side: "hold", status: "lost", type: "trailing", sort: "price", dir: "up", page: "0" })).toEqual({
      side: "Side must be one of buy, sell, sell_short, buy_to_cover",
      type: "Type must be one of market, limit, stop, stop_limit, trailing_stop",
      status: expect.stringMatching(/^Status must be one of .*rejected/),
      sort: "Sort must be one of placedAt, symbol, user, model, status, quantity",
      dir: "Direction must be asc or desc",
      page: "Page must be a whole number from 1 to 100000",
    });
    for (const page of ["1.5", "abc", "1e9", "-1"]) expect(fieldsOf({ page }), page).toEqual({ page: "Page must be a whole number from 1 to 100000" });
    expect(Object.keys(fieldsOf({ user: "x".repeat(255) }))).toEqual(["user"]);
    expect(fieldsOf({ type: "LIMIT" })).toEqual({ type: "Type must be one of market, limit, stop, stop_limit, trailing_stop" });
  });
});
