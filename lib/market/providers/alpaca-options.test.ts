import { describe, expect, it } from "vitest";
import { createAlpacaOptionProvider } from "./alpaca-options";
import { failure, fixture, recordedFetch, unreachableFetch, type Recorded } from "@/tests/support/recorded-fetch";

const KEY_ID = "PKTEST8M3QZ5XV1R7LBC";
const SECRET = "s3cr3tOpt7Hk2Tn9Wm4Yp6Rc1Xe8Ga0Jd";
const keys = { keyId: KEY_ID, secretKey: SECRET };
const noStrikes = { underlying: "AAPL", asOf: "2025-06-02", expiryFrom: "2025-06-20", expiryTo: "2025-07-18" };
const chain = { ...noStrikes, strikeFrom: 195, strikeTo: 200 };
const at = new Date("2025-06-02T19:59:00Z");
const SYMBOLS = ["AAPL250620C00200000", "AAPL250620P00200000", "AAPL250718C00200000", "AAPL250718P00195000", "AAPL250620P00195000", "AAPL250620C00195000"];
const empty: Recorded = { status: 200, body: { snapshots: {}, next_page_token: null } };

describe("Alpaca option chain", () => {
  it("asks for the underlying's chain with feed, limit and bounds, and sends both keys as headers, never in the URL", async () => {
    const { fetch, seen } = recordedFetch("alpaca-option-chain-page1.json", "alpaca-option-chain-page2.json");
    await createAlpacaOptionProvider({ ...keys, fetch }).listContracts(chain);
    expect(seen[0]?.url).toBe(
      "https://data.alpaca.markets/v1beta1/options/snapshots/AAPL?feed=indicative&limit=1000&expiration_date_gte=2025-06-20" +
        "&expiration_date_lte=2025-07-18&strike_price_gte=195&strike_price_lte=200",
    );
    expect([seen[0]?.headers["apca-api-key-id"], seen[0]?.headers["apca-api-secret-key"]]).toEqual([KEY_ID, SECRET]);
    for (const s of seen) expect([s.url.includes(KEY_ID), s.url.includes(SECRET)]).toEqual([false, false]);
  });

  it("follows next_page_token with the same query plus page_token; the opra feed, base URL and no strikes as configured", async () => {
    const { fetch, seen } = recordedFetch("alpaca-option-chain-page1.json", "alpaca-option-chain-page2.json");
    await createAlpacaOptionProvider({ ...keys, fetch, feed: "opra", baseUrl: "https://data.sandbox.alpaca.markets/" }).listContracts(noStrikes);
    expect(seen).toHaveLength(2);
    const [first, second] = seen.map((s) => new URL(s.url));
    expect(`${first?.origin}${first?.pathname}`).toBe("https://data.sandbox.alpaca.markets/v1beta1/options/snapshots/AAPL");
    expect(Object.fromEntries(first?.searchParams ?? [])).toEqual({
      feed: "opra",
      limit: "1000",
      expiration_date_gte: "2025-06-20",
      expiration_date_lte: "2025-07-18",
    });
    expect(second?.searchParams.get("page_token")).toBe("QUFQTDI1MDYyMFAwMDIwMDAwMA==");
    second?.searchParams.delete("page_token");
    expect(second?.search).toBe(first?.search);
  });

  it("lists the contracts of both pages from the snapshots' keys, without the adjusted AAPL1 contract, in order", async () => {
    const { fetch } = recordedFetch("alpaca-option-chain-page1.json", "alpaca-option-chain-page2.json");
    const contracts = await createAlpacaOptionProvider({ ...keys, fetch }).listContracts(chain);
    expect(contracts).toEqual([
      { symbol: "AAPL250620C00200000", underlying: "AAPL", expiry: "2025-06-20", right: "call", strike: 200 },
      { symbol: "AAPL250620P00200000", underlying: "AAPL", expiry: "2025-06-20", right: "put", strike: 200 },
      { symbol: "AAPL250718P00195000", underlying: "AAPL", expiry: "2025-07-18", right: "put", strike: 195 },
      { symbol: "AAPL250718C00200000", underlying: "AAPL", expiry: "2025-07-18", right: "call", strike: 200 },
    ]);
  });

  it("serves only the current chain: an asOf before the New York date of its newest quote is refused", async () => {
    const later = await createAlpacaOptionProvider({ ...keys, fetch: recordedFetch("alpaca-option-chain-page1.json", "alpaca-option-chain-page2.json").fetch })
      .listContracts({ ...chain, asOf: "2025-06-03" });
    expect(later).toHaveLength(4); // a quiet day after the last quote (a weekend, a holiday) is still today's chain
    const e = await failure(
      createAlpacaOptionProvider({ ...keys, fetch: recordedFetch("alpaca-option-chain-page1.json", "alpaca-option-chain-page2.json").fetch }).listContracts({
        ...chain,
        asOf: "2025-05-30",
      }),
    );
    expect([e.code, e.message]).toEqual([
      "PROVIDER_BAD_REQUEST",
      "Alpaca lists only the current option chain (quoted on 2025-06-02), not the chain of 2025-05-30: use Polygon for past chains",
    ]);
  });

  it("dates the chain in New York: quotes at 00:30Z on June 3 are still June 2's session", async () => {
    const body = structuredClone(fixture("alpaca-option-chain-page2.json").body) as { snapshots: Record<string, { latestQuote?: { t: string } }> };
    const quote = body.snapshots.AAPL250718C00200000?.latestQuote;
    if (quote) quote.t = "2025-06-03T00:30:00Z";
    const contracts = await createAlpacaOptionProvider({ ...keys, fetch: recordedFetch({ status: 200, body }).fetch }).listContracts(chain);
    expect(contracts.map((c) => c.symbol)).toEqual(["AAPL250718P00195000", "AAPL250718C00200000"]);
  });

  it("reads `snapshots: null` as an empty chain", async () => {
    const { fetch } = recordedFetch({ status: 200, body: { snapshots: null, next_page_token: null } });
    expect(await createAlpacaOptionProvider({ ...keys, fetch }).listContracts(chain)).toEqual([]);
  });
});

describe("Alpaca option quotes", () => {
  it("asks for the snapshots of the contracts, comma-separated, with the feed", async () => {
    const { fetch, seen } = recordedFetch("alpaca-option-snapshots.json");
    await createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: SYMBOLS, at });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`https://data.alpaca.markets/v1beta1/options/snapshots?symbols=${SYMBOLS.join("%2C")}&feed=indicative`);
    expect(seen[0]?.headers["apca-api-secret-key"]).toBe(SECRET);
  });

  it("keeps latest quotes at or before `at` (to the nanosecond) that are not crossed and have an offer, stamped with their own time", async () => {
    const { fetch } = recordedFetch("alpaca-option-snapshots.json");
    const quotes = await createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: SYMBOLS, at });
    expect(quotes).toEqual([
      { symbol: "AAPL250620C00200000", at: new Date("2025-06-02T19:58:59.123Z"), bid: 5.05, ask: 5.15 },
      { symbol: "AAPL250620P00195000", at: new Date("2025-06-02T19:59:00.000Z"), bid: 1.9, ask: 2 },
    ]);
  });

  it("ignores a snapshot Alpaca sends for a contract not asked for", async () => {
    const { fetch } = recordedFetch("alpaca-option-snapshots.json");
    const quotes = await createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: ["AAPL250620P00195000"], at });
    expect(quotes.map((q) => q.symbol)).toEqual(["AAPL250620P00195000"]);
  });

  it("asks for at most 100 contracts at a time, each distinct contract once", async () => {
    const symbols = Array.from({ length: 150 }, (_, i) => `AAPL250620C00${String(100 + i).padStart(3, "0")}000`);
    const { fetch, seen } = recordedFetch(empty, empty);
    await createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: [...symbols, ...symbols.slice(0, 10)], at });
    const asked = seen.map((s) => new URL(s.url).searchParams.get("symbols")?.split(","));
    expect(asked.map((a) => a?.length)).toEqual([100, 50]);
    expect(asked.flat()).toEqual(symbols);
  });

  it("follows next_page_token within one batch of contracts", async () => {
    const page1 = structuredClone(fixture("alpaca-option-snapshots.json"));
    (page1.body as { next_page_token: string | null }).next_page_token = "QUFQTDI1MDYyMFAwMDE5NTAwMA==";
    const { fetch, seen } = recordedFetch(page1, empty);
    const quotes = await createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: SYMBOLS, at });
    expect(seen).toHaveLength(2);
    expect(new URL(seen[1]?.url ?? "").searchParams.get("page_token")).toBe("QUFQTDI1MDYyMFAwMDE5NTAwMA==");
    expect(quotes).toHaveLength(2);
  });

  it("refuses non-OCC symbols before the network", async () => {
    const { fetch, seen } = recordedFetch();
    const e = await failure(createAlpacaOptionProvider({ ...keys, fetch }).quotesAt({ symbols: ["AAPL"], at }));
    expect([e.code, e.message]).toEqual(["PROVIDER_BAD_REQUEST", '"AAPL" is not an OCC option symbol (e.g. "AAPL250620C00200000", no "O:" prefix)']);
    expect(seen).toHaveLength(0);
  });
});

describe("Alpaca option failures", () => {
  it.each([
    ["alpaca-401.json", "PROVIDER_AUTH", "Alpaca returned 401: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, and that your plan covers the feed"],
    ["alpaca-403.json", "PROVIDER_AUTH", "Alpaca returned 403: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, and that your plan covers the feed"],
    ["alpaca-429.json", "PROVIDER_RATE_LIMIT", "Alpaca returned 429: too many requests, try again in 30 s"],
  ])("%s → %s, for the chain and for quotes", async (name, code, message) => {
    const p = createAlpacaOptionProvider({ ...keys, fetch: recordedFetch(name, name).fetch });
    for (const e of [await failure(p.listContracts(chain)), await failure(p.quotesAt({ symbols: SYMBOLS, at }))]) {
      expect([e.code, e.provider, e.status, e.message.startsWith(message)]).toEqual([code, "alpaca", fixture(name).status, true]);
    }
  });

  it("scrubs both keys from a body that quotes them", async () => {
    const echo: Recorded = { status: 403, body: { message: `keys ${KEY_ID}/${SECRET} lack options data` } };
    const e = await failure(createAlpacaOptionProvider({ ...keys, fetch: recordedFetch(echo).fetch }).quotesAt({ symbols: SYMBOLS, at }));
    expect(e.message).toBe(
      'Alpaca returned 403: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, and that your plan covers the feed (Alpaca says: "keys [redacted]/[redacted] lack options data")',
    );
  });

  it("names the field that was wrong in a malformed snapshot", async () => {
    const body = structuredClone(fixture("alpaca-option-snapshots.json").body) as { snapshots: Record<string, { latestQuote: Record<string, unknown> }> };
    const snap = body.snapshots.AAPL250620C00200000;
    if (snap) snap.latestQuote = { ...snap.latestQuote, bp: "5.05" };
    const e = await failure(createAlpacaOptionProvider({ ...keys, fetch: recordedFetch({ status: 200, body }).fetch }).quotesAt({ symbols: SYMBOLS, at }));
    expect([e.code, e.message.startsWith("Alpaca sent a response Bullpen cannot read: snapshots.AAPL250620C00200000.latestQuote.bp:")]).toEqual([
      "PROVIDER_BAD_RESPONSE",
      true,
    ]);
  });

  it("stops a repeated page token, and refuses to be built without both keys", async () => {
    const page = fixture("alpaca-option-chain-page1.json");
    const e = await failure(createAlpacaOptionProvider({ ...keys, fetch: recordedFetch(page, page).fetch }).listContracts(chain));
    expect(e.message).toBe("Alpaca sent the same next_page_token twice");
    expect(() => createAlpacaOptionProvider({ keyId: KEY_ID, secretKey: " " })).toThrow(
      "Alpaca needs a key id and a secret key: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY",
    );
    const down = await failure(createAlpacaOptionProvider({ ...keys, fetch: unreachableFetch }).quotesAt({ symbols: SYMBOLS, at }));
    expect(down.code).toBe("PROVIDER_UNREACHABLE");
  });
});
