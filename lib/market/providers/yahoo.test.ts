import { describe, expect, it } from "vitest";
import { failure, fixture, recordedFetch, unreachableFetch } from "@/tests/support/recorded-fetch";
import { createYahooProvider } from "./yahoo";

const day = { symbol: "AAPL", interval: "day" as const, from: new Date("2025-01-06T14:30:00Z"), to: new Date("2025-01-10T21:00:00Z") };

describe("Yahoo requests", () => {
  it("asks for daily bars only, from the New York midnight before `from` to the one after `to`", async () => {
    const { fetch, seen } = recordedFetch("yahoo-day.json");
    await createYahooProvider({ fetch }).fetchBars(day);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("https://query1.finance.yahoo.com/v8/finance/chart/AAPL?period1=1736139600&period2=1736571600&interval=1d");
    expect(seen[0]?.headers.accept).toBe("application/json");
  });

  it("refuses minute and hour bars without calling the network", async () => {
    const { fetch, seen } = recordedFetch();
    const yahoo = createYahooProvider({ fetch });
    expect(yahoo.intervals).toEqual(["day"]);
    const minute = await failure(yahoo.fetchBars({ ...day, interval: "minute" }));
    expect([minute.code, minute.action, minute.message]).toEqual([
      "PROVIDER_UNSUPPORTED_INTERVAL",
      "reject",
      "Yahoo provides daily bars only; minute bars need Polygon or Alpaca",
    ]);
    const hour = await failure(yahoo.fetchBars({ ...day, interval: "hour" }));
    expect(hour.message).toBe("Yahoo provides daily bars only; hour bars need Polygon or Alpaca");
    const old = await failure(yahoo.fetchBars({ ...day, from: new Date("2019-01-02T14:30:00Z") }));
    expect([old.code, old.message.startsWith("Bullpen's NYSE calendar covers 2024-01-01 to 2027-12-31")]).toEqual(["PROVIDER_BAD_REQUEST", true]);
    expect(seen).toHaveLength(0);
  });
});

describe("Yahoo responses", () => {
  it("skips the row with nulls and starts each bar at the 09:30 open", async () => {
    const { fetch } = recordedFetch("yahoo-day.json");
    const bars = await createYahooProvider({ fetch }).fetchBars(day);
    expect(bars.map((b) => b.start.toISOString())).toEqual(["2025-01-06T14:30:00.000Z", "2025-01-07T14:30:00.000Z", "2025-01-10T14:30:00.000Z"]);
    expect(bars[0]).toEqual({
      symbol: "AAPL",
      interval: "day",
      start: new Date("2025-01-06T14:30:00Z"),
      open: 244.30999755859375,
      high: 247.3300018310547,
      low: 243.1999969482422,
      close: 245,
      volume: 45045600,
      source: "yahoo",
      derived: false,
    });
  });

  it("reads a result without timestamps (nothing in the range) as no bars", async () => {
    const body = { chart: { result: [{ meta: { symbol: "AAPL" }, indicators: { quote: [{}] } }], error: null } };
    expect(await createYahooProvider({ fetch: recordedFetch({ status: 200, body }).fetch }).fetchBars(day)).toEqual([]);
  });
});

describe("Yahoo failures", () => {
  it("says 429 in words a person can act on", async () => {
    const e = await failure(createYahooProvider({ fetch: recordedFetch("yahoo-429.json").fetch }).fetchBars(day));
    expect([e.code, e.status, e.message]).toEqual(["PROVIDER_RATE_LIMIT", 429, "Yahoo returned 429: too many requests, try again in a minute"]);
  });

  it("maps 404 and a chart.error body to NOT_FOUND with Yahoo's description", async () => {
    const e = await failure(createYahooProvider({ fetch: recordedFetch("yahoo-404.json").fetch }).fetchBars({ ...day, symbol: "AAPLX" }));
    expect([e.code, e.message]).toEqual([
      "PROVIDER_NOT_FOUND",
      'Yahoo returned 404: no data for AAPLX, check the symbol (Yahoo says: "Not Found: No data found, symbol may be delisted")',
    ]);
    const inBody = { status: 200, body: fixture("yahoo-404.json").body };
    const e2 = await failure(createYahooProvider({ fetch: recordedFetch(inBody).fetch }).fetchBars(day));
    expect([e2.code, e2.message]).toEqual(["PROVIDER_NOT_FOUND", "Yahoo refused the request for AAPL: Not Found: No data found, symbol may be delisted"]);
  });

  it("refuses columns whose length differs from the timestamps, and values of the wrong type", async () => {
    const short = structuredClone(fixture("yahoo-day.json").body) as { chart: { result: { indicators: { quote: { close: unknown[] }[] } }[] } };
    short.chart.result[0]?.indicators.quote[0]?.close.pop();
    const e = await failure(createYahooProvider({ fetch: recordedFetch({ status: 200, body: short }).fetch }).fetchBars(day));
    expect([e.code, e.message]).toEqual(["PROVIDER_BAD_RESPONSE", "Yahoo sent 4 timestamps but 3 close values"]);

    const typed = structuredClone(fixture("yahoo-day.json").body) as { chart: { result: { timestamp: unknown[] }[] } };
    if (typed.chart.result[0]) typed.chart.result[0].timestamp[1] = "2025-01-07";
    const e2 = await failure(createYahooProvider({ fetch: recordedFetch({ status: 200, body: typed }).fetch }).fetchBars(day));
    expect(e2.message).toContain("Yahoo sent a response Bullpen cannot read: chart.result.0.timestamp.1:");
  });

  it("refuses a bar outside the calendar that the provider sent anyway", async () => {
    const body = structuredClone(fixture("yahoo-day.json").body) as { chart: { result: { timestamp: number[] }[] } };
    if (body.chart.result[0]) body.chart.result[0].timestamp[0] = Date.parse("2023-12-29T14:30:00Z") / 1000;
    const e = await failure(createYahooProvider({ fetch: recordedFetch({ status: 200, body }).fetch }).fetchBars(day));
    expect([e.code, e.message.startsWith("Yahoo sent a bar Bullpen cannot place: 2023-12-29 is outside the NYSE calendar")]).toEqual([
      "PROVIDER_BAD_RESPONSE",
      true,
    ]);
  });

  it("reports a network failure as UNREACHABLE", async () => {
    const e = await failure(createYahooProvider({ fetch: unreachableFetch }).fetchBars(day));
    expect(e.code).toBe("PROVIDER_UNREACHABLE");
  });
});
