CREATE TYPE "public"."bar_interval" AS ENUM('day', 'hour', 'minute');--> statement-breakpoint
CREATE TABLE "bars" (
	"symbol" text NOT NULL,
	"interval" "bar_interval" NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision,
	"low" double precision,
	"close" double precision,
	"volume" double precision,
	"source" text NOT NULL,
	"derived" boolean DEFAULT false NOT NULL,
	CONSTRAINT "bars_symbol_interval_start_pk" PRIMARY KEY("symbol","interval","start")
);
--> statement-breakpoint
ALTER TABLE "bars" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instruments" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"exchange" text DEFAULT '' NOT NULL,
	"asset_class" text DEFAULT 'equity' NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instruments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "bars_interval_start_idx" ON "bars" USING btree ("interval","start");--> statement-breakpoint
CREATE POLICY "bars_read" ON "bars" AS PERMISSIVE FOR SELECT TO "authenticated" USING (true);--> statement-breakpoint
CREATE POLICY "instruments_read" ON "instruments" AS PERMISSIVE FOR SELECT TO "authenticated" USING (true);