import { z } from "zod";
import { fail, mapConcurrent } from "./http";
import type { ContractsRequest, OptionContractRef, OptionProviderOptions, OptionQuoteProvider, OptionQuoteRecord } from "./option-provider";
import { checkContractsRequest, checkQuotesRequest, sortContracts, standardContract, usableQuote } from "./option-records";
import { getPolygonPage, polygonHttp, polygonPages, type PolygonHttp } from "./polygon";

export const POLYGON_CONTRACTS_PAGE_LIMIT = 1000;
/** How far back before `at` a quote may be: a long weekend (Friday close to Tuesday morning) and a bit. */
export const POLYGON_QUOTE_LOOKBACK_MS = 4 * 24 * 60 * 60 * 1000;
/** Quotes are one request per contract; this many in flight at once. */
export const POLYGON_QUOTES_IN_FLIGHT = 8;

export interface PolygonOptionOptions extends OptionProviderOptions {
  apiKey: string;
}

const contractSchema = z.object({
  ticker: z.string(),
  underlying_ticker: z.string(),
  contract_type: z.string(), // "call", "put", rarely "other"
  expiration_date: z.string(),
  strike_price: z.number().positive(),
  shares_per_contract: z.number(),
  exercise_style: z.string().optional(),
});
const contractsPageSchema = z.object({
  status: z.string(),
  results: z.array(contractSchema).optional(),
  next_url: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});

const quoteSchema = z.object({
  // Nanoseconds: past 2^53, so not a "safe" integer (zod's int()); JSON gives it to ~256 ns, plenty for milliseconds.
  sip_timestamp: z.number().positive().refine(Number.isInteger, "expected whole nanoseconds"),
  bid_price: z.number().optional(),
  ask_price: z.number().optional(),
});
const quotesPageSchema = z.object({
  status: z.string(),
  results: z.array(quoteSchema).optional(),
  next_url: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});

const PREFIX = "O:";
/** The spacing of doubles around nanosecond timestamps from 2006 to 2043 (2^60 … 2^61 ns). */
const NS_STEP = 256;
const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

function contractsUrl(base: string, req: ContractsRequest): string {
  const query = new URLSearchParams({
    underlying_ticker: req.underlying,
    as_of: req.asOf,
    "expiration_date.gte": req.expiryFrom,
    "expiration_date.lte": req.expiryTo,
  });
  if (req.strikeFrom !== undefined) query.set("strike_price.gte", String(req.strikeFrom));
  if (req.strikeTo !== undefined) query.set("strike_price.lte", String(req.strikeTo));
  query.set("order", "asc");
  query.set("limit", String(POLYGON_CONTRACTS_PAGE_LIMIT));
  query.set("sort", "expiration_date");
  return `${base}/v3/reference/options/contracts?${query}`;
}

async function quoteAt(http: PolygonHttp, symbol: string, at: Date): Promise<OptionQuoteRecord | null> {
  const { ctx } = http;
  const query = new URLSearchParams({
    "timestamp.lte": nanos(at.getTime()),
    "timestamp.gte": nanos(at.getTime() - POLYGON_QUOTE_LOOKBACK_MS),
    order: "desc",
    sort: "timestamp",
    limit: "1",
  });
  // One page only: with limit=1 next_url leads to older quotes, which we do not want.
  const page = await getPolygonPage(http, `${http.base}/v3/quotes/${PREFIX}${symbol}?${query}`, symbol, quotesPageSchema);
  const q = page.results?.[0];
  if (q === undefined) return null;
  // JSON gives the nanoseconds as a double, 256 ns apart near 2^60 and possibly just below the true value
  // (…340250000000 reads as …340249999872): nudge by that step before truncating to the millisecond.
  // Polygon's timestamp.lte keeps sub-millisecond leaks past `at` out; a later millisecond is refused here.
  const stamped = new Date(Math.floor((q.sip_timestamp + NS_STEP) / 1_000_000));
  if (stamped.getTime() > at.getTime()) {
    throw fail(
      ctx,
      "PROVIDER_BAD_RESPONSE",
      `${ctx.label} sent a quote for ${symbol} stamped ${stamped.toISOString()}, after the ${at.toISOString()} asked for`,
    );
  }
  return usableQuote(symbol, stamped, q.bid_price, q.ask_price);
}

/**
 * Polygon/Massive options (docs/providers.md, "Options"), key in `Authorization: Bearer`:
 * - contracts: GET /v3/reference/options/contracts?underlying_ticker&as_of&expiration_date.gte/.lte
 *   [&strike_price.gte/.lte]&order=asc&limit=1000&sort=expiration_date, following next_url on our base;
 *   standard contracts only (100 shares, the OCC root is the underlying);
 * - quotes: GET /v3/quotes/O:{symbol}?timestamp.lte={at ns}&timestamp.gte={at − 4 days ns}&order=desc&sort=timestamp
 *   &limit=1 per contract, at most 8 in flight.
 */
export function createPolygonOptionProvider(options: PolygonOptionOptions): OptionQuoteProvider {
  const http = polygonHttp(options);

  async function listContracts(req: ContractsRequest): Promise<OptionContractRef[]> {
    checkContractsRequest(http.ctx, req);
    const found: OptionContractRef[] = [];
    for await (const page of polygonPages(http, contractsUrl(http.base, req), req.underlying, contractsPageSchema)) {
      for (const row of page.results ?? []) {
        if (row.shares_per_contract !== 100 || !row.ticker.startsWith(PREFIX) || row.underlying_ticker !== req.underlying) continue;
        const contract = standardContract(req, {
          symbol: row.ticker.slice(PREFIX.length),
          expiry: row.expiration_date,
          right: row.contract_type,
          strike: row.strike_price,
        });
        if (contract) found.push(contract);
      }
    }
    return sortContracts(found);
  }

  async function quotesAt(req: { symbols: readonly string[]; at: Date }): Promise<OptionQuoteRecord[]> {
    const symbols = checkQuotesRequest(http.ctx, req);
    const quotes = await mapConcurrent(symbols, POLYGON_QUOTES_IN_FLIGHT, (symbol) => quoteAt(http, symbol, req.at));
    return quotes.filter((q): q is OptionQuoteRecord => q !== null);
  }

  return { name: "polygon", listContracts, quotesAt };
}
