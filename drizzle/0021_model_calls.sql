-- Every model call of a session's bars, recorded as it returns (docs/trading.md, "Model calls"): a bar run
-- again after a crash or a pause answers its first calls from here instead of asking the model again, and a
-- session can be replayed exactly from the record alone. Append-only, like decisions and fills.
CREATE TABLE IF NOT EXISTS public.model_calls (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL DEFAULT auth.uid(),
  model_id uuid NOT NULL,
  session_id uuid NOT NULL,
  bar_index integer NOT NULL,
  -- The bar's decision (its id is derived from the session and the bar); written with the bar, later.
  decision_id uuid NOT NULL,
  call_index integer NOT NULL,
  provider text NOT NULL,
  provider_model text NOT NULL,
  request_digest text NOT NULL,
  response jsonb NOT NULL,
  input_tokens integer,
  output_tokens integer,
  latency_ms integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT model_calls_session_owner_fk FOREIGN KEY (session_id, user_id, model_id)
    REFERENCES public.trading_sessions (id, user_id, model_id) ON DELETE CASCADE,
  CONSTRAINT model_calls_bar_call_unique UNIQUE (session_id, bar_index, call_index),
  CONSTRAINT model_calls_indexes_range CHECK (bar_index >= 0 AND call_index >= 0 AND latency_ms >= 0)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS model_calls_decision_idx ON public.model_calls (decision_id);
--> statement-breakpoint
ALTER TABLE public.model_calls ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP POLICY IF EXISTS model_calls_owner_select ON public.model_calls;
--> statement-breakpoint
CREATE POLICY model_calls_owner_select ON public.model_calls FOR SELECT TO authenticated USING (user_id = (select auth.uid()));
--> statement-breakpoint
-- Written only by the trading core for the owner (0020, "Who writes what"); read by the owner.
DROP POLICY IF EXISTS model_calls_core_insert ON public.model_calls;
--> statement-breakpoint
CREATE POLICY model_calls_core_insert ON public.model_calls FOR INSERT TO bullpen_core WITH CHECK (user_id = (select auth.uid()));
--> statement-breakpoint
REVOKE ALL ON public.model_calls FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.model_calls TO authenticated;
--> statement-breakpoint
GRANT INSERT ON public.model_calls TO bullpen_core;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.refuse_model_call_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  RAISE EXCEPTION 'model calls are append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'A model call is a record of what a model answered; it is never changed.';
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS model_calls_append_only ON public.model_calls;
--> statement-breakpoint
CREATE TRIGGER model_calls_append_only BEFORE UPDATE OR DELETE ON public.model_calls
  FOR EACH ROW EXECUTE FUNCTION public.refuse_model_call_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS model_calls_no_truncate ON public.model_calls;
--> statement-breakpoint
CREATE TRIGGER model_calls_no_truncate BEFORE TRUNCATE ON public.model_calls
  FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_model_call_change();
--> statement-breakpoint
-- A session replayed exactly from another's record (same user): its model answers come from that session's model_calls.
ALTER TABLE public.trading_sessions ADD COLUMN IF NOT EXISTS replay_of uuid REFERENCES public.trading_sessions (id) ON DELETE SET NULL;
