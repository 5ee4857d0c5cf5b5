-- Orders that work across bars (issue #22; lib/engine/working-orders.ts, docs/trading.md "Working orders").
-- `type`, `limit_price`, `stop_price`, `parent_order_id` and `filled_quantity` were there from 0004; a working
-- order also needs its time in force, class, leg, trail, water mark, the notional filled so far (the fee of its
-- next fill depends on it), whether its stop was reached, the other leg of a one-cancels-other pair, and why it
-- ended. Written only by the trading core (bullpen_core), like every ledger table: the API roles still may not
-- insert or update any of it.
-- order_type had only 'market' (0004). New enum values cannot be used in the transaction that adds them (the
-- migrations run in one), so nothing below names one as an enum literal: the check compares text.
ALTER TYPE "public"."order_type" ADD VALUE IF NOT EXISTS 'limit';
--> statement-breakpoint
ALTER TYPE "public"."order_type" ADD VALUE IF NOT EXISTS 'stop';
--> statement-breakpoint
ALTER TYPE "public"."order_type" ADD VALUE IF NOT EXISTS 'stop_limit';
--> statement-breakpoint
ALTER TYPE "public"."order_type" ADD VALUE IF NOT EXISTS 'trailing_stop';
--> statement-breakpoint
CREATE TYPE "public"."order_time_in_force" AS ENUM('day', 'gtc', 'ioc', 'fok', 'opg', 'cls');
--> statement-breakpoint
CREATE TYPE "public"."order_class" AS ENUM('simple', 'bracket', 'oco', 'oto');
--> statement-breakpoint
CREATE TYPE "public"."order_leg" AS ENUM('entry', 'take_profit', 'stop_loss');
--> statement-breakpoint
ALTER TABLE "orders"
  ADD COLUMN "time_in_force" "order_time_in_force" DEFAULT 'day' NOT NULL,
  ADD COLUMN "order_class" "order_class" DEFAULT 'simple' NOT NULL,
  ADD COLUMN "leg" "order_leg" DEFAULT 'entry' NOT NULL,
  ADD COLUMN "trail_price" numeric(20, 6),
  ADD COLUMN "trail_percent" numeric(5, 2),
  ADD COLUMN "water_mark" numeric(20, 6),
  ADD COLUMN "filled_notional" numeric(20, 6) DEFAULT '0' NOT NULL,
  ADD COLUMN "triggered" boolean DEFAULT false NOT NULL,
  ADD COLUMN "oco_order_id" uuid,
  ADD COLUMN "status_reason" text,
  ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_oco_order_fk" FOREIGN KEY ("oco_order_id") REFERENCES "public"."orders"("id");
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_trail_one_kind" CHECK (
  ("type"::text = 'trailing_stop') = (("trail_price" IS NOT NULL) <> ("trail_percent" IS NOT NULL)) OR "status" = 'rejected');
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_prices_positive" CHECK (
  coalesce("limit_price", 1) > 0 AND coalesce("stop_price", 1) > 0 AND coalesce("trail_price", 1) > 0 AND coalesce("water_mark", 1) > 0
  AND "filled_notional" >= 0);
--> statement-breakpoint
-- The core moves a working order on: its state, what filled, its trailing stop, an activated leg's quantity.
-- Nothing else of an order changes after it is written (its request, prices, side, owner and times stay).
CREATE POLICY "orders_core_update" ON "orders" AS PERMISSIVE FOR UPDATE TO "bullpen_core"
  USING ("orders"."user_id" = (select auth.uid())) WITH CHECK ("orders"."user_id" = (select auth.uid()));
--> statement-breakpoint
GRANT UPDATE (status, quantity, filled_quantity, filled_notional, stop_price, water_mark, triggered, oco_order_id, status_reason, updated_at)
  ON public.orders TO bullpen_core;
--> statement-breakpoint
-- An order that ended stays ended: filled, cancelled, rejected, expired and replaced are terminal (the engine's
-- transition table, lib/engine/order-state.ts), even for the core.
CREATE OR REPLACE FUNCTION public.orders_terminal_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  IF OLD.status IN ('filled', 'cancelled', 'rejected', 'expired', 'replaced') THEN
    RAISE EXCEPTION 'order % is %: an ended order does not change', OLD.id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.orders_terminal_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER orders_terminal_guard BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.orders_terminal_guard();
