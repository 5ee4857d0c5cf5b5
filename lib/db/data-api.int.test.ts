import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { appTables, dataApiChecks, ensureAuthenticator, seedLedger, type DataApiFixture } from "@/tests/support/data-api-probe";
import { freshSessionDatabase } from "@/tests/support/session-fixtures";

/**
 * Issue #26 on plain PostgreSQL (the embedded default): what Supabase's Data API could write with a user's JWT.
 * lib/db/data-api.supabase.int.test.ts runs the same checks on a Supabase-like server.
 */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let fixture: DataApiFixture;

beforeAll(async () => {
  env = await freshSessionDatabase("data_api");
  const seeded = await seedLedger(env);
  const api = postgres(await ensureAuthenticator(env.sql, env.url), { max: 2, onnotice: () => {} });
  fixture = { sql: env.sql, api, seeded, tables: await appTables(env.sql), reportName: "data-api-writes.postgres.tsv" };
}, 120_000);

afterAll(async () => {
  await fixture?.api.end();
  await env?.drop();
});

describe("the Data API's roles on plain PostgreSQL (claims set, then SET LOCAL ROLE, as PostgREST does)", () => {
  dataApiChecks(() => fixture);
});
