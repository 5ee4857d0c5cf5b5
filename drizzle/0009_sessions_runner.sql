CREATE TYPE "public"."session_event_type" AS ENUM('status', 'decision', 'order', 'fill', 'equity');--> statement-breakpoint
CREATE TABLE "session_equity" (
	"session_id" uuid NOT NULL,
	"bar_index" integer NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"equity" numeric(20, 6) NOT NULL,
	"cash" numeric(20, 6) NOT NULL,
	CONSTRAINT "session_equity_pkey" PRIMARY KEY("session_id","bar_index")
);
--> statement-breakpoint
ALTER TABLE "session_equity" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "session_events" (
	"session_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"type" "session_event_type" NOT NULL,
	"at" timestamp with time zone,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_events_pkey" PRIMARY KEY("session_id","seq")
);
--> statement-breakpoint
ALTER TABLE "session_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "symbols" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "range_start" date;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "range_end" date;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "decide_every" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "schedule" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "total_bars" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "cursor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "seed" integer DEFAULT 42 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "max_steps" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "decision_timeout_ms" integer DEFAULT 60000 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "event_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "runner_id" text;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "metrics" jsonb;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "benchmark" jsonb;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_id_user_unique" UNIQUE("id","user_id");--> statement-breakpoint
ALTER TABLE "session_equity" ADD CONSTRAINT "session_equity_session_owner_fk" FOREIGN KEY ("session_id","user_id") REFERENCES "public"."trading_sessions"("id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_owner_fk" FOREIGN KEY ("session_id","user_id") REFERENCES "public"."trading_sessions"("id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trading_sessions_user_status_idx" ON "trading_sessions" USING btree ("user_id","status");--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_cursor_range" CHECK ("trading_sessions"."cursor" >= 0 and "trading_sessions"."cursor" <= "trading_sessions"."total_bars");--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_decide_every_range" CHECK ("trading_sessions"."decide_every" between 1 and 60);--> statement-breakpoint
CREATE POLICY "session_equity_owner_select" ON "session_equity" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_equity"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_equity_owner_insert" ON "session_equity" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_equity"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_events_owner_select" ON "session_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_events"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_events_owner_insert" ON "session_events" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_events"."user_id" = (select auth.uid()));