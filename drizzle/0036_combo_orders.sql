-- Multi-leg orders (issue #24; lib/trading/place-combo-order.ts): a parent row of class mleg (the underlying, the units,
-- the net limit, signed: + debit, - credit; no side) and one child row per leg (parent_order_id), each with its fills.
-- `strategy`: the shape recognised at placement and its profile (maximum profit and loss, breakevens), on the parent.
ALTER TYPE "public"."order_class" ADD VALUE IF NOT EXISTS 'mleg';--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "strategy" jsonb;--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_parsed_unless_rejected";--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parsed_unless_rejected" CHECK ("orders"."status" = 'rejected' or ("orders"."symbol" is not null and "orders"."quantity" is not null and ("orders"."side" is not null or ("orders"."order_class"::text = 'mleg' and "orders"."parent_order_id" is null))));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_strategy_only_mleg" CHECK ("orders"."strategy" is null or "orders"."order_class"::text = 'mleg');
