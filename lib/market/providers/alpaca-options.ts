import { z } from "zod";
import { nyDayOf } from "../time";
import { alpacaHttp, alpacaPages, type AlpacaHttp } from "./alpaca";
import { fail } from "./http";
import type { ContractsRequest, OptionContractRef, OptionProviderOptions, OptionQuoteProvider, OptionQuoteRecord } from "./option-provider";
import { checkContractsRequest, checkQuotesRequest, sortContracts, standardContract, usableQuote } from "./option-records";

export const ALPACA_CHAIN_PAGE_LIMIT = 1000;
/** Alpaca's limit on `symbols` in one snapshots request. */
export const ALPACA_SNAPSHOT_SYMBOLS = 100;

/** "indicative" (free: trades delayed, quotes modified) or "opra" (the official feed, a paid subscription). */
export type AlpacaOptionFeed = "indicative" | "opra";

export interface AlpacaOptionOptions extends OptionProviderOptions {
  keyId: string;
  secretKey: string;
  /** Default "indicative". */
  feed?: AlpacaOptionFeed;
}

// bp/ap: 0 means no bid/offer; t: RFC 3339 with up to nanoseconds.
const quoteSchema = z.object({ t: z.iso.datetime({ offset: true }), bp: z.number(), ap: z.number() });
const snapshotSchema = z.object({ latestQuote: quoteSchema.nullable().optional() });
const pageSchema = z.object({
  snapshots: z.record(z.string(), snapshotSchema).nullable(),
  next_page_token: z.string().nullable().optional(),
});

type AlpacaQuote = z.output<typeof quoteSchema>;

/** The quote's instant to the millisecond (truncated, never rounded up), and whether it lies after `at` even by a nanosecond. */
function stampOf(q: AlpacaQuote, at: Date): { stamped: Date; after: boolean } {
  const fraction = /\.(\d+)/.exec(q.t)?.[1] ?? "";
  const stamped = new Date(Date.parse(q.t.replace(/\.(\d{1,3})\d*/, ".$1")));
  const after = stamped.getTime() > at.getTime() || (stamped.getTime() === at.getTime() && /[1-9]/.test(fraction.slice(3)));
  return { stamped, after };
}

async function chainOf(http: AlpacaHttp, feed: AlpacaOptionFeed, req: ContractsRequest): Promise<OptionContractRef[]> {
  const { ctx } = http;
  const query = new URLSearchParams({
    feed,
    limit: String(ALPACA_CHAIN_PAGE_LIMIT),
    expiration_date_gte: req.expiryFrom,
    expiration_date_lte: req.expiryTo,
  });
  if (req.strikeFrom !== undefined) query.set("strike_price_gte", String(req.strikeFrom));
  if (req.strikeTo !== undefined) query.set("strike_price_lte", String(req.strikeTo));
  const path = `${http.base}/v1beta1/options/snapshots/${req.underlying}`;
  const found: OptionContractRef[] = [];
  let newest: string | undefined;
  for await (const page of alpacaPages(http, path, query, req.underlying, pageSchema)) {
    for (const [symbol, snapshot] of Object.entries(page.snapshots ?? {})) {
      const t = snapshot.latestQuote?.t;
      if (t !== undefined && (newest === undefined || Date.parse(t) > Date.parse(newest))) newest = t;
      const contract = standardContract(req, { symbol });
      if (contract) found.push(contract);
    }
  }
  // The chain is today's: a listing for an earlier day would show contracts listed since and miss those expired since.
  const quotedOn = newest === undefined ? undefined : nyDayOf(new Date(Date.parse(newest)));
  if (quotedOn !== undefined && req.asOf < quotedOn) {
    throw fail(
      ctx,
      "PROVIDER_BAD_REQUEST",
      `${ctx.label} lists only the current option chain (quoted on ${quotedOn}), not the chain of ${req.asOf}: use Polygon for past chains`,
    );
  }
  return sortContracts(found);
}

async function latestQuotes(http: AlpacaHttp, feed: AlpacaOptionFeed, symbols: readonly string[], at: Date): Promise<OptionQuoteRecord[]> {
  const wanted = new Set(symbols);
  const query = new URLSearchParams({ symbols: symbols.join(","), feed });
  const named = symbols.length === 1 ? (symbols[0] ?? "") : `${symbols[0] ?? ""} and ${symbols.length - 1} more`;
  const out: OptionQuoteRecord[] = [];
  for await (const page of alpacaPages(http, `${http.base}/v1beta1/options/snapshots`, query, named, pageSchema)) {
    for (const [symbol, snapshot] of Object.entries(page.snapshots ?? {})) {
      const q = snapshot.latestQuote;
      if (!wanted.has(symbol) || !q) continue;
      const { stamped, after } = stampOf(q, at);
      if (after) continue; // Alpaca has only the latest quote: one newer than `at` says nothing about `at`.
      const quote = usableQuote(symbol, stamped, q.bp, q.ap);
      if (quote) out.push(quote);
    }
  }
  return out;
}

/**
 * Alpaca options (docs/providers.md, "Options"), keys in the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers:
 * - contracts: GET /v1beta1/options/snapshots/{underlying}?feed&limit=1000&expiration_date_gte/_lte
 *   [&strike_price_gte/_lte], following next_page_token; the keys of `snapshots` are the contracts. Only the
 *   current chain exists: an `asOf` before the New York date of the newest quote in the answer is refused.
 * - quotes: GET /v1beta1/options/snapshots?symbols=…(≤ 100)&feed → `latestQuote` {bp, ap, t}; only the latest quote
 *   exists, so a contract whose latest quote is after `at` gets none.
 */
export function createAlpacaOptionProvider(options: AlpacaOptionOptions): OptionQuoteProvider {
  const http = alpacaHttp(options);
  const feed = options.feed ?? "indicative";

  async function listContracts(req: ContractsRequest): Promise<OptionContractRef[]> {
    checkContractsRequest(http.ctx, req);
    return chainOf(http, feed, req);
  }

  async function quotesAt(req: { symbols: readonly string[]; at: Date }): Promise<OptionQuoteRecord[]> {
    const symbols = checkQuotesRequest(http.ctx, req);
    const out: OptionQuoteRecord[] = [];
    for (let i = 0; i < symbols.length; i += ALPACA_SNAPSHOT_SYMBOLS) {
      out.push(...(await latestQuotes(http, feed, symbols.slice(i, i + ALPACA_SNAPSHOT_SYMBOLS), req.at)));
    }
    return out;
  }

  return { name: "alpaca", listContracts, quotesAt };
}
