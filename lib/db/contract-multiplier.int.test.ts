import { afterAll, describe, expect, it } from "vitest";
import { multiplierOf } from "@/lib/engine";
import { adminSql } from "@/tests/support/database";

const admin = adminSql();
afterAll(() => admin.end());

/**
 * The bar's valuation in SQL (RECORD_BAR) and the engine value a contract alike: contract_multiplier (drizzle/0032)
 * answers what the engine's multiplierOf answers, symbol by symbol, on the shapes at the edge of the rule.
 */
const SYMBOLS = [
  "AAPL", "BRK.B", "ZZSOLR", "QQQ", "A", "ABCDEFGHIJKL",
  "AAPL251017C00250000", "SPY261218P00450500", "A251017C00001000", "ABCDEF251017C00250000",
  "ABCDEFG251017C00250000", // a 7-character root
  "AAPL  251017C00250000", // the padded official form (the ledger stores the compact one)
  "aapl251017c00250000", "AAPL251017X00250000", "AAPL25101C00250000", "AAPL251017C0025000", "1AAP251017C00250000",
];

describe("contract_multiplier (SQL) and multiplierOf (engine)", () => {
  it("agree on every symbol, and a contract is 100 shares' worth", async () => {
    const rows = await admin<{ symbol: string; m: number }[]>`
      select s as symbol, contract_multiplier(s) as m from unnest(${SYMBOLS}::text[]) as s`;
    expect(rows.map((r) => [r.symbol, r.m])).toEqual(SYMBOLS.map((s) => [s, multiplierOf(s)]));
    expect(rows.filter((r) => r.m === 100).map((r) => r.symbol)).toEqual([
      "AAPL251017C00250000", "SPY261218P00450500", "A251017C00001000", "ABCDEF251017C00250000",
    ]);
  });
});
