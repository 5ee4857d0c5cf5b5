import "server-only";
import type { Db } from "@/lib/db/client";
import { insertBars, insertInstruments } from "@/lib/db/queries/bars";
import { env } from "@/lib/env";
import { barEnd, type Interval } from "@/lib/market";
import { createProvider, type BarProvider } from "@/lib/market/providers";
import { toRow } from "./import-file";

/** The provider lib/env.ts configures (MARKET_DATA_PROVIDER and its keys), or null when offline. */
export function configuredProvider(): BarProvider | null {
  switch (env.MARKET_DATA_PROVIDER) {
    case "polygon":
      return createProvider({ name: "polygon", apiKey: env.POLYGON_API_KEY ?? "" });
    case "alpaca":
      return createProvider({ name: "alpaca", keyId: env.ALPACA_API_KEY_ID ?? "", secretKey: env.ALPACA_API_SECRET_KEY ?? "" });
    case "yahoo":
      return createProvider({ name: "yahoo" });
    default:
      return null;
  }
}

/**
 * Downloads bars and caches them in `bars`. Bars not finished at `now` (today's forming day bar) are
 * not stored: a cached bar never changes. Returns how many were fetched and how many were new.
 */
export async function fetchAndCacheBars(
  db: Db,
  provider: BarProvider,
  req: { symbol: string; interval: Interval; from: Date; to: Date },
  now: Date,
): Promise<{ fetched: number; inserted: number }> {
  const finished = (await provider.fetchBars(req)).filter((b) => barEnd(b).getTime() <= now.getTime());
  const inserted = await db.transaction(async (tx) => {
    await insertInstruments(tx, [{ symbol: req.symbol, name: req.symbol, source: provider.name }]);
    return insertBars(tx, finished.map(toRow));
  });
  return { fetched: finished.length, inserted };
}
