-- Session events are announced with NOTIFY session_events '<session id>:<last seq>', one per inserting
-- statement and session (a statement-level trigger over the inserted rows), delivered at commit: a
-- listener never hears of an event it cannot read yet. The payload is tiny; listeners read the rows.
CREATE OR REPLACE FUNCTION public.notify_session_events() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT session_id, max(seq) AS seq FROM new_rows GROUP BY session_id LOOP
    PERFORM pg_notify('session_events', r.session_id::text || ':' || r.seq::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS session_events_notify ON public.session_events;
--> statement-breakpoint
CREATE TRIGGER session_events_notify AFTER INSERT ON public.session_events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_events();
--> statement-breakpoint
-- Events and equity points are append-only for users: the runner (acting as the owner) inserts them.
REVOKE ALL ON public.session_events, public.session_equity FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT, INSERT ON public.session_events, public.session_equity TO authenticated;
--> statement-breakpoint
-- The runner advances a session as its owner: lifecycle and progress columns only.
GRANT UPDATE (status, cursor, event_seq, runner_id, heartbeat_at, started_at, finished_at, error_code, error, metrics, benchmark, updated_at)
  ON public.trading_sessions TO authenticated;
--> statement-breakpoint
-- Admins read everything for the audit (public.is_admin(), drizzle/0008), like the other trading records.
CREATE POLICY "session_events_admin_read" ON public.session_events AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "session_equity_admin_read" ON public.session_equity AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
