import { z } from "zod";
import { nyDayOf } from "../time";
import type { Bar, Interval } from "../types";
import { ProviderError } from "./errors";
import { checkPageCount, fail, getJson, httpContext, parseBody, type HttpContext } from "./http";
import type { BarProvider, BarRequest, HttpOptions } from "./provider";
import { checkRequest, toBars, type RawBar } from "./session-bars";

/** Massive is Polygon.io's new name; api.polygon.io still answers (pass it as baseUrl). */
export const POLYGON_BASE_URL = "https://api.massive.com";
export const POLYGON_PAGE_LIMIT = 50_000;

export interface PolygonOptions extends HttpOptions {
  apiKey: string;
}

const INTERVALS: readonly Interval[] = ["day", "hour", "minute"];

const price = z.number().positive();
const aggSchema = z.object({ t: z.number().int(), o: price, h: price, l: price, c: price, v: z.number().nonnegative() });
const pageSchema = z.object({
  status: z.string(),
  results: z.array(aggSchema).optional(),
  next_url: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});

function detailOf(body: unknown): string | undefined {
  const parsed = z.object({ message: z.string().optional(), error: z.string().optional() }).safeParse(body);
  return parsed.success ? (parsed.data.message ?? parsed.data.error) : undefined;
}

/**
 * Day bars are asked for by New York date: Polygon stamps them at New York midnight, before the
 * session open that `from` usually is. Intraday bounds are millisecond timestamps.
 */
function firstUrl(base: string, req: BarRequest): string {
  const [from, to] = req.interval === "day" ? [nyDayOf(req.from), nyDayOf(req.to)] : [req.from.getTime(), req.to.getTime()];
  const path = `/v2/aggs/ticker/${encodeURIComponent(req.symbol)}/range/1/${req.interval}/${from}/${to}`;
  const query = new URLSearchParams({ adjusted: "true", sort: "asc", limit: String(POLYGON_PAGE_LIMIT) });
  return `${base}${path}?${query}`;
}

/** next_url names api.polygon.io or api.massive.com: keep its path and cursor, send it to OUR base, so the key goes nowhere else. */
function nextUrl(ctx: HttpContext, base: string, next: string): string {
  try {
    const u = new URL(next);
    return `${base}${u.pathname}${u.search}`;
  } catch {
    throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a next_url that is not a URL`);
  }
}

/** What every Polygon request shares: the context, our base URL and the Bearer header. Throws PROVIDER_AUTH without a key. */
export interface PolygonHttp {
  ctx: HttpContext;
  base: string;
  headers: Record<string, string>;
}

export function polygonHttp(options: PolygonOptions): PolygonHttp {
  const apiKey = typeof options.apiKey === "string" ? options.apiKey.trim() : "";
  if (apiKey === "") throw new ProviderError("polygon", "PROVIDER_AUTH", "Polygon needs an API key: set POLYGON_API_KEY");
  const ctx = httpContext("polygon", options, { authHint: "check POLYGON_API_KEY", secrets: [apiKey], detailOf });
  const base = (options.baseUrl ?? POLYGON_BASE_URL).replace(/\/+$/, "");
  return { ctx, base, headers: { Authorization: `Bearer ${apiKey}`, Accept: "application/json" } };
}

/** A Polygon page: `status` ("OK", "DELAYED", or "ERROR" with `error`/`message`), and `next_url` while more pages remain. */
export interface PolygonPageBase {
  status: string;
  next_url?: string | undefined;
  error?: string | undefined;
  message?: string | undefined;
}

/** One Polygon page read with `schema`; status ERROR is PROVIDER_BAD_RESPONSE. */
export async function getPolygonPage<S extends z.ZodType<PolygonPageBase>>(http: PolygonHttp, url: string, symbol: string, schema: S): Promise<z.output<S>> {
  const { ctx } = http;
  const page = parseBody(ctx, schema, await getJson(ctx, url, http.headers, symbol));
  if (page.status === "ERROR") {
    throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} answered status ERROR: ${page.error ?? page.message ?? "no reason given"}`);
  }
  return page;
}

/** Every page from `firstUrl` on, following next_url (on our base) up to maxPages; a repeated next_url is refused. */
export async function* polygonPages<S extends z.ZodType<PolygonPageBase>>(
  http: PolygonHttp,
  firstUrl: string,
  symbol: string,
  schema: S,
): AsyncGenerator<z.output<S>> {
  const { ctx, base } = http;
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  for (let pages = 0; url !== undefined; pages++) {
    checkPageCount(ctx, pages);
    const page: z.output<S> = await getPolygonPage(http, url, symbol, schema);
    yield page;
    url = page.next_url ? nextUrl(ctx, base, page.next_url) : undefined;
    if (url !== undefined && seen.has(url)) throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent the same next_url twice`);
    if (url !== undefined) seen.add(url);
  }
}

/**
 * Polygon/Massive aggregates (v2): GET /v2/aggs/ticker/{symbol}/range/1/{minute|hour|day}/{from}/{to}
 * ?adjusted=true&sort=asc&limit=50000, key in `Authorization: Bearer` (never in the URL), following next_url.
 */
export function createPolygonProvider(options: PolygonOptions): BarProvider {
  const http = polygonHttp(options);

  async function fetchBars(req: BarRequest): Promise<Bar[]> {
    checkRequest(http.ctx, INTERVALS, req);
    const raws: RawBar[] = [];
    for await (const page of polygonPages(http, firstUrl(http.base, req), req.symbol, pageSchema)) {
      for (const a of page.results ?? []) raws.push({ startMs: a.t, open: a.o, high: a.h, low: a.l, close: a.c, volume: a.v });
    }
    return toBars(http.ctx, req, raws);
  }

  return { name: "polygon", intervals: INTERVALS, fetchBars };
}
