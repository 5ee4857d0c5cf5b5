-- When a working order ended (issue #22: each order's life in the decision's details): the session clock of its
-- end as the engine saw it — the start of the bar whose prices filled, cancelled (one-cancels-other, its entry
-- ended, no cash at the fill) or expired it, or the clock of the bar a model's cancel or replace came in. Null for an
-- order still working, for market orders (they end when placed), for ends between bars (a person's cancel while
-- paused, the session's end), and for orders that ended before this column existed. Set once, like triggered_at.
ALTER TABLE "orders" ADD COLUMN "ended_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_ended_at_only_ended" CHECK ("ended_at" IS NULL OR "status" IN ('filled', 'cancelled', 'expired', 'replaced', 'rejected'));
--> statement-breakpoint
GRANT UPDATE (ended_at) ON public.orders TO bullpen_core;
