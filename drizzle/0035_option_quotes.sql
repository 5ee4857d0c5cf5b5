-- Option quotes from a market-data provider (lib/db/schema/market.ts): shared and read-only to signed-in users, like bars.
CREATE TABLE "option_quotes" (
	"symbol" text NOT NULL,
	"underlying" text NOT NULL,
	"expiry" date NOT NULL,
	"right" text NOT NULL,
	"strike" double precision NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"bid" double precision NOT NULL,
	"ask" double precision NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "option_quotes_symbol_at_pk" PRIMARY KEY("symbol","at"),
	CONSTRAINT "option_quotes_right" CHECK ("right" in ('call', 'put')),
	CONSTRAINT "option_quotes_prices" CHECK ("bid" >= 0 and "ask" > 0 and "ask" >= "bid" and "strike" > 0)
);
--> statement-breakpoint
ALTER TABLE "option_quotes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "option_quotes_underlying_at_idx" ON "option_quotes" USING btree ("underlying","at");--> statement-breakpoint
CREATE POLICY "option_quotes_read" ON "option_quotes" AS PERMISSIVE FOR SELECT TO "authenticated" USING (true);--> statement-breakpoint
REVOKE ALL ON public.option_quotes FROM anon, authenticated;--> statement-breakpoint
GRANT SELECT ON public.option_quotes TO authenticated;
