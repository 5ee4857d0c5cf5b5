import "server-only";
import type { Db } from "@/lib/db/client";
import { countBars, insertBars, insertInstruments } from "@/lib/db/queries/bars";
import { generateSyntheticBars, SYNTHETIC_INSTRUMENTS } from "@/lib/market";
import { toRow } from "./import-file";

/** The offline default: one year of the seeded synthetic market (day and hour bars; minutes on demand). */
export const SYNTHETIC_SEED = 42;
export const SYNTHETIC_RANGE = { from: "2025-01-02", to: "2025-12-31" } as const;

/**
 * When no bars are stored at all, stores the synthetic market so a fresh machine has something to trade.
 * Its instruments are on exchange "SYNTH" and named "(synthetic)"; every bar has source "synthetic".
 * Returns the number of bars written (0 when data was already there).
 */
export async function ensureMarketData(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(72618)`);
    if ((await countBars(tx)) > 0) return 0;
    const bars = generateSyntheticBars({ seed: SYNTHETIC_SEED, ...SYNTHETIC_RANGE, intervals: ["day", "hour"] });
    await insertInstruments(
      tx,
      SYNTHETIC_INSTRUMENTS.map((i) => ({
        symbol: i.symbol,
        name: `${i.name} (synthetic)`,
        exchange: i.exchange,
        assetClass: i.assetClass,
        source: "synthetic",
      })),
    );
    return insertBars(tx, bars.map(toRow));
  });
}
