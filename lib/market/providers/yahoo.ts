import { z } from "zod";
import { addDays, nyDayOf, nyWallTimeToUtc } from "../time";
import type { Bar, Interval } from "../types";
import { fail, getJson, httpContext, parseBody } from "./http";
import type { BarProvider, BarRequest, HttpOptions } from "./provider";
import { checkRequest, toBars, type RawBar } from "./session-bars";

export const YAHOO_BASE_URL = "https://query1.finance.yahoo.com";

export type YahooOptions = HttpOptions;

const INTERVALS: readonly Interval[] = ["day"];
const UNSUPPORTED: Readonly<Record<Interval, string>> = {
  day: "",
  hour: "Yahoo provides daily bars only; hour bars need Polygon or Alpaca",
  minute: "Yahoo provides daily bars only; minute bars need Polygon or Alpaca",
};

const value = z.number().positive().nullable();
const quoteSchema = z.object({
  open: z.array(value).optional(),
  high: z.array(value).optional(),
  low: z.array(value).optional(),
  close: z.array(value).optional(),
  volume: z.array(z.number().nonnegative().nullable()).optional(),
});
const chartError = z.object({ code: z.string(), description: z.string().nullable().optional() });
const bodySchema = z.object({
  chart: z.object({
    result: z
      .array(z.object({ timestamp: z.array(z.number().int()).optional(), indicators: z.object({ quote: z.array(quoteSchema).min(1) }) }))
      .nullable(),
    error: chartError.nullable(),
  }),
});

function detailOf(body: unknown): string | undefined {
  const parsed = z.object({ chart: z.object({ error: chartError }) }).safeParse(body);
  if (!parsed.success) return undefined;
  const { code, description } = parsed.data.chart.error;
  return description ? `${code}: ${description}` : code;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Yahoo chart API: GET /v8/finance/chart/{symbol}?period1&period2&interval=1d (epoch seconds, New York
 * midnight before `from` to the midnight after `to`); no key. Rows with any null value are skipped.
 */
export function createYahooProvider(options: YahooOptions = {}): BarProvider {
  const ctx = httpContext("yahoo", options, { authHint: "Yahoo needs no key but refused this machine; try again later, or use Polygon or Alpaca", secrets: [], detailOf });
  const base = (options.baseUrl ?? YAHOO_BASE_URL).replace(/\/+$/, "");
  const headers = { Accept: "application/json", "User-Agent": "Mozilla/5.0 (compatible; Bullpen)" };

  async function fetchBars(req: BarRequest): Promise<Bar[]> {
    checkRequest(ctx, INTERVALS, req, UNSUPPORTED[req.interval]);
    const query = new URLSearchParams({
      period1: String(epochSeconds(nyWallTimeToUtc(nyDayOf(req.from), 0, 0))),
      period2: String(epochSeconds(nyWallTimeToUtc(addDays(nyDayOf(req.to), 1), 0, 0))),
      interval: "1d",
    });
    const url = `${base}/v8/finance/chart/${encodeURIComponent(req.symbol)}?${query}`;
    const { chart } = parseBody(ctx, bodySchema, await getJson(ctx, url, headers, req.symbol));
    if (chart.error) {
      const code = chart.error.code === "Not Found" ? "PROVIDER_NOT_FOUND" : "PROVIDER_BAD_REQUEST";
      throw fail(ctx, code, `${ctx.label} refused the request for ${req.symbol}: ${detailOf({ chart }) ?? chart.error.code}`);
    }
    const result = chart.result?.[0];
    if (!result) throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent neither a result nor an error`);
    return toBars(ctx, req, rows(result.timestamp ?? [], result.indicators.quote[0] ?? {}));
  }

  function rows(timestamps: readonly number[], q: z.output<typeof quoteSchema>): RawBar[] {
    const columns = { open: q.open, high: q.high, low: q.low, close: q.close, volume: q.volume };
    for (const [name, column] of Object.entries(columns)) {
      if (timestamps.length > 0 && column?.length !== timestamps.length) {
        const got = column === undefined ? "none" : String(column.length);
        throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent ${timestamps.length} timestamps but ${got} ${name} values`);
      }
    }
    const out: RawBar[] = [];
    timestamps.forEach((t, i) => {
      const [open, high, low, close, volume] = [q.open?.[i], q.high?.[i], q.low?.[i], q.close?.[i], q.volume?.[i]];
      if (open == null || high == null || low == null || close == null || volume == null) return;
      out.push({ startMs: t * 1000, open, high, low, close, volume });
    });
    return out;
  }

  return { name: "yahoo", intervals: INTERVALS, fetchBars };
}
