import { z } from "zod";
import { nyDayOf, nyWallTimeToUtc } from "../time";
import type { Bar, Interval } from "../types";
import { ProviderError } from "./errors";
import { checkPageCount, fail, getJson, httpContext, parseBody, type HttpContext } from "./http";
import type { BarProvider, BarRequest, HttpOptions } from "./provider";
import { checkRequest, toBars, type RawBar } from "./session-bars";

export const ALPACA_BASE_URL = "https://data.alpaca.markets";
export const ALPACA_PAGE_LIMIT = 10_000;

/** "iex" works on the free plan; "sip" (all US exchanges) needs a paid subscription for recent data. */
export type AlpacaFeed = "iex" | "sip";
/** "split" matches Polygon's adjusted=true and Yahoo's prices, so bars from any provider agree. */
export type AlpacaAdjustment = "raw" | "split" | "dividend" | "all";

export interface AlpacaOptions extends HttpOptions {
  keyId: string;
  secretKey: string;
  /** Default "iex". */
  feed?: AlpacaFeed;
  /** Default "split". */
  adjustment?: AlpacaAdjustment;
}

const INTERVALS: readonly Interval[] = ["day", "hour", "minute"];
const TIMEFRAMES: Readonly<Record<Interval, string>> = { minute: "1Min", hour: "1Hour", day: "1Day" };

const price = z.number().positive();
const barSchema = z.object({ t: z.iso.datetime({ offset: true }), o: price, h: price, l: price, c: price, v: z.number().nonnegative() });
const pageSchema = z.object({
  bars: z.array(barSchema).nullable(),
  next_page_token: z.string().nullable().optional(),
});

function detailOf(body: unknown): string | undefined {
  const parsed = z.object({ message: z.string() }).safeParse(body);
  return parsed.success ? parsed.data.message : undefined;
}

/** Day bars are stamped at New York midnight, so a day request starts at that midnight, not at `from`. */
function startParam(req: BarRequest): string {
  return req.interval === "day" ? nyWallTimeToUtc(nyDayOf(req.from), 0, 0).toISOString() : req.from.toISOString();
}

/** What every Alpaca data request shares: the context, the base URL and both key headers. Throws PROVIDER_AUTH without keys. */
export interface AlpacaHttp {
  ctx: HttpContext;
  base: string;
  headers: Record<string, string>;
}

export function alpacaHttp(options: HttpOptions & { keyId: string; secretKey: string }): AlpacaHttp {
  const keyId = typeof options.keyId === "string" ? options.keyId.trim() : "";
  const secretKey = typeof options.secretKey === "string" ? options.secretKey.trim() : "";
  if (keyId === "" || secretKey === "") {
    throw new ProviderError("alpaca", "PROVIDER_AUTH", "Alpaca needs a key id and a secret key: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY");
  }
  const ctx = httpContext("alpaca", options, {
    authHint: "check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, and that your plan covers the feed",
    secrets: [keyId, secretKey],
    detailOf,
  });
  const base = (options.baseUrl ?? ALPACA_BASE_URL).replace(/\/+$/, "");
  return { ctx, base, headers: { "APCA-API-KEY-ID": keyId, "APCA-API-SECRET-KEY": secretKey, Accept: "application/json" } };
}

/** Every page of `path?query`, following next_page_token as page_token up to maxPages; a repeated token is refused. */
export async function* alpacaPages<S extends z.ZodType<{ next_page_token?: string | null | undefined }>>(
  http: AlpacaHttp,
  path: string,
  query: URLSearchParams,
  symbol: string,
  schema: S,
): AsyncGenerator<z.output<S>> {
  const { ctx } = http;
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages === 0 || token !== undefined; pages++) {
    checkPageCount(ctx, pages);
    if (token !== undefined) query.set("page_token", token);
    const page: z.output<S> = parseBody(ctx, schema, await getJson(ctx, `${path}?${query}`, http.headers, symbol));
    yield page;
    token = page.next_page_token || undefined;
    if (token !== undefined && seen.has(token)) throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent the same next_page_token twice`);
    if (token !== undefined) seen.add(token);
  }
}

/**
 * Alpaca market data v2: GET /v2/stocks/{symbol}/bars?timeframe=1Min|1Hour|1Day&start&end&limit=10000
 * &adjustment&feed, keys in the APCA-API-KEY-ID and APCA-API-SECRET-KEY headers, following next_page_token.
 */
export function createAlpacaProvider(options: AlpacaOptions): BarProvider {
  const http = alpacaHttp(options);
  const feed = options.feed ?? "iex";
  const adjustment = options.adjustment ?? "split";

  async function fetchBars(req: BarRequest): Promise<Bar[]> {
    checkRequest(http.ctx, INTERVALS, req);
    const query = new URLSearchParams({
      timeframe: TIMEFRAMES[req.interval],
      start: startParam(req),
      end: req.to.toISOString(),
      limit: String(ALPACA_PAGE_LIMIT),
      adjustment,
      feed,
    });
    const path = `${http.base}/v2/stocks/${encodeURIComponent(req.symbol)}/bars`;
    const raws: RawBar[] = [];
    for await (const page of alpacaPages(http, path, query, req.symbol, pageSchema)) {
      for (const b of page.bars ?? []) raws.push({ startMs: Date.parse(b.t), open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v });
    }
    return toBars(http.ctx, req, raws);
  }

  return { name: "alpaca", intervals: INTERVALS, fetchBars };
}
