CREATE TYPE "public"."order_side" AS ENUM('buy', 'sell', 'sell_short', 'buy_to_cover');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('new', 'accepted', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired');--> statement-breakpoint
CREATE TYPE "public"."order_type" AS ENUM('market');--> statement-breakpoint
CREATE TYPE "public"."trading_session_kind" AS ENUM('backtest', 'replay', 'paper');--> statement-breakpoint
CREATE TYPE "public"."trading_session_status" AS ENUM('pending', 'running', 'paused', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"starting_cash" numeric(20, 6) NOT NULL,
	"cash" numeric(20, 6) NOT NULL,
	"equity" numeric(20, 6) NOT NULL,
	"equity_at" timestamp with time zone,
	"fees_paid" numeric(20, 6) DEFAULT '0' NOT NULL,
	"borrow_fees_paid" numeric(20, 6) DEFAULT '0' NOT NULL,
	"realized_pnl" numeric(20, 6) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_session_unique" UNIQUE("session_id"),
	CONSTRAINT "accounts_cash_not_overdrawn" CHECK ("accounts"."cash" + "accounts"."borrow_fees_paid" >= 0),
	CONSTRAINT "accounts_starting_cash_positive" CHECK ("accounts"."starting_cash" > 0),
	CONSTRAINT "accounts_fees_not_negative" CHECK ("accounts"."fees_paid" >= 0 and "accounts"."borrow_fees_paid" >= 0)
);
--> statement-breakpoint
ALTER TABLE "accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "fills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"instrument" jsonb,
	"side" "order_side" NOT NULL,
	"quantity" bigint NOT NULL,
	"price" numeric(20, 6) NOT NULL,
	"reference_price" numeric(20, 6) NOT NULL,
	"fee" numeric(20, 6) NOT NULL,
	"cash_delta" numeric(20, 6) NOT NULL,
	"cash_after" numeric(20, 6) NOT NULL,
	"realized_pnl" numeric(20, 6),
	"quantity_after" bigint NOT NULL,
	"filled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fills_quantity_positive" CHECK ("fills"."quantity" > 0),
	CONSTRAINT "fills_price_positive" CHECK ("fills"."price" > 0 and "fills"."reference_price" > 0),
	CONSTRAINT "fills_fee_not_negative" CHECK ("fills"."fee" >= 0)
);
--> statement-breakpoint
ALTER TABLE "fills" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"decision_id" uuid,
	"parent_order_id" uuid,
	"symbol" text,
	"instrument" jsonb,
	"side" "order_side",
	"type" "order_type" DEFAULT 'market' NOT NULL,
	"quantity" bigint,
	"limit_price" numeric(20, 6),
	"stop_price" numeric(20, 6),
	"status" "order_status" NOT NULL,
	"filled_quantity" bigint DEFAULT 0 NOT NULL,
	"reference_price" numeric(20, 6),
	"reject_code" text,
	"reject_message" text,
	"request" jsonb,
	"placed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_model_idempotency_key_unique" UNIQUE("model_id","idempotency_key"),
	CONSTRAINT "orders_idempotency_key_length" CHECK (char_length("orders"."idempotency_key") between 1 and 200),
	CONSTRAINT "orders_quantity_positive" CHECK ("orders"."quantity" is null or "orders"."quantity" > 0),
	CONSTRAINT "orders_filled_quantity_range" CHECK ("orders"."filled_quantity" >= 0 and "orders"."filled_quantity" <= coalesce("orders"."quantity", 0)),
	CONSTRAINT "orders_parsed_unless_rejected" CHECK ("orders"."status" = 'rejected' or ("orders"."symbol" is not null and "orders"."side" is not null and "orders"."quantity" is not null)),
	CONSTRAINT "orders_rejection_has_code" CHECK (("orders"."status" = 'rejected') = ("orders"."reject_code" is not null)),
	CONSTRAINT "orders_market_has_no_limit" CHECK ("orders"."type" <> 'market' or ("orders"."limit_price" is null and "orders"."stop_price" is null))
);
--> statement-breakpoint
ALTER TABLE "orders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "positions" (
	"session_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"instrument" jsonb,
	"quantity" bigint NOT NULL,
	"cost_basis" numeric(20, 6) NOT NULL,
	"realized_pnl" numeric(20, 6) DEFAULT '0' NOT NULL,
	"fees_paid" numeric(20, 6) DEFAULT '0' NOT NULL,
	"last_fill_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "positions_pkey" PRIMARY KEY("session_id","symbol"),
	CONSTRAINT "positions_flat_has_no_basis" CHECK ("positions"."quantity" <> 0 or "positions"."cost_basis" = 0),
	CONSTRAINT "positions_fees_not_negative" CHECK ("positions"."fees_paid" >= 0)
);
--> statement-breakpoint
ALTER TABLE "positions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "trading_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"model_id" uuid NOT NULL,
	"kind" "trading_session_kind" NOT NULL,
	"interval" "bar_interval" NOT NULL,
	"status" "trading_session_status" DEFAULT 'pending' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"starting_cash" numeric(20, 6) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trading_sessions_owner_unique" UNIQUE("id","user_id","model_id"),
	CONSTRAINT "trading_sessions_starting_cash_positive" CHECK ("trading_sessions"."starting_cash" > 0)
);
--> statement-breakpoint
ALTER TABLE "trading_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_session_owner_fk" FOREIGN KEY ("session_id","user_id","model_id") REFERENCES "public"."trading_sessions"("id","user_id","model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_session_owner_fk" FOREIGN KEY ("session_id","user_id","model_id") REFERENCES "public"."trading_sessions"("id","user_id","model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parent_order_id_orders_id_fk" FOREIGN KEY ("parent_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_session_owner_fk" FOREIGN KEY ("session_id","user_id","model_id") REFERENCES "public"."trading_sessions"("id","user_id","model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_session_owner_fk" FOREIGN KEY ("session_id","user_id","model_id") REFERENCES "public"."trading_sessions"("id","user_id","model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_user_id_profiles_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD CONSTRAINT "trading_sessions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fills_order_idx" ON "fills" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "fills_session_filled_idx" ON "fills" USING btree ("session_id","filled_at");--> statement-breakpoint
CREATE INDEX "orders_session_placed_idx" ON "orders" USING btree ("session_id","placed_at");--> statement-breakpoint
CREATE INDEX "trading_sessions_user_created_idx" ON "trading_sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "trading_sessions_model_idx" ON "trading_sessions" USING btree ("model_id");--> statement-breakpoint
CREATE POLICY "accounts_owner_all" ON "accounts" AS PERMISSIVE FOR ALL TO "authenticated" USING ("accounts"."user_id" = (select auth.uid())) WITH CHECK ("accounts"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "fills_owner_select" ON "fills" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("fills"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "fills_owner_insert" ON "fills" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("fills"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "orders_owner_all" ON "orders" AS PERMISSIVE FOR ALL TO "authenticated" USING ("orders"."user_id" = (select auth.uid())) WITH CHECK ("orders"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "positions_owner_all" ON "positions" AS PERMISSIVE FOR ALL TO "authenticated" USING ("positions"."user_id" = (select auth.uid())) WITH CHECK ("positions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "trading_sessions_owner_select" ON "trading_sessions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("trading_sessions"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "trading_sessions_owner_insert" ON "trading_sessions" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("trading_sessions"."user_id" = (select auth.uid()) and exists (select 1 from public.models m where m.id = "trading_sessions"."model_id"));--> statement-breakpoint
CREATE POLICY "trading_sessions_owner_update" ON "trading_sessions" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("trading_sessions"."user_id" = (select auth.uid())) WITH CHECK ("trading_sessions"."user_id" = (select auth.uid()) and exists (select 1 from public.models m where m.id = "trading_sessions"."model_id"));