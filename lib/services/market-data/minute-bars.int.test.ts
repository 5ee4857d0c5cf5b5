import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordedFetch } from "@/tests/support/recorded-fetch";
import { createPolygonProvider } from "@/lib/market/providers";
import { freshDatabase } from "@/tests/support/database";
import { importBarsFile } from "./import-file";
import { ensureMinuteBars } from "./minute-bars";
import { fetchAndCacheBars } from "./provider";
import { ensureMarketData } from "./synthetic-seed";

const HOURLY = path.resolve(process.cwd(), "../shared/data/nasdaq100/hourly-2025-10-01_2025-11-10.jsonl");
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  fresh = await freshDatabase("minutes");
  await importBarsFile(fresh.db, HOURLY);
});
afterAll(() => fresh.drop());

describe("minute bars on demand", () => {
  it("derives a day's minutes from real hourly bars once, reproducing every hour", async () => {
    const [first] = await ensureMinuteBars(fresh.db, { day: "2025-10-30", symbols: ["AAPL"], seed: 7 });
    expect(first).toEqual({ symbol: "AAPL", minutes: 360, how: "derived" }); // 10:00–16:00: the hours the file has
    const [again] = await ensureMinuteBars(fresh.db, { day: "2025-10-30", symbols: ["AAPL"], seed: 7 });
    expect(again).toEqual({ symbol: "AAPL", minutes: 360, how: "stored" });
    const check = await fresh.client`
      select h.start, h.open, h.high, h.low, h.close, h.volume,
             (array_agg(m.open order by m.start))[1] as m_open, max(m.high) as m_high, min(m.low) as m_low,
             (array_agg(m.close order by m.start desc))[1] as m_close, sum(m.volume) as m_volume, bool_and(m.derived) as derived
      from bars h join bars m on m.symbol = h.symbol and m.interval = 'minute' and m.start >= h.start and m.start < h.start + interval '1 hour'
      where h.symbol = 'AAPL' and h.interval = 'hour' and h.start >= '2025-10-30T13:30:00Z' and h.start < '2025-10-30T20:00:00Z'
      group by h.start, h.open, h.high, h.low, h.close, h.volume`;
    expect(check.length).toBe(6);
    for (const r of check) {
      expect([r.m_open, r.m_high, r.m_low, r.m_close, r.m_volume, r.derived]).toEqual([r.open, r.high, r.low, r.close, r.volume, true]);
    }
  });

  it("uses the synthetic market's own 390 minutes for synthetic symbols", async () => {
    const synth = await freshDatabase("minutes_synth");
    try {
      await ensureMarketData(synth.db);
      const [sym] = await synth.client`select symbol from instruments order by symbol limit 1`;
      const [r] = await ensureMinuteBars(synth.db, { day: "2025-03-03", symbols: [sym!.symbol as string] });
      expect(r).toMatchObject({ minutes: 390, how: "synthetic" });
    } finally {
      await synth.drop();
    }
  });

  it("caches provider bars but never a bar unfinished at `now`", async () => {
    const { fetch } = recordedFetch("polygon-minute-page1.json", "polygon-minute-page2.json");
    const provider = createPolygonProvider({ apiKey: "test-key", fetch });
    const req = { symbol: "AAPL", interval: "minute" as const, from: new Date("2025-01-06T13:00:00Z"), to: new Date("2025-01-06T22:00:00Z") };
    // The recording has minutes from 14:29 UTC; 14:29 is before the 09:30 ET open and dropped; at 14:32 only 14:30 and 14:31 have ended.
    const result = await fetchAndCacheBars(fresh.db, provider, req, new Date("2025-01-06T14:32:00Z"));
    expect(result).toEqual({ fetched: 2, inserted: 2 });
    const stored = await fresh.client`select start from bars where source = 'polygon' order by start`;
    expect(stored.map((r) => new Date(r.start as string).toISOString())).toEqual(["2025-01-06T14:30:00.000Z", "2025-01-06T14:31:00.000Z"]);
  });
});
