-- "Ask the model" conversations: the owner reads and appends; nobody updates or deletes (the record of
-- what the model was asked and answered stays with the session; deleting the session cascades).
-- Identity columns need no sequence grant.
REVOKE ALL ON public.session_chat_messages FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT, INSERT ON public.session_chat_messages TO authenticated;
