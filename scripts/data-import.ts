/**
 * `npm run data:import -- <file> [<file> …] [--interval hour] [--derive-daily]`
 * Imports Alpha Vantage JSON/JSONL or CSV (symbol,time,open,high,low,close,volume) bars. Each file is
 * imported whole or not at all; problems are listed with their line numbers.
 */
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { ImportError } from "@/lib/market";
import { importBarsFile } from "@/lib/services/market-data/import-file";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { interval: { type: "string" }, "derive-daily": { type: "boolean", default: false } },
});
if (positionals.length === 0) {
  console.error("Usage: npm run data:import -- <file.jsonl|file.json|file.csv> … [--interval day|hour|minute] [--derive-daily]");
  process.exit(2);
}

const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR });
const url = env.DATABASE_URL ?? embedded!.url;
await migrateDatabase(url);
const { db, client } = createDb(url, 2);
let failed = false;
for (const file of positionals) {
  try {
    const r = await importBarsFile(db, file, { interval: values.interval, deriveDaily: values["derive-daily"] });
    console.log(
      `${r.file}: ${r.symbols} symbols, ${r.bars} bars (${r.inserted} new, ${r.unchanged} already stored)` +
        (values["derive-daily"] ? `, ${r.derivedDaily} derived daily bars` : ""),
    );
  } catch (err) {
    failed = true;
    if (err instanceof ImportError) {
      console.error(`${file}: not imported, ${err.problems.length} problem(s):`);
      for (const p of err.problems.slice(0, 50)) console.error(`  line ${p.line}: ${p.message}`);
    } else {
      console.error(`${file}: not imported: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
await client.end();
await embedded?.stop();
process.exit(failed ? 1 : 0);
