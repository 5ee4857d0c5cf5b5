import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/tests/support/database";
import { insertBars, selectBars } from "./bars";

const { db, client } = testDb(2);
const day = (d: string) => new Date(`${d}T00:00:00Z`);
const bar = (symbol: string, d: string, close: number) => ({
  symbol, interval: "day" as const, start: day(d), open: close, high: close, low: close, close, volume: 1, source: "test", derived: false,
});

beforeAll(async () => {
  // PRIA trades every day; PRIB last traded days before the range; PRIC only starts inside it.
  await insertBars(db, [
    bar("PRIA", "2001-01-01", 1), bar("PRIA", "2001-01-02", 2), bar("PRIA", "2001-01-03", 3), bar("PRIA", "2001-01-04", 4), bar("PRIA", "2001-01-05", 5),
    bar("PRIB", "2000-12-20", 10), bar("PRIB", "2000-12-27", 11), bar("PRIB", "2001-01-05", 12),
    bar("PRIC", "2001-01-05", 20),
  ]);
});
afterAll(() => client.end());

const keys = (bars: { symbol: string; start: Date }[]) => bars.map((b) => `${b.symbol}@${b.start.toISOString().slice(0, 10)}`);

describe("selectBars limit", () => {
  it("each symbol's newest `limit` bars up to `to`, however far back they lie, ordered by start then symbol", async () => {
    const got = await selectBars(db, { symbols: ["PRIA", "PRIB", "PRIC"], interval: "day", to: day("2001-01-04"), limit: 2 });
    expect(keys(got)).toEqual(["PRIB@2000-12-20", "PRIB@2000-12-27", "PRIA@2001-01-03", "PRIA@2001-01-04"]);
  });
});

describe("selectBars withPrior", () => {
  it("adds each symbol's newest bar before `from` (however old), none for a symbol without one, ordered by start then symbol", async () => {
    const got = await selectBars(db, { symbols: ["PRIA", "PRIB", "PRIC"], interval: "day", from: day("2001-01-04"), to: day("2001-01-05"), withPrior: true });
    expect(keys(got)).toEqual(["PRIB@2000-12-27", "PRIA@2001-01-03", "PRIA@2001-01-04", "PRIA@2001-01-05", "PRIB@2001-01-05", "PRIC@2001-01-05"]);
  });

  it("is the unbounded read less what no quote in the range can use", async () => {
    const all = await selectBars(db, { symbols: ["PRIA", "PRIB"], interval: "day", to: day("2001-01-05") });
    const got = await selectBars(db, { symbols: ["PRIA", "PRIB"], interval: "day", from: day("2001-01-03"), to: day("2001-01-05"), withPrior: true });
    const lastBefore = (s: string) => all.filter((b) => b.symbol === s && b.start < day("2001-01-03")).at(-1)!;
    const expected = all.filter((b) => b.start >= day("2001-01-03") || b === lastBefore(b.symbol));
    expect(got).toEqual(expected);
  });

  it("without withPrior the range is the range", async () => {
    const got = await selectBars(db, { symbols: ["PRIB"], interval: "day", from: day("2001-01-01"), to: day("2001-01-05") });
    expect(keys(got)).toEqual(["PRIB@2001-01-05"]);
  });
});
