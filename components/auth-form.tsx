"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSupabase } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { signInSchema, signUpSchema } from "@/lib/schemas/auth";
import { safeNext } from "@/lib/safe-next";

type Errors = Partial<Record<"email" | "password" | "form", string>>;

/** Sign-in and sign-up: validated with the same schema as the auth server, then supabase-js. */
export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const getSupabase = useSupabase();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const title = mode === "sign-in" ? "Sign in" : "Sign up";

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = (mode === "sign-in" ? signInSchema : signUpSchema).safeParse({
      email: form.get("email"),
      password: form.get("password"),
    });
    if (!parsed.success) {
      const fieldErrors: Errors = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as "email" | "password"] ??= issue.message;
      setErrors(fieldErrors);
      return;
    }
    setPending(true);
    setErrors({});
    const { error } =
      mode === "sign-in" ? await getSupabase().auth.signInWithPassword(parsed.data) : await getSupabase().auth.signUp(parsed.data);
    if (error) {
      setPending(false);
      const message =
        error.code === "user_already_exists" ? "An account with this email already exists. Sign in instead." : error.message;
      setErrors(error.code === "weak_password" ? { password: message } : { form: message });
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <Card className="mx-auto w-full max-w-sm">
      <h1 className="mb-4 text-xl font-semibold">{title}</h1>
      <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-label={title}>
        <Field id="email" label="Email" error={errors.email}>
          {(aria) => <Input {...aria} name="email" type="email" autoComplete="email" required />}
        </Field>
        <Field id="password" label="Password" error={errors.password} hint={mode === "sign-up" ? "At least 8 characters" : undefined}>
          {(aria) => (
            <Input {...aria} name="password" type="password" autoComplete={mode === "sign-in" ? "current-password" : "new-password"} required />
          )}
        </Field>
        {errors.form && (
          <p role="alert" className="text-sm text-destructive">
            {errors.form}
          </p>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? `${title}…` : title}
        </Button>
      </form>
      <p className="mt-4 text-sm text-muted-foreground">
        {mode === "sign-in" ? (
          <>
            No account yet? <Link className="text-primary underline" href={`/sign-up?next=${encodeURIComponent(next)}`}>Create one</Link>
          </>
        ) : (
          <>
            Have an account? <Link className="text-primary underline" href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </>
        )}
      </p>
    </Card>
  );
}
