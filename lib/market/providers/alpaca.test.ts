import { describe, expect, it } from "vitest";
import { createAlpacaProvider } from "./alpaca";
import { failure, fixture, recordedFetch, unreachableFetch } from "@/tests/support/recorded-fetch";

const KEY_ID = "PKTEST4N2XQ7LZ0R9WJD";
const SECRET = "s3cr3tQ9vBz1Hk5Tn8Wm2Yp4Rc6Xe0Ga";
const keys = { keyId: KEY_ID, secretKey: SECRET };
const day = { symbol: "AAPL", interval: "day" as const, from: new Date("2025-01-06T14:30:00Z"), to: new Date("2025-01-10T21:00:00Z") };
const hour = { symbol: "AAPL", interval: "hour" as const, from: new Date("2025-07-01T12:00:00Z"), to: new Date("2025-07-01T21:00:00Z") };

describe("Alpaca requests", () => {
  it("builds the bars URL with timeframe, bounds, limit, adjustment and feed, and sends both keys as headers", async () => {
    const { fetch, seen } = recordedFetch("alpaca-day.json");
    await createAlpacaProvider({ ...keys, fetch }).fetchBars(day);
    expect(seen).toHaveLength(1);
    // A day request starts at New York midnight (05:00Z in January), where Alpaca stamps day bars.
    expect(seen[0]?.url).toBe(
      "https://data.alpaca.markets/v2/stocks/AAPL/bars?timeframe=1Day&start=2025-01-06T05%3A00%3A00.000Z&end=2025-01-10T21%3A00%3A00.000Z&limit=10000&adjustment=split&feed=iex",
    );
    expect(seen[0]?.headers["apca-api-key-id"]).toBe(KEY_ID);
    expect(seen[0]?.headers["apca-api-secret-key"]).toBe(SECRET);
    expect(seen[0]?.url).not.toContain(KEY_ID);
    expect(seen[0]?.url).not.toContain(SECRET);
  });

  it("uses 1Hour / 1Min with the request's own bounds, and the configured feed, adjustment and base URL", async () => {
    const { fetch, seen } = recordedFetch({ status: 200, body: { bars: null, next_page_token: null, symbol: "AAPL" } }, "alpaca-hour-page2.json");
    const p = createAlpacaProvider({ ...keys, fetch, feed: "sip", adjustment: "raw", baseUrl: "https://data.sandbox.alpaca.markets/" });
    await p.fetchBars({ ...hour, interval: "minute" });
    await p.fetchBars(hour);
    const query = (i: number) => Object.fromEntries(new URL(seen[i]?.url ?? "").searchParams);
    expect(seen[0]?.url.startsWith("https://data.sandbox.alpaca.markets/v2/stocks/AAPL/bars?")).toBe(true);
    expect(query(0)).toEqual({
      timeframe: "1Min",
      start: "2025-07-01T12:00:00.000Z",
      end: "2025-07-01T21:00:00.000Z",
      limit: "10000",
      adjustment: "raw",
      feed: "sip",
    });
    expect(query(1).timeframe).toBe("1Hour");
  });

  it("follows next_page_token with the same query plus page_token", async () => {
    const { fetch, seen } = recordedFetch("alpaca-hour-page1.json", "alpaca-hour-page2.json");
    await createAlpacaProvider({ ...keys, fetch }).fetchBars(hour);
    expect(seen).toHaveLength(2);
    const first = new URL(seen[0]?.url ?? "");
    const second = new URL(seen[1]?.url ?? "");
    expect(second.pathname).toBe(first.pathname);
    expect(second.searchParams.get("page_token")).toBe("QUFQTHxIfDIwMjUtMDctMDFUMTU6MDA6MDAuMDAwMDAwMDAwWg==");
    second.searchParams.delete("page_token");
    expect(second.search).toBe(first.search);
  });
});

describe("Alpaca responses", () => {
  it("turns day bars (RFC 3339, New York midnight) into bars starting at the 09:30 open", async () => {
    const { fetch } = recordedFetch("alpaca-day.json");
    const bars = await createAlpacaProvider({ ...keys, fetch }).fetchBars(day);
    expect(bars.map((b) => b.start.toISOString())).toEqual([
      "2025-01-06T14:30:00.000Z",
      "2025-01-07T14:30:00.000Z",
      "2025-01-08T14:30:00.000Z",
      "2025-01-10T14:30:00.000Z",
    ]);
    expect(bars[3]).toEqual({
      symbol: "AAPL",
      interval: "day",
      start: new Date("2025-01-10T14:30:00Z"),
      open: 240.03,
      high: 240.16,
      low: 233,
      close: 236.86,
      volume: 1090213,
      source: "alpaca",
      derived: false,
    });
  });

  it("concatenates pages in order, keeping 10:00 … 12:00 New York (EDT) and dropping 09:00 and after-hours", async () => {
    const { fetch } = recordedFetch("alpaca-hour-page1.json", "alpaca-hour-page2.json");
    const bars = await createAlpacaProvider({ ...keys, fetch }).fetchBars(hour);
    expect(bars.map((b) => [b.start.toISOString(), b.open])).toEqual([
      ["2025-07-01T14:00:00.000Z", 206.67],
      ["2025-07-01T15:00:00.000Z", 208.42],
      ["2025-07-01T16:00:00.000Z", 209.54],
    ]);
  });

  it("reads `bars: null` (nothing in the range) as no bars", async () => {
    const { fetch } = recordedFetch({ status: 200, body: { bars: null, next_page_token: null, symbol: "AAPL" } });
    expect(await createAlpacaProvider({ ...keys, fetch }).fetchBars(day)).toEqual([]);
  });
});

describe("Alpaca failures", () => {
  it.each([
    ["alpaca-401.json", "PROVIDER_AUTH", "Alpaca returned 401: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY"],
    ["alpaca-403.json", "PROVIDER_AUTH", "Alpaca returned 403: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY"],
    ["alpaca-422.json", "PROVIDER_BAD_REQUEST", 'Alpaca returned 422: it refused the request for AAPL (Alpaca says: "invalid start: must be before end")'],
    ["alpaca-429.json", "PROVIDER_RATE_LIMIT", "Alpaca returned 429: too many requests, try again in 30 s"],
  ])("%s → %s", async (name, code, message) => {
    const { fetch } = recordedFetch(name);
    const e = await failure(createAlpacaProvider({ ...keys, fetch }).fetchBars(day));
    expect([e.code, e.provider, e.status]).toEqual([code, "alpaca", fixture(name).status]);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it("passes on why Alpaca refused (a SIP feed without the subscription), and the Retry-After of a 429", async () => {
    const forbidden = await failure(createAlpacaProvider({ ...keys, fetch: recordedFetch("alpaca-403.json").fetch }).fetchBars(day));
    expect(forbidden.message).toContain('(Alpaca says: "subscription does not permit querying recent SIP data")');
    const limited = await failure(createAlpacaProvider({ ...keys, fetch: recordedFetch("alpaca-429.json").fetch }).fetchBars(day));
    expect([limited.retryAfterSeconds, limited.action]).toEqual([30, "retry"]);
  });

  it("names the field that was wrong in a malformed body", async () => {
    const body = structuredClone(fixture("alpaca-day.json").body) as { bars: Record<string, unknown>[] };
    body.bars[2] = { ...body.bars[2], t: "yesterday" };
    const { fetch } = recordedFetch({ status: 200, body });
    const e = await failure(createAlpacaProvider({ ...keys, fetch }).fetchBars(day));
    expect(e.code).toBe("PROVIDER_BAD_RESPONSE");
    expect(e.message).toContain("Alpaca sent a response Bullpen cannot read: bars.2.t:");
  });

  it("stops when the same page token comes back", async () => {
    const page = fixture("alpaca-hour-page1.json");
    const e = await failure(createAlpacaProvider({ ...keys, fetch: recordedFetch(page, page).fetch }).fetchBars(hour));
    expect([e.code, e.message]).toEqual(["PROVIDER_BAD_RESPONSE", "Alpaca sent the same next_page_token twice"]);
  });

  it("reports a network failure as UNREACHABLE and refuses to be built without both keys", async () => {
    const e = await failure(createAlpacaProvider({ ...keys, fetch: unreachableFetch }).fetchBars(day));
    expect([e.code, e.action]).toEqual(["PROVIDER_UNREACHABLE", "retry"]);
    expect(e.message.startsWith("Alpaca could not be reached (fetch failed: getaddrinfo ENOTFOUND")).toBe(true);
    expect(() => createAlpacaProvider({ keyId: KEY_ID, secretKey: "" })).toThrow(
      "Alpaca needs a key id and a secret key: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY",
    );
  });
});
