/** `npm run admin:grant -- email@example.com`: make a user an admin (now, or when they sign up). */
import postgres from "postgres";
import { z } from "zod";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { grantAdmin, migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";

const emails = z.array(z.email()).min(1).safeParse(process.argv.slice(2));
if (!emails.success) {
  console.error("Usage: npm run admin:grant -- someone@example.com [more@example.com …]");
  process.exit(2);
}
const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR });
const url = env.DATABASE_URL ?? embedded!.url;
await migrateDatabase(url);
const sql = postgres(url, { max: 1 });
const updated = await grantAdmin(sql, emails.data);
await sql.end();
await embedded?.stop();
console.log(`[bullpen] ${emails.data.join(", ")}: admin (${updated} existing profile(s) updated, future sign-ups included)`);
