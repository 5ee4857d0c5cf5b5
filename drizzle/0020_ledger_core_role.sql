-- Issue #26: the ledger is written only by the server's own role. Supabase's Data API (PostgREST) serves the
-- public schema to any signed-in user's JWT as the role `authenticated` (and to visitors as `anon`), so what
-- those roles may write, anyone may write with a JWT. They keep SELECT (row-level security: their own rows)
-- and may write only what the user configures: their profile's display name, their models, a session's label.
-- Everything the trading core records is written as `bullpen_core`: NOLOGIN, granted to the role that runs
-- these migrations (the server's: `postgres` on Supabase) and to nobody else, so PostgREST's `authenticator`
-- cannot SET ROLE to it. It is a member of `authenticated`: it reads what the user reads, and the same
-- policies on auth.uid() filter its writes to the owner's rows (lib/db/rls.ts withCore). The same statements
-- run on Supabase (postgres is not a superuser there, but creates roles and administers the API roles) and
-- on plain Postgres. docs/ARCHITECTURE.md, "Who writes what".
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bullpen_core') THEN
    CREATE ROLE bullpen_core NOLOGIN INHERIT;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bullpen_core' AND (rolcanlogin OR rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'the role bullpen_core may log in, is a superuser or bypasses row-level security: it must be none of these';
  END IF;
END $$;
--> statement-breakpoint
-- The core reads as a signed-in user does (auth.uid(), the owner-select and admin-read policies).
GRANT authenticated TO bullpen_core;
--> statement-breakpoint
-- The server (the role running this) may SET ROLE bullpen_core. Grant it to any other role the server
-- connects as; never to anon, authenticated or authenticator.
GRANT bullpen_core TO CURRENT_USER;
--> statement-breakpoint
-- Write policies: the owner's rows, for the core only (the read policies stay `to authenticated`).
DROP POLICY "decisions_owner_insert" ON "decisions" CASCADE;--> statement-breakpoint
DROP POLICY "accounts_owner_all" ON "accounts" CASCADE;--> statement-breakpoint
DROP POLICY "fills_owner_insert" ON "fills" CASCADE;--> statement-breakpoint
DROP POLICY "orders_owner_all" ON "orders" CASCADE;--> statement-breakpoint
DROP POLICY "positions_owner_all" ON "positions" CASCADE;--> statement-breakpoint
DROP POLICY "trading_sessions_owner_insert" ON "trading_sessions" CASCADE;--> statement-breakpoint
DROP POLICY "session_equity_owner_insert" ON "session_equity" CASCADE;--> statement-breakpoint
DROP POLICY "session_events_owner_insert" ON "session_events" CASCADE;--> statement-breakpoint
DROP POLICY "session_chat_messages_owner_insert" ON "session_chat_messages" CASCADE;--> statement-breakpoint
CREATE POLICY "decisions_core_insert" ON "decisions" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("decisions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "accounts_owner_select" ON "accounts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("accounts"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "accounts_core_insert" ON "accounts" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("accounts"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "accounts_core_update" ON "accounts" AS PERMISSIVE FOR UPDATE TO "bullpen_core" USING ("accounts"."user_id" = (select auth.uid())) WITH CHECK ("accounts"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "fills_core_insert" ON "fills" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("fills"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "orders_owner_select" ON "orders" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("orders"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "orders_core_insert" ON "orders" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("orders"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "positions_owner_select" ON "positions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("positions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "positions_core_insert" ON "positions" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("positions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "positions_core_update" ON "positions" AS PERMISSIVE FOR UPDATE TO "bullpen_core" USING ("positions"."user_id" = (select auth.uid())) WITH CHECK ("positions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "trading_sessions_core_insert" ON "trading_sessions" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("trading_sessions"."user_id" = (select auth.uid()) and exists (select 1 from public.models m where m.id = "trading_sessions"."model_id"));--> statement-breakpoint
CREATE POLICY "session_equity_core_insert" ON "session_equity" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("session_equity"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_events_core_insert" ON "session_events" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("session_events"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_chat_messages_core_insert" ON "session_chat_messages" AS PERMISSIVE FOR INSERT TO "bullpen_core" WITH CHECK ("session_chat_messages"."user_id" = (select auth.uid()));
--> statement-breakpoint
-- The Data API roles: no writes on any table or sequence of the app, then back only the configuration.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public, local_auth FROM anon, authenticated;
--> statement-breakpoint
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, local_auth FROM anon, authenticated;
--> statement-breakpoint
GRANT UPDATE (display_name) ON public.profiles TO authenticated;
--> statement-breakpoint
-- A user's models are theirs to create, edit, archive and delete (a model with sessions that have fills or
-- decisions cannot be deleted: those are append-only, drizzle/0005 and 0007).
GRANT INSERT, UPDATE, DELETE ON public.models TO authenticated;
--> statement-breakpoint
-- A session's label is the user's name for the run (0019); updated_at is set with it (drizzle's $onUpdate)
-- and read by nothing. Status, cursor, results and the rules are the core's.
GRANT UPDATE (label, updated_at) ON public.trading_sessions TO authenticated;
--> statement-breakpoint
-- Tables and sequences created later in public (by this role) start with no writes for the API roles, even
-- where the default privileges grant them all (Supabase's do): a migration grants what it means to.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLES FROM anon, authenticated;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated;
--> statement-breakpoint
-- The core's writes: what the session runner, placeOrder, decisions and chat record (no DELETE anywhere:
-- the ledger is append-only or updated in place; fills and decisions refuse changes, 0005 and 0007).
GRANT INSERT ON public.trading_sessions, public.accounts, public.orders, public.fills, public.positions, public.decisions,
  public.session_events, public.session_equity, public.session_chat_messages TO bullpen_core;
--> statement-breakpoint
GRANT UPDATE (status, cursor, event_seq, runner_id, heartbeat_at, started_at, finished_at, error_code, error, metrics, benchmark, updated_at)
  ON public.trading_sessions TO bullpen_core;
--> statement-breakpoint
GRANT UPDATE (cash, equity, equity_at, fees_paid, borrow_fees_paid, realized_pnl, updated_at) ON public.accounts TO bullpen_core;
--> statement-breakpoint
GRANT UPDATE (quantity, cost_basis, realized_pnl, fees_paid, last_fill_at, updated_at) ON public.positions TO bullpen_core;
