-- Admins (profiles.role = 'admin') may READ every user's trading records for the audit; nobody else can.
-- SECURITY DEFINER so the check itself is not filtered by the profiles policy.
CREATE OR REPLACE FUNCTION public.is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = auth.uid() AND p.role = 'admin')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.is_admin() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.is_admin() TO authenticated;
--> statement-breakpoint
CREATE POLICY "profiles_admin_read" ON public.profiles AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "models_admin_read" ON public.models AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "trading_sessions_admin_read" ON public.trading_sessions AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "accounts_admin_read" ON public.accounts AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "orders_admin_read" ON public.orders AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "fills_admin_read" ON public.fills AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "positions_admin_read" ON public.positions AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY "decisions_admin_read" ON public.decisions AS PERMISSIVE FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_placed_idx" ON public.orders USING btree ("placed_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_user_placed_idx" ON public.orders USING btree ("user_id", "placed_at" DESC);
