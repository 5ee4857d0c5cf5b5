-- Every auth user gets a profile; emails listed in admin_emails become admins.
CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  INSERT INTO public.profiles (id, email, role)
  VALUES (
    NEW.id,
    coalesce(NEW.email, ''),
    CASE WHEN EXISTS (SELECT 1 FROM public.admin_emails a WHERE a.email = lower(NEW.email))
         THEN 'admin'::public.user_role ELSE 'user'::public.user_role END
  )
  ON CONFLICT (id) DO NOTHING;
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS on_auth_user_created ON auth.users;
--> statement-breakpoint
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
--> statement-breakpoint
-- Users read and rename their own profile; only the server (or admin:grant) changes roles.
REVOKE ALL ON public.profiles FROM anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.profiles TO authenticated;
--> statement-breakpoint
GRANT UPDATE (display_name) ON public.profiles TO authenticated;
--> statement-breakpoint
REVOKE ALL ON public.admin_emails FROM anon, authenticated;
--> statement-breakpoint
REVOKE ALL ON public.models FROM anon;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON public.models TO authenticated;
--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA local_auth FROM anon, authenticated;
