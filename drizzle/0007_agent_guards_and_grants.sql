-- Decisions are append-only for audit, like fills: no UPDATE, DELETE or TRUNCATE, for any role.
CREATE OR REPLACE FUNCTION public.refuse_decision_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  RAISE EXCEPTION 'decisions are append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'A decision is a record of what happened; record a new decision instead.';
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS decisions_append_only ON public.decisions;
--> statement-breakpoint
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON public.decisions
  FOR EACH ROW EXECUTE FUNCTION public.refuse_decision_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS decisions_no_truncate ON public.decisions;
--> statement-breakpoint
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON public.decisions
  FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_decision_change();
--> statement-breakpoint
-- An order's decision must be a decision of the same session, user and model. Deferred to commit: the
-- decision use case places the orders first and writes the decision row at the end of the same transaction.
ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_decision_fk;
--> statement-breakpoint
ALTER TABLE public.orders ADD CONSTRAINT orders_decision_fk
  FOREIGN KEY (decision_id, session_id, user_id, model_id)
  REFERENCES public.decisions (id, session_id, user_id, model_id)
  DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS orders_decision_idx ON public.orders (decision_id) WHERE decision_id IS NOT NULL;
--> statement-breakpoint
-- Signed-in users read and add their own decisions (RLS), never change or delete them.
REVOKE ALL ON public.decisions FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT, INSERT ON public.decisions TO authenticated;
--> statement-breakpoint
-- News is shared and read-only to signed-in users, like bars.
REVOKE ALL ON public.news FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.news TO authenticated;
