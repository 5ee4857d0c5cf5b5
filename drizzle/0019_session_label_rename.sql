-- A session's label is the user's name for the run ("prompt v2"), not one of its trading rules: the user may
-- rename it after creation (PATCH /api/v1/sessions/:id). RLS still limits the update to the user's own rows.
GRANT UPDATE (label) ON public.trading_sessions TO authenticated;
