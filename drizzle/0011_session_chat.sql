CREATE TYPE "public"."session_chat_role" AS ENUM('user', 'assistant');--> statement-breakpoint
CREATE TABLE "session_chat_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "session_chat_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" uuid NOT NULL,
	"user_id" uuid DEFAULT auth.uid() NOT NULL,
	"role" "session_chat_role" NOT NULL,
	"parts" jsonb NOT NULL,
	"clock" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_chat_messages_parts_array" CHECK (jsonb_typeof("session_chat_messages"."parts") = 'array')
);
--> statement-breakpoint
ALTER TABLE "session_chat_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "session_chat_messages" ADD CONSTRAINT "session_chat_messages_session_owner_fk" FOREIGN KEY ("session_id","user_id") REFERENCES "public"."trading_sessions"("id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_chat_messages_session_seq_idx" ON "session_chat_messages" USING btree ("session_id","seq");--> statement-breakpoint
CREATE POLICY "session_chat_messages_owner_select" ON "session_chat_messages" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_chat_messages"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "session_chat_messages_owner_insert" ON "session_chat_messages" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_chat_messages"."user_id" = (select auth.uid()));