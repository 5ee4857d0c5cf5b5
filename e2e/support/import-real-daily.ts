/**
 * Imports the real NASDAQ-100 daily bars of a few symbols (../shared/data, tests/support/shared-data.ts; never copied
 * into the repository) into the e2e server's database (DATABASE_URL), through the importer a person uses
 * (`npm run data:import`). The lines of the other symbols are left out, so the synthetic market the other specs use
 * keeps its universe. Re-importing changes nothing.
 *
 * Run (the spec does): node --import tsx --conditions=react-server e2e/support/import-real-daily.ts NVDA,AAPL,PYPL
 * Prints `IMPORTED <bars>` and exits.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDb } from "@/lib/db/client";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { DAILY_FILE, readSharedData } from "@/tests/support/shared-data";

const symbols = new Set((process.argv[2] ?? "").split(",").filter(Boolean));
if (symbols.size === 0) throw new Error("usage: import-real-daily.ts SYM1,SYM2,…");

const lines = readSharedData(DAILY_FILE).split("\n").filter((l) => l.trim() !== "" && symbols.has((JSON.parse(l) as { "Meta Data": Record<string, string> })["Meta Data"]["2. Symbol"]!));
const dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-e2e-daily-"));
const file = path.join(dir, path.basename(DAILY_FILE));
await writeFile(file, lines.join("\n") + "\n");
const { db, client } = createDb(process.env.DATABASE_URL, 2);
try {
  const report = await importBarsFile(db, file);
  console.log(`IMPORTED ${report.bars}`);
} finally {
  await client.end();
  await rm(dir, { recursive: true, force: true });
}
