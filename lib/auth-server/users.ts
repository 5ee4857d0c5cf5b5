import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";

/** The user object Supabase Auth returns. */
export interface AuthUser {
  id: string;
  aud: "authenticated";
  role: "authenticated";
  email: string;
  email_confirmed_at: string | null;
  confirmed_at: string | null;
  last_sign_in_at: string | null;
  phone: "";
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  identities: [];
  created_at: string;
  updated_at: string;
  is_anonymous: false;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  email: string;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toAuthUser(r: UserRow): AuthUser {
  return {
    id: r.id,
    aud: "authenticated",
    role: "authenticated",
    email: r.email,
    email_confirmed_at: iso(r.email_confirmed_at),
    confirmed_at: iso(r.email_confirmed_at),
    last_sign_in_at: iso(r.last_sign_in_at),
    phone: "",
    app_metadata: r.raw_app_meta_data ?? { provider: "email", providers: ["email"] },
    user_metadata: r.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    is_anonymous: false,
  };
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const rows = await db.execute<UserRow>(sql`select * from auth.users where lower(email) = ${email.toLowerCase()}`);
  return rows[0];
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const rows = await db.execute<UserRow>(sql`select * from auth.users where id = ${id}`);
  return rows[0];
}

/** Inserts the user; returns undefined when the email is taken. */
export async function insertUser(
  db: Executor,
  u: { email: string; passwordHash: string; metadata: Record<string, unknown> },
): Promise<UserRow | undefined> {
  const rows = await db.execute<UserRow>(sql`
    insert into auth.users (email, encrypted_password, email_confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data)
    values (${u.email.toLowerCase()}, ${u.passwordHash}, now(), now(),
            ${JSON.stringify({ provider: "email", providers: ["email"] })}::jsonb, ${JSON.stringify(u.metadata)}::jsonb)
    on conflict (email) do nothing
    returning *`);
  return rows[0];
}

export async function touchSignIn(db: Executor, id: string): Promise<UserRow> {
  const rows = await db.execute<UserRow>(sql`update auth.users set last_sign_in_at = now() where id = ${id} returning *`);
  return rows[0]!;
}
