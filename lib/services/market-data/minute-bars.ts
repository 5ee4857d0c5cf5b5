import "server-only";
import type { Db } from "@/lib/db/client";
import { countBarsBySymbol, insertBars, selectBars } from "@/lib/db/queries/bars";
import { deriveMinuteBarsFromHours, sessionOf, SyntheticMarket, type Bar } from "@/lib/market";
import type { BarProvider } from "@/lib/market/providers";
import { toRow } from "./import-file";
import { fetchAndCacheBars } from "./provider";
import { SYNTHETIC_SEED } from "./synthetic-seed";

export interface MinuteReport {
  symbol: string;
  minutes: number;
  how: "stored" | "provider" | "synthetic" | "derived" | "none";
}

/**
 * Makes sure minute bars exist for a trading day, per symbol: already stored; else from the configured
 * provider; else the synthetic market's own minutes (synthetic symbols); else derived from the stored
 * hourly bars by the seeded Brownian bridge (flagged derived; they cover only the hours the source has).
 */
export async function ensureMinuteBars(
  db: Db,
  { day, symbols, seed = 1, provider = null, now = new Date() }: { day: string; symbols: readonly string[]; seed?: number; provider?: BarProvider | null; now?: Date },
): Promise<MinuteReport[]> {
  const session = sessionOf(day);
  if (!session) throw new Error(`${day} is not an NYSE trading day`);
  const window = { from: session.open, to: new Date(session.close.getTime() - 1) };
  const stored = await countBarsBySymbol(db, { symbols, interval: "minute", ...window });
  const missing = symbols.filter((s) => !stored.has(s));
  const hours = missing.length > 0 ? await selectBars(db, { symbols: missing, interval: "hour", ...window }) : [];
  const reports = new Map<string, MinuteReport>();
  // Made here (synthetic or derived) for every symbol that needs them, then stored in one statement.
  const made: Bar[] = [];
  let synthetic: SyntheticMarket | null = null;
  for (const symbol of symbols) {
    const have = stored.get(symbol);
    if (have !== undefined) {
      reports.set(symbol, { symbol, minutes: have, how: "stored" });
      continue;
    }
    const ownHours = hours.filter((b) => b.symbol === symbol) as Bar[];
    if (ownHours[0]?.source === "synthetic") {
      synthetic ??= new SyntheticMarket(SYNTHETIC_SEED);
      const minutes = synthetic.barsOfDay(day, "minute", symbol);
      made.push(...minutes);
      reports.set(symbol, { symbol, minutes: minutes.length, how: "synthetic" });
    } else if (provider) {
      const { inserted } = await fetchAndCacheBars(db, provider, { symbol, interval: "minute", ...window }, now);
      reports.set(symbol, { symbol, minutes: inserted, how: "provider" });
    } else if (ownHours.length > 0) {
      const minutes = deriveMinuteBarsFromHours(ownHours, { seed });
      made.push(...minutes);
      reports.set(symbol, { symbol, minutes: minutes.length, how: "derived" });
    } else {
      reports.set(symbol, { symbol, minutes: 0, how: "none" });
    }
  }
  await insertBars(db, made.map(toRow));
  return symbols.map((s) => reports.get(s)!);
}
