-- Shares per unit of a symbol (issue #23 item 1): 100 for an option contract in the compact OCC form (root of 1–6
-- letters or digits starting with a letter, expiry yymmdd, C or P, strike × 1000 in 8 digits), 1 for a stock. The
-- same rule as the engine's multiplierOf (lib/engine/cash-ledger.ts; the two are tested against each other), so the
-- bar's valuation in SQL (RECORD_BAR, lib/db/queries/sessions.ts) values a contract as the engine does.
CREATE OR REPLACE FUNCTION public.contract_multiplier(symbol text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN symbol ~ '^[A-Z][A-Z0-9]{0,5}[0-9]{6}[CP][0-9]{8}$' THEN 100 ELSE 1 END $$;
