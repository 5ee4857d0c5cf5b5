import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createOptionProvider, createProvider, isProviderError, ProviderError, type BarProvider, type FetchLike, type ProviderConfig } from "./index";
import { recordedFetch, type Recorded } from "@/tests/support/recorded-fetch";

const POLYGON_KEY = "pk_live_Zx81Lq0Wm3Ns7Rt5";
const ALPACA_ID = "AKLIVE7Q2M9X4T1B8V0C";
const ALPACA_SECRET = "sk_live_Hq3Jd8Pw1Ko6Ue9Yr2Ti5Az";
const SECRETS = [POLYGON_KEY, ALPACA_ID, ALPACA_SECRET];

const day = { symbol: "AAPL", interval: "day" as const, from: new Date("2025-01-06T14:30:00Z"), to: new Date("2025-01-10T21:00:00Z") };

function build(name: ProviderConfig["name"], fetch?: FetchLike): BarProvider {
  if (name === "polygon") return createProvider({ name, apiKey: POLYGON_KEY, fetch });
  if (name === "alpaca") return createProvider({ name, keyId: ALPACA_ID, secretKey: ALPACA_SECRET, fetch });
  return createProvider({ name, fetch });
}

/** The keys a provider holds: it can only scrub what it knows, and Yahoo holds none. */
const OWN: Record<ProviderConfig["name"], string> = { polygon: POLYGON_KEY, alpaca: `${ALPACA_ID}:${ALPACA_SECRET}`, yahoo: "(none)" };

/** A body that quotes the keys back, in every place the three providers put an error text. */
const echo = (name: ProviderConfig["name"], status: number): Recorded => {
  const text = `key ${OWN[name]} is not valid`;
  return { status, body: { status: "ERROR", message: text, chart: { result: null, error: { code: "Unauthorized", description: text } } } };
};

/** A fetch whose error quotes the URL, the headers and (in its cause) the key. */
const leakyThrow =
  (name: ProviderConfig["name"]): FetchLike =>
  async (url, init) => {
    throw new TypeError(`fetch failed for ${url} with ${JSON.stringify(init.headers)}`, { cause: new Error(`socket hang up ${OWN[name]}`) });
  };

const scenarios: [string, ProviderConfig["name"], () => FetchLike][] = [
  ...(["polygon-401.json", "polygon-403.json", "polygon-429.json"].map((f) => [f, "polygon", () => recordedFetch(f).fetch]) as [string, "polygon", () => FetchLike][]),
  ...(["alpaca-401.json", "alpaca-403.json", "alpaca-422.json", "alpaca-429.json"].map((f) => [f, "alpaca", () => recordedFetch(f).fetch]) as [string, "alpaca", () => FetchLike][]),
  ...(["yahoo-404.json", "yahoo-429.json"].map((f) => [f, "yahoo", () => recordedFetch(f).fetch]) as [string, "yahoo", () => FetchLike][]),
  ...(["polygon", "alpaca", "yahoo"] as const).flatMap((name): [string, ProviderConfig["name"], () => FetchLike][] => [
    [`${name}: 401 body echoing the keys`, name, () => recordedFetch(echo(name, 401)).fetch],
    [`${name}: 500 body echoing the keys`, name, () => recordedFetch(echo(name, 500)).fetch],
    [`${name}: 200 body echoing the keys`, name, () => recordedFetch(echo(name, 200)).fetch],
    [`${name}: fetch throws quoting the URL, headers and key`, name, () => leakyThrow(name)],
  ]),
];

describe("no key ever leaks into an error", () => {
  it.each(scenarios)("%s", async (_label, name, makeFetch) => {
    const e = await build(name, makeFetch())
      .fetchBars(day)
      .then(() => undefined, (err: unknown) => err);
    expect(isProviderError(e)).toBe(true);
    const views = [String(e), (e as Error).stack ?? "", JSON.stringify(e), inspect(e, { showHidden: true, depth: null })];
    for (const view of views) for (const secret of SECRETS) expect(view).not.toContain(secret);
  });

  it("keeps the message useful after scrubbing", async () => {
    const e = await build("alpaca", recordedFetch(echo("alpaca", 401)).fetch)
      .fetchBars(day)
      .then(() => undefined, (err: unknown) => err);
    expect((e as Error).message).toBe('Alpaca returned 401: check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, and that your plan covers the feed (Alpaca says: "key [redacted]:[redacted] is not valid")');
  });
});

describe("createProvider", () => {
  it("chooses the provider by name, with its intervals", () => {
    expect(build("polygon").name).toBe("polygon");
    expect(build("alpaca").intervals).toEqual(["day", "hour", "minute"]);
    expect(build("yahoo").intervals).toEqual(["day"]);
  });

  it("throws PROVIDER_AUTH, naming the variables to set, when a key is missing", () => {
    const missing = [
      [{ name: "polygon", apiKey: "" }, "Polygon needs an API key: set POLYGON_API_KEY"],
      [{ name: "alpaca", keyId: "", secretKey: "x" }, "Alpaca needs a key id and a secret key: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY"],
    ] as const;
    for (const [config, message] of missing) {
      const e = (() => {
        try {
          createProvider(config);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ProviderError);
      expect([(e as ProviderError).code, (e as ProviderError).action, (e as ProviderError).message]).toEqual(["PROVIDER_AUTH", "halt", message]);
    }
  });

  it("calls globalThis.fetch when no fetch is passed", async () => {
    const original = globalThis.fetch;
    const { fetch, seen } = recordedFetch("yahoo-day.json");
    globalThis.fetch = ((url: string, init: RequestInit) => fetch(url, init)) as typeof globalThis.fetch;
    try {
      expect(await createProvider({ name: "yahoo" }).fetchBars(day)).toHaveLength(3);
      expect(seen).toHaveLength(1);
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe("createOptionProvider", () => {
  it("chooses the option provider by name, and sends the chosen feed", async () => {
    const { fetch, seen } = recordedFetch({ status: 200, body: { snapshots: {}, next_page_token: null } });
    const alpaca = createOptionProvider({ name: "alpaca", keyId: ALPACA_ID, secretKey: ALPACA_SECRET, feed: "opra", fetch });
    expect([alpaca.name, createOptionProvider({ name: "polygon", apiKey: POLYGON_KEY }).name]).toEqual(["alpaca", "polygon"]);
    await alpaca.quotesAt({ symbols: ["AAPL250620C00200000"], at: new Date("2025-06-02T19:59:00Z") });
    expect(new URL(seen[0]?.url ?? "").searchParams.get("feed")).toBe("opra");
  });

  it("throws PROVIDER_AUTH, naming the variables to set, when a key is missing", () => {
    expect(() => createOptionProvider({ name: "polygon", apiKey: "" })).toThrow("Polygon needs an API key: set POLYGON_API_KEY");
    expect(() => createOptionProvider({ name: "alpaca", keyId: "", secretKey: "x" })).toThrow(
      "Alpaca needs a key id and a secret key: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY",
    );
  });
});
