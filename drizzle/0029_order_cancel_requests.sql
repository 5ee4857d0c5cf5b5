-- A person cancels a working order (issue #22 item 8; docs/trading.md, "A person cancels a working order").
-- The session book is the fenced runner's: while a session runs, nobody but its runner writes its orders. A
-- person's cancel is therefore a REQUEST, written here by the trading core (bullpen_core, for the owner, under
-- RLS) and applied by the runner at the start of its next bar, before matching (reason `requested_by_user`,
-- with the order's `order` event); the runner marks it applied with the bar. When no runner holds the book
-- (paused, pending, queued) the server cancels the order itself under the session row's lock and records the
-- request as applied at once. One request per order. The API roles may read their own requests, never write.
CREATE TABLE "public"."order_cancel_requests" (
  "order_id" uuid PRIMARY KEY NOT NULL REFERENCES "public"."orders"("id") ON DELETE CASCADE,
  "session_id" uuid NOT NULL,
  "user_id" uuid DEFAULT auth.uid() NOT NULL,
  "model_id" uuid NOT NULL,
  "requested_at" timestamp with time zone DEFAULT now() NOT NULL,
  -- Set with the bar (or the direct cancel) that handled it: `cancelled`, or `ended` when the order had
  -- already ended by then (filled, expired, cancelled with its entry or the session).
  "applied_at" timestamp with time zone,
  "outcome" text,
  CONSTRAINT "order_cancel_requests_session_owner_fk" FOREIGN KEY ("session_id", "user_id", "model_id")
    REFERENCES "public"."trading_sessions"("id", "user_id", "model_id") ON DELETE CASCADE,
  CONSTRAINT "order_cancel_requests_outcome" CHECK (
    ("applied_at" IS NULL AND "outcome" IS NULL) OR ("applied_at" IS NOT NULL AND "outcome" IN ('cancelled', 'ended')))
);
--> statement-breakpoint
CREATE INDEX "order_cancel_requests_pending_idx" ON "public"."order_cancel_requests" ("session_id") WHERE "applied_at" IS NULL;
--> statement-breakpoint
ALTER TABLE "public"."order_cancel_requests" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "order_cancel_requests_owner_select" ON "public"."order_cancel_requests" AS PERMISSIVE FOR SELECT TO "authenticated"
  USING ("order_cancel_requests"."user_id" = (select auth.uid()));
--> statement-breakpoint
CREATE POLICY "order_cancel_requests_core_insert" ON "public"."order_cancel_requests" AS PERMISSIVE FOR INSERT TO "bullpen_core"
  WITH CHECK ("order_cancel_requests"."user_id" = (select auth.uid()));
--> statement-breakpoint
CREATE POLICY "order_cancel_requests_core_update" ON "public"."order_cancel_requests" AS PERMISSIVE FOR UPDATE TO "bullpen_core"
  USING ("order_cancel_requests"."user_id" = (select auth.uid())) WITH CHECK ("order_cancel_requests"."user_id" = (select auth.uid()));
--> statement-breakpoint
REVOKE ALL ON public.order_cancel_requests FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.order_cancel_requests TO authenticated;
--> statement-breakpoint
GRANT INSERT (order_id, session_id, user_id, model_id, applied_at, outcome) ON public.order_cancel_requests TO bullpen_core;
--> statement-breakpoint
GRANT UPDATE (applied_at, outcome) ON public.order_cancel_requests TO bullpen_core;
--> statement-breakpoint
-- The order named must be the session's and the owner's (its id alone could be anyone's: the foreign key is
-- checked past row-level security). Run as the writer, so the core sees only the owner's orders. A request
-- once applied does not change.
CREATE OR REPLACE FUNCTION public.order_cancel_requests_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.applied_at IS NOT NULL THEN
    RAISE EXCEPTION 'cancel request of order % was applied: it does not change', OLD.order_id USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.orders o
                 WHERE o.id = NEW.order_id AND o.session_id = NEW.session_id AND o.user_id = NEW.user_id AND o.model_id = NEW.model_id) THEN
    RAISE EXCEPTION 'order % is not an order of session %', NEW.order_id, NEW.session_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.order_cancel_requests_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER order_cancel_requests_guard BEFORE INSERT OR UPDATE ON public.order_cancel_requests
  FOR EACH ROW EXECUTE FUNCTION public.order_cancel_requests_guard();
