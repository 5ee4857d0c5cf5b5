-- An option contract that expires worthless closes at a price of 0 (issue #23 item 4; lib/trading/settle-expiries.ts):
-- its fill is recorded like any other. Stocks still fill above 0 only.
ALTER TABLE "fills" DROP CONSTRAINT "fills_price_positive";
--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_price_positive" CHECK (("price" > 0 AND "reference_price" > 0) OR (public.contract_multiplier("symbol") = 100 AND "price" >= 0 AND "reference_price" >= 0));
