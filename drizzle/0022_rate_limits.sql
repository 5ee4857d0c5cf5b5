-- Rate limits shared by every process and machine (lib/rate-limit.ts): rate-limiter-flexible's Postgres
-- store, one row per key (`<limit>:<address, user or hashed email>`), the points used in the key's window and
-- when it ends (ms since the epoch). Created here, never by the library at runtime (tableCreated: true).
-- Its own schema, which Supabase's Data API does not serve, and no grants to anon or authenticated: only
-- the server reads and writes it (docs/ARCHITECTURE.md, "Who writes what").
CREATE SCHEMA IF NOT EXISTS rate_limits;
--> statement-breakpoint
REVOKE ALL ON SCHEMA rate_limits FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS rate_limits.counters (
  key text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
--> statement-breakpoint
-- The library deletes rows an hour past their window every 5 minutes.
CREATE INDEX IF NOT EXISTS counters_expire_idx ON rate_limits.counters (expire);
--> statement-breakpoint
REVOKE ALL ON rate_limits.counters FROM PUBLIC, anon, authenticated;
