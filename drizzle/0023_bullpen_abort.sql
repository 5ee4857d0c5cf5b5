-- bullpen_abort(code, detail): raises, so the statement fails and its transaction rolls back. For ledger
-- writes sent with their COMMIT before any answer is read (lib/db/rls.ts, oneTripAsCore): a condition that
-- must not commit (a bar that is not the runner's to write, a position without a price) cannot be returned
-- to the caller and judged there, so the statement itself refuses. The code is the message; the detail, if
-- any, says what; SQLSTATE BP001 (lib/db/rls.ts, abortOf). Only the trading core's role may call it; the
-- Data API's roles never can.
CREATE OR REPLACE FUNCTION public.bullpen_abort(code text, detail text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'BP001', MESSAGE = code, DETAIL = coalesce(detail, '');
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.bullpen_abort(text, text) FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.bullpen_abort(text, text) TO bullpen_core;
