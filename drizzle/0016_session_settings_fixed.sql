-- A session's trading rules are fixed when it is created (like its model's llm and prompt, 0015): nothing
-- updates them, so a signed-in user may not either (0005 had granted it). Status and the runner's columns stay.
REVOKE UPDATE (settings) ON public.trading_sessions FROM authenticated;
