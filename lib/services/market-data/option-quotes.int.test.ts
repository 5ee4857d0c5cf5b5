import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMarketView, optionChainAt } from "@/lib/market";
import { createPolygonOptionProvider } from "@/lib/market/providers";
import { freshDatabase } from "@/tests/support/database";
import { OPT, optBars } from "@/tests/support/option-sessions";
import { routedFetch, type Recorded } from "@/tests/support/recorded-fetch";
import { seedBars } from "@/tests/support/session-fixtures";
import { createDbBarSource } from "./bar-source";
import { decisionInstants, fetchAndCacheOptionQuotes } from "./option-quotes";

/**
 * Caching real option quotes (issue #23 item 3) from Polygon's recorded answers into option_quotes, then reading them
 * back as a quoted chain through the market view. OPT (tests/support/option-sessions.ts) opens 2025-03-03 at $50.
 */
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  fresh = await freshDatabase("option_quotes");
  await seedBars(fresh.db, optBars());
});
afterAll(() => fresh.drop());

const D0 = new Date("2025-03-03T14:30:00Z"); // 09:30 New York, the daily session's decision
const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const contract = (ticker: string, type: string, strike: number, expiration = "2025-03-07") => ({
  cfi: "OCASPS", contract_type: type, exercise_style: "american", expiration_date: expiration, primary_exchange: "BATO", shares_per_contract: 100, strike_price: strike, ticker, underlying_ticker: OPT,
});
const ok = (body: unknown): Recorded => ({ status: 200, headers: { "content-type": "application/json" }, body });
const quote = (bid: number, ask: number, at: string) => ok({ status: "OK", request_id: "r", results: [{ ask_exchange: 316, ask_price: ask, ask_size: 10, bid_exchange: 313, bid_price: bid, bid_size: 10, sequence_number: 1, sip_timestamp: Number(ns(at)) }] });

function polygon() {
  return routedFetch((url) => {
    if (url.pathname === "/v3/reference/options/contracts") {
      return ok({ status: "OK", request_id: "c", results: [contract("O:OPT250307C00050000", "call", 50), contract("O:OPT250307P00048000", "put", 48), contract("O:OPT250307C00055000", "call", 55)] });
    }
    if (url.pathname === "/v3/quotes/O:OPT250307C00050000") return quote(1.1, 1.3, "2025-02-28T20:59:00.123Z");
    if (url.pathname === "/v3/quotes/O:OPT250307P00048000") return quote(0.4, 0.5, "2025-02-28T20:58:00Z");
    if (url.pathname === "/v3/quotes/O:OPT250307C00055000") return ok({ status: "OK", request_id: "e", results: [] }); // never quoted
    throw new Error(`unexpected request ${url}`);
  });
}

describe("option quotes cached from a provider", () => {
  it("lists the day's contracts around the price, stores the newest quote of each at or before the instant, and stores nothing twice", async () => {
    const rec = polygon();
    const provider = createPolygonOptionProvider({ apiKey: "test-key", fetch: rec.fetch });
    const r = await fetchAndCacheOptionQuotes(fresh.db, provider, { underlying: OPT, at: D0, expiryDays: 30, strikeRange: 0.2 });
    expect(r).toEqual({ contracts: 3, quotes: 2, inserted: 2 });
    const listing = new URL(rec.seen[0]!.url);
    expect(Object.fromEntries(listing.searchParams)).toMatchObject({
      underlying_ticker: OPT, as_of: "2025-03-03", "expiration_date.gte": "2025-03-03", "expiration_date.lte": "2025-04-02", "strike_price.gte": "40", "strike_price.lte": "60",
    });
    expect(rec.seen.every((s) => !s.url.includes("test-key") && s.headers.authorization === "Bearer test-key")).toBe(true);
    const stored = await fresh.client<{ symbol: string; at: Date; bid: number; ask: number; source: string; expiry: string; right: string; strike: number }[]>`
      select symbol, at, bid, ask, source, to_char(expiry, 'YYYY-MM-DD') as expiry, "right", strike from option_quotes order by symbol`;
    expect(stored.map((q) => [q.symbol, new Date(q.at).toISOString(), q.bid, q.ask, q.source, q.expiry, q.right, q.strike])).toEqual([
      ["OPT250307C00050000", "2025-02-28T20:59:00.123Z", 1.1, 1.3, "polygon", "2025-03-07", "call", 50],
      ["OPT250307P00048000", "2025-02-28T20:58:00.000Z", 0.4, 0.5, "polygon", "2025-03-07", "put", 48],
    ]);
    const again = await fetchAndCacheOptionQuotes(fresh.db, createPolygonOptionProvider({ apiKey: "test-key", fetch: polygon().fetch }), { underlying: OPT, at: D0, expiryDays: 30, strikeRange: 0.2 });
    expect(again.inserted).toBe(0);

    // A session at D0's open reads them back as its chain, quoted.
    const view = createMarketView({ clock: { now: () => D0 }, universe: [OPT], source: createDbBarSource(fresh.db), intervals: ["day"] });
    const chain = await optionChainAt(view, OPT);
    expect([chain.source, chain.rows.map((q) => [q.symbol, q.bid, q.ask])]).toEqual(["quoted", [["OPT250307P00048000", 0.4, 0.5], ["OPT250307C00050000", 1.1, 1.3]]]);
  });

  it("asks at the instants a session decides at: each trading day's open, or each hour", () => {
    expect(decisionInstants("2025-03-07", "2025-03-10", "day").map((d) => d.toISOString())).toEqual(["2025-03-07T14:30:00.000Z", "2025-03-10T13:30:00.000Z"]);
    expect(decisionInstants("2025-03-07", "2025-03-07", "hour").map((d) => d.toISOString())).toEqual(
      ["15:00", "16:00", "17:00", "18:00", "19:00", "20:00"].map((t) => `2025-03-07T${t}:00.000Z`),
    );
  });
});
