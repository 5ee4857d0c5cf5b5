-- replace_order (issue #22 item 5; lib/engine/replace-working-order.ts, docs/trading.md "Replacing an order"): a replaced
-- order ends `replaced` and a new order takes its place, as Alpaca's replace does. Both ends of the link are kept, as
-- Alpaca's order object has them: the new order's `replaces_order_id` (written when it is inserted) and the old
-- order's `replaced_by_order_id` (written when it ends). A rejected replacement keeps `replaces_order_id` (what it
-- tried to replace) and the old order keeps working. Only the trading core writes them (bullpen_core), like every
-- ledger column: it may insert both and update only `replaced_by_order_id`, and an ended order still refuses any
-- change (orders_terminal_guard, 0026).
ALTER TABLE "orders"
  ADD COLUMN "replaces_order_id" uuid,
  ADD COLUMN "replaced_by_order_id" uuid;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_replaces_order_fk" FOREIGN KEY ("replaces_order_id") REFERENCES "public"."orders"("id");
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_replaced_by_order_fk" FOREIGN KEY ("replaced_by_order_id") REFERENCES "public"."orders"("id");
--> statement-breakpoint
-- A replaced order names what replaced it, and only a replaced order does; no order replaces itself.
ALTER TABLE "orders" ADD CONSTRAINT "orders_replaced_has_link" CHECK (
  ("status" = 'replaced') = ("replaced_by_order_id" IS NOT NULL)
  AND "replaces_order_id" IS DISTINCT FROM "id" AND "replaced_by_order_id" IS DISTINCT FROM "id");
--> statement-breakpoint
CREATE INDEX "orders_replaces_idx" ON "orders" ("replaces_order_id") WHERE "replaces_order_id" IS NOT NULL;
--> statement-breakpoint
GRANT UPDATE (replaced_by_order_id) ON public.orders TO bullpen_core;
