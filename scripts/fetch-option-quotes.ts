/**
 * `npm run data:options -- <UNDERLYING[,…]> <from YYYY-MM-DD> <to YYYY-MM-DD> [--interval day|hour] [--expiry-days 45] [--strike-range 0.15]`
 * Caches real option quotes from the configured provider (MARKET_DATA_PROVIDER=polygon with POLYGON_API_KEY; Alpaca
 * has only today's quotes) for the instants a session of that interval decides at: sessions over those days then see
 * QUOTED chains (docs/market-data.md). The underlying's bars must be stored first (data:import, or the provider).
 */
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { configuredOptionProvider, decisionInstants, DEFAULT_EXPIRY_DAYS, DEFAULT_STRIKE_RANGE, fetchAndCacheOptionQuotes } from "@/lib/services/market-data/option-quotes";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { interval: { type: "string", default: "day" }, "expiry-days": { type: "string" }, "strike-range": { type: "string" } },
});
const usage = "Usage: npm run data:options -- AAPL,NVDA 2025-06-02 2025-06-30 [--interval day|hour] [--expiry-days 45] [--strike-range 0.15]";
const [symbols, from, to] = positionals;
const day = /^\d{4}-\d{2}-\d{2}$/;
const expiryDays = Number(values["expiry-days"] ?? DEFAULT_EXPIRY_DAYS);
const strikeRange = Number(values["strike-range"] ?? DEFAULT_STRIKE_RANGE);
if (!symbols || !from || !to || !day.test(from) || !day.test(to) || (values.interval !== "day" && values.interval !== "hour")) {
  console.error(usage);
  process.exit(2);
}
if (!(Number.isInteger(expiryDays) && expiryDays >= 0 && expiryDays <= 400) || !(strikeRange > 0 && strikeRange < 1)) {
  console.error(`--expiry-days is a whole number of days from 0 to 400 and --strike-range a fraction between 0 and 1 (0.15 = ±15 %)\n${usage}`);
  process.exit(2);
}
let provider: ReturnType<typeof configuredOptionProvider>;
try {
  provider = configuredOptionProvider();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err)); // a key missing: the message names the variable
  process.exit(2);
}
if (!provider) {
  console.error("No option provider: set MARKET_DATA_PROVIDER=polygon with POLYGON_API_KEY (or alpaca with ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY, today's quotes only)");
  process.exit(2);
}

const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR });
const url = env.DATABASE_URL ?? embedded!.url;
await migrateDatabase(url);
const { db, client } = createDb(url, 2);
const instants = decisionInstants(from, to, values.interval);
let failed = false;
for (const underlying of symbols.split(",").map((s) => s.trim().toUpperCase())) {
  let stored = 0;
  for (const [i, at] of instants.entries()) {
    try {
      const r = await fetchAndCacheOptionQuotes(db, provider, { underlying, at, expiryDays, strikeRange });
      stored += r.inserted;
      console.log(`${underlying} ${at.toISOString()} (${i + 1}/${instants.length}): ${r.contracts} contracts, ${r.quotes} quotes, ${r.inserted} new`);
    } catch (err) {
      failed = true;
      console.error(`${underlying} ${at.toISOString()}: ${err instanceof Error ? err.message : String(err)}`);
      break;
    }
  }
  console.log(`${underlying}: ${stored} quotes stored`);
}
await client.end();
await embedded?.stop();
process.exit(failed ? 1 : 0);
