-- Market data is shared and read-only to signed-in users.
REVOKE ALL ON public.instruments, public.bars FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.instruments, public.bars TO authenticated;
