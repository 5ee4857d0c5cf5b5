import { describe, expect, it } from "vitest";
import { createPolygonOptionProvider } from "./polygon-options";
import { failure, fixture, recordedFetch, routedFetch, unreachableFetch, type Recorded } from "@/tests/support/recorded-fetch";

const KEY = "pk_test_Op7Rq2Wm9Xc4Lz1N";
const noStrikes = { underlying: "AAPL", asOf: "2025-06-02", expiryFrom: "2025-06-20", expiryTo: "2025-07-18" };
const chain = { ...noStrikes, strikeFrom: 195, strikeTo: 200 };
const at = new Date("2025-06-02T19:59:00Z");

/** Routes each quote request to the fixture recorded for its contract. */
const QUOTE_FIXTURES: Record<string, string> = {
  "O:AAPL250620C00200000": "polygon-option-quote.json",
  "O:AAPL250620P00200000": "polygon-option-quote-crossed.json",
  "O:AAPL250718C00200000": "polygon-option-quote-zero-ask.json",
  "O:AAPL250620C00195000": "polygon-option-quote-empty.json",
  "O:AAPL250718P00195000": "polygon-option-quote-future.json",
};
const byContract = (url: URL): string => {
  const name = QUOTE_FIXTURES[url.pathname.replace("/v3/quotes/", "")];
  if (!name) throw new Error(`no fixture for ${url.pathname}`);
  return name;
};

describe("Polygon option contracts", () => {
  it("asks for the chain as of a day with expiry and strike bounds, the key in a header and never in the URL", async () => {
    const { fetch, seen } = recordedFetch("polygon-option-contracts-page1.json", "polygon-option-contracts-page2.json");
    await createPolygonOptionProvider({ apiKey: KEY, fetch }).listContracts(chain);
    expect(seen[0]?.url).toBe(
      "https://api.massive.com/v3/reference/options/contracts?underlying_ticker=AAPL&as_of=2025-06-02&expiration_date.gte=2025-06-20" +
        "&expiration_date.lte=2025-07-18&strike_price.gte=195&strike_price.lte=200&order=asc&limit=1000&sort=expiration_date",
    );
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    for (const s of seen) expect(s.url).not.toContain(KEY);
  });

  it("leaves the strike bounds out when none are asked for, and uses the configured base URL", async () => {
    const { fetch, seen } = recordedFetch("polygon-option-contracts-page2.json");
    await createPolygonOptionProvider({ apiKey: KEY, fetch, baseUrl: "https://proxy.example/polygon/" }).listContracts(noStrikes);
    expect(seen[0]?.url).toBe(
      "https://proxy.example/polygon/v3/reference/options/contracts?underlying_ticker=AAPL&as_of=2025-06-02" +
        "&expiration_date.gte=2025-06-20&expiration_date.lte=2025-07-18&order=asc&limit=1000&sort=expiration_date",
    );
  });

  it("follows next_url on its own base URL, with the key, so the key never goes to the host next_url names", async () => {
    const { fetch, seen } = recordedFetch("polygon-option-contracts-page1.json", "polygon-option-contracts-page2.json");
    await createPolygonOptionProvider({ apiKey: KEY, fetch }).listContracts(chain);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.url).toBe(
      "https://api.massive.com/v3/reference/options/contracts?cursor=YXA9JTdCJTIySUQlMjIlM0ElMjI0MTI2ODc3NzclMjIlN0QmYXNfb2Y9MjAyNS0wNi0wMiZsaW1pdD01JnNvcnQ9ZXhwaXJhdGlvbl9kYXRl",
    );
    expect(seen[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("keeps the standard contracts of both pages (not AAPL1, not 10 shares, not type other), ordered by expiry, strike, right", async () => {
    const { fetch } = recordedFetch("polygon-option-contracts-page1.json", "polygon-option-contracts-page2.json");
    const contracts = await createPolygonOptionProvider({ apiKey: KEY, fetch }).listContracts(chain);
    expect(contracts.map((c) => c.symbol)).toEqual([
      "AAPL250620C00195000",
      "AAPL250620P00195000",
      "AAPL250620C00200000",
      "AAPL250620P00200000",
      "AAPL250718P00195000",
      "AAPL250718C00200000",
    ]);
    expect(contracts[1]).toEqual({ symbol: "AAPL250620P00195000", underlying: "AAPL", expiry: "2025-06-20", right: "put", strike: 195 });
  });

  it("skips a contract whose ticker disagrees with its own fields, or lies outside the bounds asked for", async () => {
    const body = structuredClone(fixture("polygon-option-contracts-page2.json").body) as { results: Record<string, unknown>[] };
    body.results[0] = { ...body.results[0], strike_price: 205 }; // ticker says 200
    body.results[1] = { ...body.results[1], expiration_date: "2025-07-25", ticker: "O:AAPL250725P00195000" }; // after expiryTo
    const { fetch } = recordedFetch({ status: 200, body });
    const contracts = await createPolygonOptionProvider({ apiKey: KEY, fetch }).listContracts(chain);
    expect(contracts.map((c) => c.symbol)).toEqual(["AAPL250620P00195000"]);
  });

  it("returns no contracts when Polygon has none (200 without results)", async () => {
    const { fetch } = recordedFetch({ status: 200, body: { status: "OK", request_id: "x" } });
    expect(await createPolygonOptionProvider({ apiKey: KEY, fetch }).listContracts(chain)).toEqual([]);
  });
});

describe("Polygon option quotes", () => {
  it("asks for the latest quote at or before `at` within four days, in nanoseconds, per contract", async () => {
    const { fetch, seen } = recordedFetch("polygon-option-quote.json");
    await createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols: ["AAPL250620C00200000"], at });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(
      "https://api.massive.com/v3/quotes/O:AAPL250620C00200000?timestamp.lte=1748894340000000000&timestamp.gte=1748548740000000000" +
        "&order=desc&sort=timestamp&limit=1",
    );
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.url).not.toContain(KEY);
  });

  it("returns the quote stamped with its own SIP time (to the millisecond), and does not follow next_url", async () => {
    const { fetch, seen } = recordedFetch("polygon-option-quote.json");
    const quotes = await createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols: ["AAPL250620C00200000"], at });
    expect(quotes).toEqual([{ symbol: "AAPL250620C00200000", at: new Date("2025-06-02T19:58:59.123Z"), bid: 5.05, ask: 5.15 }]);
    expect(seen).toHaveLength(1);
  });

  it("skips a crossed market, a zero ask and a contract without a quote, keeping the rest in the order asked", async () => {
    const { fetch, seen } = routedFetch(byContract);
    const symbols = ["AAPL250620P00200000", "AAPL250718C00200000", "AAPL250620C00200000", "AAPL250620C00195000"];
    const quotes = await createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols, at });
    expect(quotes.map((q) => q.symbol)).toEqual(["AAPL250620C00200000"]);
    expect(seen.map((s) => new URL(s.url).pathname).sort()).toEqual(symbols.map((s) => `/v3/quotes/O:${s}`).sort());
  });

  it("asks once per distinct contract, at most 8 at a time", async () => {
    const symbols = Array.from({ length: 20 }, (_, i) => `AAPL250620C00${String(150 + i).padStart(3, "0")}000`);
    const { fetch, seen, maxInFlight } = routedFetch(() => "polygon-option-quote-empty.json");
    await createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols: [...symbols, symbols[0] as string], at });
    expect(seen).toHaveLength(20);
    expect(maxInFlight()).toBe(8);
  });

  it("starts no new request once one has failed", async () => {
    const symbols = Array.from({ length: 20 }, (_, i) => `AAPL250620C00${String(150 + i).padStart(3, "0")}000`);
    const { fetch, seen } = routedFetch((url) => (url.pathname.endsWith(symbols[0] as string) ? "polygon-429.json" : "polygon-option-quote-empty.json"));
    const e = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols, at }));
    expect(e.code).toBe("PROVIDER_RATE_LIMIT");
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the requests already open finish
    expect(seen).toHaveLength(8);
  });

  it("refuses a quote stamped after `at`: a provider must not leak the future", async () => {
    const { fetch } = recordedFetch("polygon-option-quote-future.json");
    const e = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch }).quotesAt({ symbols: ["AAPL250718P00195000"], at }));
    expect(e.code).toBe("PROVIDER_BAD_RESPONSE");
    expect(e.message).toBe("Polygon sent a quote for AAPL250718P00195000 stamped 2025-06-02T19:59:00.250Z, after the 2025-06-02T19:59:00.000Z asked for");
  });

  it("refuses symbols that are not OCC symbols (a Polygon O: prefix too) and an invalid `at`, before the network", async () => {
    const { fetch, seen } = recordedFetch();
    const p = createPolygonOptionProvider({ apiKey: KEY, fetch });
    const prefixed = await failure(p.quotesAt({ symbols: ["O:AAPL250620C00200000"], at }));
    expect([prefixed.code, prefixed.message]).toEqual([
      "PROVIDER_BAD_REQUEST",
      '"O:AAPL250620C00200000" is not an OCC option symbol (e.g. "AAPL250620C00200000", no "O:" prefix)',
    ]);
    expect((await failure(p.quotesAt({ symbols: ["AAPL250620C00200000"], at: new Date("nope") }))).code).toBe("PROVIDER_BAD_REQUEST");
    expect(await p.quotesAt({ symbols: [], at })).toEqual([]);
    expect(seen).toHaveLength(0);
  });
});

describe("Polygon option failures", () => {
  it.each([
    ["polygon-401.json", "PROVIDER_AUTH", 'Polygon returned 401: check POLYGON_API_KEY (Polygon says: "Unknown API Key")'],
    ["polygon-403.json", "PROVIDER_AUTH", 'Polygon returned 403: check POLYGON_API_KEY (Polygon says: "You are not entitled to this data.'],
    ["polygon-429.json", "PROVIDER_RATE_LIMIT", "Polygon returned 429: too many requests, try again in a minute"],
  ])("%s → %s, for contracts and for quotes", async (name, code, message) => {
    const p = createPolygonOptionProvider({ apiKey: KEY, fetch: recordedFetch(name, name).fetch });
    for (const e of [await failure(p.listContracts(chain)), await failure(p.quotesAt({ symbols: ["AAPL250620C00200000"], at }))]) {
      expect([e.code, e.provider, e.status, e.message.startsWith(message)]).toEqual([code, "polygon", fixture(name).status, true]);
    }
  });

  it("scrubs the key from a body or a network error that quotes it", async () => {
    const echo: Recorded = { status: 401, body: { status: "ERROR", request_id: "x", error: `key ${KEY} is not valid` } };
    const e = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch: recordedFetch(echo).fetch }).listContracts(chain));
    expect(e.message).toBe('Polygon returned 401: check POLYGON_API_KEY (Polygon says: "key [redacted] is not valid")');
    const leaky = async (url: string) => {
      throw new TypeError(`fetch failed for ${url}`, { cause: new Error(`socket hang up Bearer ${KEY}`) });
    };
    const n = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch: leaky }).quotesAt({ symbols: ["AAPL250620C00200000"], at }));
    expect(n.code).toBe("PROVIDER_UNREACHABLE");
    expect(n.message).toContain("socket hang up Bearer [redacted]");
    expect(n.message).not.toContain(KEY);
  });

  it("names the field that was wrong in a malformed contracts page or quote", async () => {
    const page = structuredClone(fixture("polygon-option-contracts-page1.json").body) as { results: Record<string, unknown>[] };
    page.results[2] = { ...page.results[2], strike_price: "197.5" };
    const e = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch: recordedFetch({ status: 200, body: page }).fetch }).listContracts(chain));
    expect([e.code, e.message.startsWith("Polygon sent a response Bullpen cannot read: results.2.strike_price:")]).toEqual(["PROVIDER_BAD_RESPONSE", true]);

    const quote = structuredClone(fixture("polygon-option-quote.json").body) as { results: Record<string, unknown>[] };
    quote.results[0] = { ...quote.results[0], sip_timestamp: "1748894339123456789" };
    const q = await failure(
      createPolygonOptionProvider({ apiKey: KEY, fetch: recordedFetch({ status: 200, body: quote }).fetch }).quotesAt({ symbols: ["AAPL250620C00200000"], at }),
    );
    expect([q.code, q.message.startsWith("Polygon sent a response Bullpen cannot read: results.0.sip_timestamp:")]).toEqual(["PROVIDER_BAD_RESPONSE", true]);
  });

  it("stops a contracts pagination loop, and refuses a bad request before the network", async () => {
    const page = fixture("polygon-option-contracts-page1.json");
    const looped = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch: recordedFetch(page, page).fetch }).listContracts(chain));
    expect(looped.message).toBe("Polygon sent the same next_url twice");

    const { fetch, seen } = recordedFetch();
    const p = createPolygonOptionProvider({ apiKey: KEY, fetch });
    const cases: [object, string][] = [
      [{ underlying: "BRK.B" }, '"BRK.B" cannot be an option root: 1–6 upper-case letters or digits (e.g. "AAPL")'],
      [{ asOf: "2025-02-30" }, 'asOf must be a date "YYYY-MM-DD", not "2025-02-30"'],
      [{ expiryFrom: "2025-08-01" }, "expiryFrom (2025-08-01) is after expiryTo (2025-07-18)"],
      [{ strikeFrom: 0 }, "strikeFrom must be a dollar amount above 0, not 0"],
      [{ strikeFrom: 210 }, "strikeFrom (210) is above strikeTo (200)"],
    ];
    for (const [change, message] of cases) {
      const e = await failure(p.listContracts({ ...chain, ...change }));
      expect([e.code, e.message]).toEqual(["PROVIDER_BAD_REQUEST", message]);
    }
    expect(seen).toHaveLength(0);
  });

  it("refuses to be built without a key, and reports the network being down as UNREACHABLE", async () => {
    expect(() => createPolygonOptionProvider({ apiKey: "" })).toThrow("Polygon needs an API key: set POLYGON_API_KEY");
    const e = await failure(createPolygonOptionProvider({ apiKey: KEY, fetch: unreachableFetch }).listContracts(chain));
    expect(e.code).toBe("PROVIDER_UNREACHABLE");
  });
});
