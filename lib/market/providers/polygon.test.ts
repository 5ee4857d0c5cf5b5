import { describe, expect, it } from "vitest";
import { createPolygonProvider } from "./polygon";
import { failure, fixture, recordedFetch, unreachableFetch } from "@/tests/support/recorded-fetch";

const KEY = "pk_test_8f3Kq2LmN7vX";
const day = { symbol: "AAPL", interval: "day" as const, from: new Date("2025-01-06T05:00:00Z"), to: new Date("2025-01-10T21:00:00Z") };
const minute = { symbol: "AAPL", interval: "minute" as const, from: new Date("2025-01-06T13:00:00Z"), to: new Date("2025-01-06T22:00:00Z") };

describe("Polygon requests", () => {
  it("asks for day bars by New York date, with the key in a header and never in the URL", async () => {
    const { fetch, seen } = recordedFetch("polygon-day.json");
    await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/2025-01-06/2025-01-10?adjusted=true&sort=asc&limit=50000");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.url).not.toContain(KEY);
  });

  it("asks for intraday bars by millisecond timestamps, at the configured base URL", async () => {
    const { fetch, seen } = recordedFetch("polygon-minute-page1.json", "polygon-minute-page2.json");
    await createPolygonProvider({ apiKey: KEY, fetch, baseUrl: "https://proxy.example/polygon/" }).fetchBars(minute);
    expect(seen[0]?.url).toBe(
      "https://proxy.example/polygon/v2/aggs/ticker/AAPL/range/1/minute/1736168400000/1736200800000?adjusted=true&sort=asc&limit=50000",
    );
  });

  it("follows next_url on its own base URL, so the key is never sent to the host next_url names", async () => {
    const { fetch, seen } = recordedFetch("polygon-minute-page1.json", "polygon-minute-page2.json");
    await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(minute);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.url).toBe(
      "https://api.massive.com/v2/aggs/ticker/AAPL/range/1/minute/1736173920000/1736200800000?cursor=YWRqdXN0ZWQ9dHJ1ZSZhcD0lN0IlMjJ2JTIyJTNBMCU3RCZsaW1pdD0zJnNvcnQ9YXNj",
    );
    expect(seen[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe("Polygon responses", () => {
  it("turns day aggregates (stamped at New York midnight) into bars starting at the 09:30 open", async () => {
    const { fetch } = recordedFetch("polygon-day.json");
    const bars = await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day);
    expect(bars.map((b) => b.start.toISOString())).toEqual([
      "2025-01-06T14:30:00.000Z",
      "2025-01-07T14:30:00.000Z",
      "2025-01-08T14:30:00.000Z",
      "2025-01-10T14:30:00.000Z",
    ]);
    expect(bars[0]).toEqual({
      symbol: "AAPL",
      interval: "day",
      start: new Date("2025-01-06T14:30:00Z"),
      open: 244.31,
      high: 247.33,
      low: 243.2,
      close: 245,
      volume: 45045571,
      source: "polygon",
      derived: false,
    });
  });

  it("concatenates pages in order and keeps regular-session minutes only", async () => {
    const { fetch } = recordedFetch("polygon-minute-page1.json", "polygon-minute-page2.json");
    const bars = await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(minute);
    expect(bars.map((b) => b.start.toISOString())).toEqual([
      "2025-01-06T14:30:00.000Z",
      "2025-01-06T14:31:00.000Z",
      "2025-01-06T14:32:00.000Z",
      "2025-01-06T14:33:00.000Z",
    ]);
    expect(bars.map((b) => b.close)).toEqual([244.52, 244.81, 245.02, 245.2]);
    expect(bars.every((b) => b.interval === "minute" && b.source === "polygon" && !b.derived)).toBe(true);
  });

  it("keeps Bullpen's hour starts (10:00 … 12:00 on an early-close day) and drops 09:00 and after-close hours", async () => {
    const { fetch } = recordedFetch("polygon-hour-early-close.json");
    const bars = await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars({
      symbol: "AAPL",
      interval: "hour",
      from: new Date("2025-07-03T04:00:00Z"),
      to: new Date("2025-07-04T03:59:59.999Z"),
    });
    expect(bars.map((b) => b.start.toISOString())).toEqual(["2025-07-03T14:00:00.000Z", "2025-07-03T15:00:00.000Z", "2025-07-03T16:00:00.000Z"]);
  });

  it("returns only bars whose start lies in [from, to]", async () => {
    const { fetch } = recordedFetch("polygon-day.json");
    const bars = await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars({ ...day, from: new Date("2025-01-07T15:00:00Z"), to: new Date("2025-01-08T14:30:00Z") });
    expect(bars.map((b) => b.start.toISOString())).toEqual(["2025-01-08T14:30:00.000Z"]);
  });

  it("returns no bars for a ticker Polygon has nothing for (200 without results)", async () => {
    const { fetch } = recordedFetch({ status: 200, body: { ticker: "ZZZZZ", queryCount: 0, resultsCount: 0, adjusted: true, status: "OK", request_id: "x" } });
    expect(await createPolygonProvider({ apiKey: KEY, fetch }).fetchBars({ ...day, symbol: "ZZZZZ" })).toEqual([]);
  });
});

describe("Polygon failures", () => {
  it.each([
    ["polygon-401.json", "PROVIDER_AUTH", 'Polygon returned 401: check POLYGON_API_KEY (Polygon says: "Unknown API Key")'],
    ["polygon-403.json", "PROVIDER_AUTH", "Polygon returned 403: check POLYGON_API_KEY (Polygon says: \"You are not entitled to this data."],
    ["polygon-429.json", "PROVIDER_RATE_LIMIT", "Polygon returned 429: too many requests, try again in a minute"],
  ])("%s → %s", async (name, code, message) => {
    const { fetch } = recordedFetch(name);
    const e = await failure(createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day));
    expect(e.code).toBe(code);
    expect(e.provider).toBe("polygon");
    expect(e.status).toBe(fixture(name).status);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it("maps 404 to NOT_FOUND, other 4xx to BAD_REQUEST and 5xx to UNREACHABLE (retry)", async () => {
    const cases = [
      [404, "PROVIDER_NOT_FOUND", "reject"],
      [400, "PROVIDER_BAD_REQUEST", "reject"],
      [502, "PROVIDER_UNREACHABLE", "retry"],
    ] as const;
    for (const [status, code, action] of cases) {
      const { fetch } = recordedFetch({ status, body: { status: "ERROR", request_id: "x", error: "something" } });
      const e = await failure(createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day));
      expect([e.code, e.action, e.message.startsWith(`Polygon returned ${status}`)]).toEqual([code, action, true]);
    }
  });

  it("names the field that was wrong in a malformed body", async () => {
    const body = structuredClone(fixture("polygon-day.json").body) as { results: Record<string, unknown>[] };
    body.results[1] = { ...body.results[1], o: "242.98" };
    const { fetch } = recordedFetch({ status: 200, body });
    const e = await failure(createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day));
    expect(e.code).toBe("PROVIDER_BAD_RESPONSE");
    expect(e.message).toContain("Polygon sent a response Bullpen cannot read: results.1.o:");
  });

  it("refuses a body that is not JSON, a status ERROR, and a day bar on a day the NYSE was closed", async () => {
    const weekend = structuredClone(fixture("polygon-day.json").body) as { results: { t: number }[] };
    weekend.results[3] = { ...weekend.results[3], t: Date.parse("2025-01-09T05:00:00Z") };
    const cases: [unknown, string][] = [
      ["<html>maintenance</html>", "Polygon sent a body that is not JSON"],
      [{ status: "ERROR", request_id: "x", error: "internal" }, "Polygon answered status ERROR: internal"],
      [weekend, "Polygon sent a day bar for 2025-01-09, which is not an NYSE trading day"],
    ];
    for (const [body, message] of cases) {
      const { fetch } = recordedFetch({ status: 200, body });
      const e = await failure(createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(day));
      expect([e.code, e.message.startsWith(message)]).toEqual(["PROVIDER_BAD_RESPONSE", true]);
    }
  });

  it("stops a pagination loop that never ends", async () => {
    const page = fixture("polygon-minute-page1.json");
    const { fetch } = recordedFetch(page, page);
    const e = await failure(createPolygonProvider({ apiKey: KEY, fetch }).fetchBars(minute));
    expect(e.message).toBe("Polygon sent the same next_url twice");
    const capped = recordedFetch(page);
    const e2 = await failure(createPolygonProvider({ apiKey: KEY, fetch: capped.fetch, maxPages: 1 }).fetchBars(minute));
    expect(e2.message).toBe("Polygon still had more pages after 1: ask for a shorter range");
  });

  it("reports a network failure or a timeout as UNREACHABLE", async () => {
    const e = await failure(createPolygonProvider({ apiKey: KEY, fetch: unreachableFetch }).fetchBars(day));
    expect(e.code).toBe("PROVIDER_UNREACHABLE");
    expect(e.message).toBe(
      "Polygon could not be reached (fetch failed: getaddrinfo ENOTFOUND api.example.invalid): check the network connection, or try again later",
    );
    const timeout = async () => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    };
    const t = await failure(createPolygonProvider({ apiKey: KEY, fetch: timeout, timeoutMs: 5000 }).fetchBars(day));
    expect(t.message).toBe("Polygon did not answer within 5 s: check the network connection, or try again later");
  });

  it("refuses to be built without a key, and refuses bad requests before calling the network", async () => {
    expect(() => createPolygonProvider({ apiKey: " " })).toThrow("Polygon needs an API key: set POLYGON_API_KEY");
    const { fetch, seen } = recordedFetch();
    const p = createPolygonProvider({ apiKey: KEY, fetch });
    expect((await failure(p.fetchBars({ ...day, from: day.to, to: day.from }))).code).toBe("PROVIDER_BAD_REQUEST");
    expect((await failure(p.fetchBars({ ...day, symbol: "AAPL/../x" }))).code).toBe("PROVIDER_BAD_REQUEST");
    expect(seen).toHaveLength(0);
  });
});
