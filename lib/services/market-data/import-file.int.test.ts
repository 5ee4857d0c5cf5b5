import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bars } from "@/lib/db/schema";
import { withUser } from "@/lib/db/rls";
import { createMarketView, createMemoryBarSource, ImportError, parseAlphaVantage, type Bar } from "@/lib/market";
import { adminSql, createUser, dbError, freshDatabase, testDb } from "@/tests/support/database";
import { createDbBarSource } from "./bar-source";
import { importBarsFile } from "./import-file";
import { ensureMarketData } from "./synthetic-seed";

const DATA = path.resolve(process.cwd(), "../shared/data/nasdaq100");
const HOURLY = path.join(DATA, "hourly-2025-10-01_2025-11-10.jsonl");
const DAILY = path.join(DATA, "daily-2025-06-10_2025-10-30.jsonl");
const QQQ = path.join(DATA, "QQQ-hourly.json");

const admin = adminSql();
const { db, client } = testDb();
const count = async (where = "true") => ((await admin.unsafe(`select count(*)::int as n from bars where ${where}`)) as unknown as [{ n: number }])[0].n;

beforeAll(async () => {
  await importBarsFile(db, HOURLY, { deriveDaily: true });
  await importBarsFile(db, DAILY);
  await importBarsFile(db, QQQ);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

describe("importing the real NASDAQ-100 files", () => {
  it("stores 101 symbols with 174 hourly bars each, and QQQ", async () => {
    const perSymbol = await admin`select symbol, count(*)::int as n from bars where interval = 'hour' and source = 'alphavantage' group by symbol`;
    expect(perSymbol.length).toBe(102); // 101 NASDAQ-100 symbols (GOOG and GOOGL both) + QQQ
    expect(new Set(perSymbol.map((r) => r.n))).toEqual(new Set([174]));
    expect(await count(`interval = 'day' and not derived and symbol = 'NVDA'`)).toBe(100);
  });

  it("keeps values and times exactly: AAPL 2025-10-30 15:00 ET is 19:00 UTC, open 271.0884, close 271.1184", async () => {
    const [bar] = await admin`select * from bars where symbol = 'AAPL' and interval = 'hour' and start = '2025-10-30T19:00:00Z'`;
    expect(bar).toMatchObject({ open: 271.0884, high: 271.5979, low: 270.7337, close: 271.1184, volume: 11077995, derived: false });
    const [last] = await admin`select * from bars where symbol = 'AAPL' and interval = 'hour' order by start desc limit 1`;
    expect(last).toMatchObject({ open: 269.53, high: null, low: null, close: null, volume: null });
    expect(new Date(last!.start as string).toISOString()).toBe("2025-11-10T20:00:00.000Z");
    const [nvda] = await admin`select * from bars where symbol = 'NVDA' and interval = 'day' and start = '2025-06-10T13:30:00Z'`;
    expect(nvda).toMatchObject({ open: 142.69, close: 143.96, derived: false });
  });

  it("keeps one daily bar per symbol and day: the file's replaces the derived one", async () => {
    const dupes = await admin`
      select symbol, (start at time zone 'America/New_York')::date as day, count(*)::int as n
      from bars where interval = 'day' group by 1, 2 having count(*) > 1`;
    expect(dupes).toEqual([]);
    expect(await count(`interval = 'day' and derived and start >= '2025-10-31'`)).toBeGreaterThan(0); // Nov: only derived
    expect(await count(`interval = 'day' and derived and start < '2025-10-31'`)).toBe(0); // Oct: the file's
  });

  it("re-importing changes nothing", async () => {
    const before = await count();
    const report = await importBarsFile(db, HOURLY);
    expect(report).toMatchObject({ symbols: 101, bars: 17574, inserted: 0, unchanged: 17574 });
    expect(await count()).toBe(before);
  });

  it("imports nothing from a file that fails validation, and names the lines", async () => {
    const before = await count();
    const file = path.join(os.tmpdir(), `bad-${Date.now()}.csv`);
    await writeFile(
      file,
      [
        "symbol,time,open,high,low,close,volume",
        "ZZGOOD,2025-10-01T14:00:00Z,10,11,9,10.5,100",
        "ZZBAD,2025-10-01T14:00:00Z,-10,11,9,10.5,100",
        "ZZBAD,2025-10-01T15:00:00Z,10,9,11,10.5,100",
        "ZZBAD,not a time,10,11,9,10.5,100",
      ].join("\n"),
    );
    const err = await importBarsFile(db, file, { interval: "hour" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(await count()).toBe(before);
    expect(await count(`symbol = 'ZZGOOD'`)).toBe(0);
  });

  it("market data is read-only to users", async () => {
    const user = await createUser(admin, "reader");
    const rows = await withUser(user.claims, (tx) => tx.select().from(bars).limit(3), db);
    expect(rows.length).toBe(3);
    const refused = await dbError(
      withUser(user.claims, (tx) => tx.insert(bars).values({ symbol: "X", interval: "day", start: new Date(), open: 1, source: "x" }), db),
    );
    expect(refused).toMatch(/permission denied/);
  });

  it("the market view over Postgres shows exactly what it shows over the parsed file", async () => {
    const parsed = parseAlphaVantage(await (await import("node:fs/promises")).readFile(HOURLY, "utf8"), "hourly.jsonl");
    const universe = ["AAPL", "NVDA", "MSFT"];
    const memory = createMemoryBarSource(parsed.bars.filter((b) => universe.includes(b.symbol)));
    const dbSource = createDbBarSource(db);
    const first = Date.parse("2025-10-01T13:00:00Z");
    const last = Date.parse("2025-11-11T00:00:00Z");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: first, max: last }), fc.constantFrom(...universe), fc.integer({ min: 1, max: 30 }), async (t, symbol, limit) => {
        const clock = { now: () => new Date(t) };
        const a = createMarketView({ clock, universe, source: memory, intervals: ["hour"] });
        const b = createMarketView({ clock, universe, source: dbSource, intervals: ["hour"] });
        const strip = (xs: readonly Bar[]) => xs.map((x) => ({ ...x, start: x.start.toISOString() }));
        expect(strip(await b.bars(symbol, "hour", { limit }))).toEqual(strip(await a.bars(symbol, "hour", { limit })));
        expect(await b.quote(symbol).catch((e: Error) => e.message)).toEqual(await a.quote(symbol).catch((e: Error) => e.message));
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});

describe("the offline default", () => {
  it("stores the seeded synthetic market once, only when no bars exist", async () => {
    const fresh = await freshDatabase("synthetic");
    try {
      const written = await ensureMarketData(fresh.db);
      expect(written).toBeGreaterThan(50_000);
      expect(await ensureMarketData(fresh.db)).toBe(0);
      const [inst] = await fresh.client`select * from instruments order by symbol limit 1`;
      expect(inst).toMatchObject({ exchange: "SYNTH", source: "synthetic" });
      expect(inst!.name).toMatch(/\(synthetic\)$/);
      const sources = await fresh.client`select distinct source from bars`;
      expect(sources.map((r) => r.source)).toEqual(["synthetic"]);
    } finally {
      await fresh.drop();
    }
    expect(await ensureMarketData(db)).toBe(0); // real data is there: nothing synthetic is added
  });
});
