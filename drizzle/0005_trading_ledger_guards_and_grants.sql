-- Fills are append-only for audit: no UPDATE, DELETE or TRUNCATE, for any role including the owner.
-- (A superuser can still disable the trigger; that is an explicit, logged act.) Deleting a session,
-- model or user that has fills is therefore refused too: the audit trail outlives them.
CREATE OR REPLACE FUNCTION public.refuse_fill_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  RAISE EXCEPTION 'fills are append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Record a correcting fill instead of changing or deleting one.';
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS fills_append_only ON public.fills;
--> statement-breakpoint
CREATE TRIGGER fills_append_only BEFORE UPDATE OR DELETE ON public.fills
  FOR EACH ROW EXECUTE FUNCTION public.refuse_fill_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS fills_no_truncate ON public.fills;
--> statement-breakpoint
CREATE TRIGGER fills_no_truncate BEFORE TRUNCATE ON public.fills
  FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_fill_change();
--> statement-breakpoint
-- Signed-in users get only what placeOrder and the session runner need; no DELETE anywhere (audit).
REVOKE ALL ON public.trading_sessions, public.accounts, public.orders, public.fills, public.positions FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT, INSERT ON public.trading_sessions, public.accounts, public.orders, public.fills, public.positions TO authenticated;
--> statement-breakpoint
GRANT UPDATE (status, settings, updated_at) ON public.trading_sessions TO authenticated;
--> statement-breakpoint
GRANT UPDATE (cash, equity, equity_at, fees_paid, borrow_fees_paid, realized_pnl, updated_at) ON public.accounts TO authenticated;
--> statement-breakpoint
GRANT UPDATE (quantity, cost_basis, realized_pnl, fees_paid, last_fill_at, updated_at) ON public.positions TO authenticated;
