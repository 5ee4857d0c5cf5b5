-- Issue #25, item 1: per-model API tokens (docs/model-tokens.md). A token acts as exactly one model of one user,
-- optionally one session. Only its SHA-256 is stored. Who writes what (docs/ARCHITECTURE.md): a token is a
-- credential the server issues, so the Data API's roles write none of it: a row inserted from the browser would
-- carry the hash of a secret the user chose, with any expiry and none of the API's checks, and an UPDATE could
-- take back a revocation, stretch an expiry or point the token at another model. The server creates and revokes
-- tokens as `bullpen_core` with the owner's claims (row-level security on the owner), and stamps last_used_at
-- as its own role when a token is used (no user is known before the token is looked up, as for a sign-in).
-- The owner reads their tokens, all but the hash.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'models_id_user_unique') THEN
    ALTER TABLE public.models ADD CONSTRAINT models_id_user_unique UNIQUE (id, user_id);
  END IF;
END $$;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.model_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL DEFAULT auth.uid(),
  model_id uuid NOT NULL,
  session_id uuid,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  -- A token names a model, and a session of that model, of its own user.
  CONSTRAINT model_tokens_model_owner_fk FOREIGN KEY (model_id, user_id)
    REFERENCES public.models (id, user_id) ON DELETE CASCADE,
  CONSTRAINT model_tokens_session_owner_fk FOREIGN KEY (session_id, user_id, model_id)
    REFERENCES public.trading_sessions (id, user_id, model_id) ON DELETE CASCADE,
  CONSTRAINT model_tokens_name_length CHECK (char_length(name) BETWEEN 1 AND 80),
  CONSTRAINT model_tokens_prefix_format CHECK (prefix ~ '^bp_[A-Za-z0-9_-]{8}$'),
  CONSTRAINT model_tokens_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT model_tokens_expiry_after_creation CHECK (expires_at IS NULL OR expires_at > created_at)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS model_tokens_hash_unique ON public.model_tokens (token_hash);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS model_tokens_model_created_idx ON public.model_tokens (model_id, created_at);
--> statement-breakpoint
ALTER TABLE public.model_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP POLICY IF EXISTS model_tokens_owner_select ON public.model_tokens;
--> statement-breakpoint
CREATE POLICY model_tokens_owner_select ON public.model_tokens FOR SELECT TO authenticated USING (user_id = (select auth.uid()));
--> statement-breakpoint
DROP POLICY IF EXISTS model_tokens_core_insert ON public.model_tokens;
--> statement-breakpoint
CREATE POLICY model_tokens_core_insert ON public.model_tokens FOR INSERT TO bullpen_core WITH CHECK (user_id = (select auth.uid()));
--> statement-breakpoint
DROP POLICY IF EXISTS model_tokens_core_update ON public.model_tokens;
--> statement-breakpoint
CREATE POLICY model_tokens_core_update ON public.model_tokens FOR UPDATE TO bullpen_core
  USING (user_id = (select auth.uid())) WITH CHECK (user_id = (select auth.uid()));
--> statement-breakpoint
REVOKE ALL ON public.model_tokens FROM anon, authenticated;
--> statement-breakpoint
-- The owner (and the core, a member of authenticated) reads every column but the hash.
GRANT SELECT (id, user_id, model_id, session_id, name, prefix, created_at, expires_at, last_used_at, revoked_at)
  ON public.model_tokens TO authenticated;
--> statement-breakpoint
GRANT INSERT ON public.model_tokens TO bullpen_core;
--> statement-breakpoint
GRANT UPDATE (revoked_at) ON public.model_tokens TO bullpen_core;
--> statement-breakpoint
-- For every role, the table's owner included: what a token is (its user, model, session, name, prefix, hash,
-- creation and expiry) never changes, and a revocation is final. Only last_used_at and a first revoked_at move.
CREATE OR REPLACE FUNCTION public.guard_model_token_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  IF (NEW.id, NEW.user_id, NEW.model_id, NEW.session_id, NEW.name, NEW.prefix, NEW.token_hash, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM (OLD.id, OLD.user_id, OLD.model_id, OLD.session_id, OLD.name, OLD.prefix, OLD.token_hash, OLD.created_at, OLD.expires_at) THEN
    RAISE EXCEPTION 'a model token''s identity, name and expiry never change'
      USING ERRCODE = 'restrict_violation', HINT = 'Revoke the token and create another.';
  END IF;
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'a revoked model token stays revoked'
      USING ERRCODE = 'restrict_violation', HINT = 'Create another token.';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS model_tokens_guard ON public.model_tokens;
--> statement-breakpoint
CREATE TRIGGER model_tokens_guard BEFORE UPDATE ON public.model_tokens
  FOR EACH ROW EXECUTE FUNCTION public.guard_model_token_change();
