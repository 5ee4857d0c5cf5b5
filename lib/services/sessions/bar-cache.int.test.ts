import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/lib/db/schema";
import { barStarts, tradingDays, type Bar } from "@/lib/market";
import { databaseUrl } from "@/tests/support/database";
import { seedBars } from "@/tests/support/session-fixtures";
import { preloadSessionBars } from "./bar-cache";

/** Runs that start together with the same universe, interval and range share the preload's reads (bar-cache.ts). */

let statements = 0;
const client = postgres(databaseUrl(), { max: 4, onnotice: () => {}, debug: () => void statements++ });
const db = drizzle({ client, schema, casing: "snake_case" });
const days = tradingDays("2025-03-03", "2025-03-14");
const symbol = `PRE${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  const bars: Bar[] = days.map((day, i) => ({ symbol, interval: "day", start: barStarts(day, "day")[0]!, open: 10 + i, high: 11 + i, low: 9 + i, close: 10.5 + i, volume: 1_000, source: "test", derived: false }));
  await seedBars(db, bars);
});
afterAll(() => client.end());

describe("preloadSessionBars", () => {
  const fallback = { getBars: async () => [] };
  const range = (first: number, last: number) => ({ symbols: [symbol], interval: "day" as const, from: barStarts(days[first]!, "day")[0]!, to: barStarts(days[last]!, "day")[0]!, fallback });

  it("reads once for the runs starting at the same moment with the same range, and again once that read is over", async () => {
    await Promise.all([1, 2, 3, 4].map(() => client`select 1`)); // connections open (their setup is not a read)
    statements = 0;
    await preloadSessionBars(db, range(1, 8));
    const one = statements;
    expect(one).toBeGreaterThan(0);
    statements = 0;
    const [a, b, c] = await Promise.all([preloadSessionBars(db, range(2, 8)), preloadSessionBars(db, range(2, 8)), preloadSessionBars(db, range(3, 8))]);
    expect(statements).toBe(2 * one); // one read for (2, 8), one for (3, 8)
    const query = { symbols: [symbol], interval: "day" as const, from: barStarts(days[0]!, "day")[0]!, to: barStarts(days[8]!, "day")[0]! };
    const [fromA, fromB, fromC] = await Promise.all([a.getBars(query), b.getBars(query), c.getBars(query)]);
    expect(fromA.map((x) => x.open)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(fromB).toEqual(fromA);
    expect(fromC).toEqual(fromA);
    await preloadSessionBars(db, range(2, 8));
    expect(statements).toBe(3 * one); // nothing is kept: a later run reads what is there then
  });
});
