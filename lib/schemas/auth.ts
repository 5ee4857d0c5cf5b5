import { z } from "zod";

/** One schema for the sign-up/sign-in forms and the built-in auth server. */
export const PASSWORD_MIN = 8;

export const emailSchema = z
  .string()
  .trim()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address, like name@example.com"));

export const signUpSchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
    .max(128, "Password must be at most 128 characters"),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(128, "Password must be at most 128 characters"),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
