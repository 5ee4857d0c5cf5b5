-- When a stop, stop-limit or trailing stop was triggered (issue #22 item 8: the orders API, its CSV and the audit
-- show it): the start of the bar whose prices reached its stop, as the fill model saw it. Null for an order never
-- triggered, and for orders triggered before this column existed. Set once: the core's update keeps the first
-- value (lib/db/queries/bar-trades.ts), so a triggered order's trigger time never moves.
ALTER TABLE "orders" ADD COLUMN "triggered_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_triggered_at_only_triggered" CHECK ("triggered_at" IS NULL OR "triggered");
--> statement-breakpoint
GRANT UPDATE (triggered_at) ON public.orders TO bullpen_core;
