-- Multi-leg orders (issue #24; lib/trading/place-combo-order.ts): a parent row of class mleg (the underlying, the units,
-- the net limit, signed: + debit, - credit; no side) and one child row per leg (parent_order_id), each with its fills.
-- `strategy`: the shape recognised at placement and its profile (maximum profit and loss, breakevens), on the parent.
ALTER TYPE "public"."order_class" ADD VALUE IF NOT EXISTS 'mleg';--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "strategy" jsonb;--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_parsed_unless_rejected";--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parsed_unless_rejected" CHECK ("orders"."status" = 'rejected' or ("orders"."symbol" is not null and "orders"."quantity" is not null and ("orders"."side" is not null or ("orders"."order_class"::text = 'mleg' and "orders"."parent_order_id" is null))));--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_prices_positive";--> statement-breakpoint
-- A multi-leg parent's limit is a net price, signed (a credit is negative, never 0); every other price stays > 0.
ALTER TABLE "orders" ADD CONSTRAINT "orders_prices_positive" CHECK (
  (CASE WHEN "order_class"::text = 'mleg' AND "parent_order_id" IS NULL THEN coalesce("limit_price", 1) <> 0 ELSE coalesce("limit_price", 1) > 0 END)
  AND coalesce("stop_price", 1) > 0 AND coalesce("trail_price", 1) > 0 AND coalesce("water_mark", 1) > 0 AND "filled_notional" >= 0);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_strategy_only_mleg" CHECK ("orders"."strategy" is null or "orders"."order_class"::text = 'mleg');
--> statement-breakpoint
-- Sessions created before strategy-based margin keep margining each written contract alone (they replay as they ran).
UPDATE "trading_sessions" SET "settings" = "settings" || '{"strategyMargin": false}'::jsonb WHERE NOT ("settings" ? 'strategyMargin');
