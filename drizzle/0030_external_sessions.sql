-- Issue #25, item 3: sessions an outside agent drives (docs/sessions.md, "Sessions an outside agent drives").
-- `driver` says who decides at each bar: 'model' (the session's own model, run in process by the runner) or
-- 'external' (a program holding a model API token, over MCP or REST). `driver_token_id` is the token that drives it
-- (the one that started it, or the last that ended a turn), shown as "driven by: <token name>"; null for sessions a
-- model runs, or one started by its owner that no token has driven yet. A deleted token leaves the session undriven.
-- `turn_bar` and `turn_calls` are the turn in progress: the outside agent's tool calls at bar `turn_bar` (the
-- session's cursor), in call order, replayed on the book as committed at the cursor by every request of the turn
-- and written as the bar's decision when the turn ends (lib/services/external-session.ts). Written only by the
-- trading core, under the session row's lock, each write with a new fence token (runner_id).
ALTER TABLE "trading_sessions"
  ADD COLUMN "driver" text DEFAULT 'model' NOT NULL,
  ADD COLUMN "driver_token_id" uuid,
  ADD COLUMN "turn_bar" integer,
  ADD COLUMN "turn_calls" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_driver_check" CHECK ("driver" in ('model', 'external'));
--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_driver_token_fk" FOREIGN KEY ("driver_token_id") REFERENCES "public"."model_tokens"("id") ON DELETE set null;
--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_driver_token_only_external" CHECK ("driver_token_id" is null or "driver" = 'external');
--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_turn_calls_array" CHECK (jsonb_typeof("turn_calls") = 'array');
--> statement-breakpoint
-- The core moves the turn along and names the token that drove the last turn; who drives (`driver`) is fixed at creation.
GRANT UPDATE (driver_token_id, turn_bar, turn_calls) ON public.trading_sessions TO bullpen_core;
