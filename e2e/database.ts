import postgres from "postgres";
import { runningEmbeddedUrl } from "@/lib/db/embedded";

/**
 * A direct connection to the database of the server under test (playwright.config.ts starts it on the embedded
 * PostgreSQL in E2E_DATA_DIR), as its owner: for what a test must see beneath the API, such as row counts.
 */
export async function e2eDatabase(): Promise<postgres.Sql> {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set: run the suite through playwright.config.ts");
  const url = await runningEmbeddedUrl(dir);
  if (!url) throw new Error(`no embedded PostgreSQL runs on ${dir}: the e2e server starts it (playwright.config.ts webServer)`);
  return postgres(url, { max: 2, onnotice: () => {} });
}
