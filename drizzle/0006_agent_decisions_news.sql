CREATE TYPE "public"."decision_outcome" AS ENUM('traded', 'held', 'failed');--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"clock" timestamp with time zone NOT NULL,
	"interval" "bar_interval" NOT NULL,
	"llm" text NOT NULL,
	"outcome" "decision_outcome" NOT NULL,
	"instructions" text NOT NULL,
	"prompt" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"tool_calls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"steps" integer NOT NULL,
	"finish_reason" text,
	"error" text,
	"error_code" text,
	"filled_orders" integer DEFAULT 0 NOT NULL,
	"rejected_orders" integer DEFAULT 0 NOT NULL,
	"tool_errors" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" numeric(20, 6),
	"latency_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_owner_unique" UNIQUE("id","session_id","user_id","model_id"),
	CONSTRAINT "decisions_failed_has_error" CHECK (("decisions"."outcome" = 'failed') = ("decisions"."error" is not null)),
	CONSTRAINT "decisions_counts_not_negative" CHECK ("decisions"."filled_orders" >= 0 and "decisions"."rejected_orders" >= 0 and "decisions"."tool_errors" >= 0 and "decisions"."steps" >= 0 and "decisions"."latency_ms" >= 0),
	CONSTRAINT "decisions_outcome_matches_fills" CHECK ("decisions"."outcome" = 'failed' or ("decisions"."outcome" = 'traded') = ("decisions"."filled_orders" > 0))
);
--> statement-breakpoint
ALTER TABLE "decisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "news" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"url" text,
	"symbols" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "news" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "api_key_ciphertext" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "api_key_hint" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_session_owner_fk" FOREIGN KEY ("session_id","user_id","model_id") REFERENCES "public"."trading_sessions"("id","user_id","model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_session_clock_idx" ON "decisions" USING btree ("session_id","clock");--> statement-breakpoint
CREATE INDEX "news_published_idx" ON "news" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "news_symbols_idx" ON "news" USING gin ("symbols");--> statement-breakpoint
CREATE INDEX "news_text_idx" ON "news" USING gin (to_tsvector('english', "title" || ' ' || "summary"));--> statement-breakpoint
CREATE UNIQUE INDEX "news_url_unique" ON "news" USING btree ("url");--> statement-breakpoint
CREATE POLICY "decisions_owner_select" ON "decisions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("decisions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "decisions_owner_insert" ON "decisions" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("decisions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "news_read" ON "news" AS PERMISSIVE FOR SELECT TO "authenticated" USING (true);