/** `npm run db:migrate`: apply the bootstrap and all migrations to DATABASE_URL or the embedded server. */
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";

const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR });
await migrateDatabase(env.DATABASE_URL ?? embedded!.url, env.ADMIN_EMAILS);
await embedded?.stop();
console.log("[bullpen] database is up to date");
