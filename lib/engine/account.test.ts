import { describe, expect, it } from "vitest";
import { applyFill, createAccount, foldFills } from "./account";
import { fill, usd } from "@/tests/support/engine-helpers";

describe("account: applyFill and foldFills", () => {
  const start = createAccount(usd(10_000));

  it("debits buys and covers, credits sells and shorts (cash ledger)", () => {
    const steps = [
      [fill("buy", 10, usd(100), usd(1)), usd(-1001)],
      [fill("sell", 10, usd(110), usd(1)), usd(1099)],
      [fill("sell_short", 5, usd(200), usd(1)), usd(999)],
      [fill("buy_to_cover", 5, usd(190), usd(1)), usd(-951)],
    ] as const;
    let account = start;
    for (const [f, delta] of steps) {
      const r = applyFill(account, f);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.cashDelta).toBe(delta);
      account = r.value.account;
    }
    expect(account.cash).toBe(usd(10_146)); // 10,000 − 1,001 + 1,099 + 999 − 951
    expect(account.feesPaid).toBe(usd(4));
    expect(account.positions.get("AAPL")?.realizedPnl).toBe(usd(150)); // 100 long + 50 short
  });

  it("rejects a duplicate fill id and leaves the state untouched", () => {
    const f = fill("buy", 1, usd(10), 0n, "fill-1");
    const once = applyFill(start, f);
    if (!once.ok) throw new Error(once.error.message);
    const twice = applyFill(once.value.account, { ...f });
    expect(twice).toEqual({
      ok: false,
      error: { code: "DUPLICATE_FILL", message: 'fill "fill-1" was already applied; each fill is recorded once' },
    });
    expect(start.positions.size).toBe(0);
    expect(start.fillIds.size).toBe(0);
    expect(start.cash).toBe(usd(10_000));
  });

  it("rejects structurally bad fills with INVALID_FILL", () => {
    for (const bad of [fill("buy", 0, usd(1)), fill("buy", 1, 0n), fill("buy", 1, usd(1), -1n), fill("buy", 1.5, usd(1))]) {
      const r = applyFill(start, bad);
      expect(!r.ok && r.error.code).toBe("INVALID_FILL");
    }
  });

  it("folds a list to the same state as applying one by one", () => {
    const fills = [fill("buy", 10, usd(10), usd(1)), fill("buy", 5, usd(12)), fill("sell", 8, usd(11), usd(1))];
    let one = start;
    for (const f of fills) {
      const r = applyFill(one, f);
      if (!r.ok) throw new Error(r.error.message);
      one = r.value.account;
    }
    const all = foldFills(start, fills);
    expect(all).toEqual({ ok: true, value: one });
  });

  it("names the offending fill when a fold fails on a duplicate", () => {
    const f = fill("buy", 1, usd(10));
    const r = foldFills(start, [f, fill("buy", 1, usd(10)), f]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe("DUPLICATE_FILL");
    expect(!r.ok && r.error.message).toMatch(/^fill #2: /);
  });
});
