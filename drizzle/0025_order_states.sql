-- The order states of orders that live across bars (lib/engine/order-state.ts, docs/engine.md): `held` (a
-- bracket's or oto's exit waiting for its entry), `triggered` (a stop whose price was reached, now working as
-- a market or limit order), `replaced` (ended by a replace, which makes a new order). Only added: no row has
-- them until working orders are stored.
ALTER TYPE "public"."order_status" ADD VALUE IF NOT EXISTS 'held' BEFORE 'accepted';
--> statement-breakpoint
ALTER TYPE "public"."order_status" ADD VALUE IF NOT EXISTS 'triggered' BEFORE 'partially_filled';
--> statement-breakpoint
ALTER TYPE "public"."order_status" ADD VALUE IF NOT EXISTS 'replaced' AFTER 'expired';
