import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, pgRole, type AnyPgColumn } from "drizzle-orm/pg-core";
import { authUid } from "drizzle-orm/supabase";

/**
 * The trading core's database role (drizzle/0020_ledger_core_role.sql creates it, idempotently: `existing`
 * keeps drizzle-kit from emitting CREATE ROLE). NOLOGIN, a member of `authenticated`, granted to the role the
 * server connects as and to nobody else: the only role that writes the ledger (lib/db/rls.ts withCore).
 */
export const coreRole = pgRole("bullpen_core").existing();

/** The trading core inserts the owner's rows (the owner: auth.uid() of the claims it acts with). */
export const coreInsert = (name: string, userId: AnyPgColumn, extra?: SQL) =>
  pgPolicy(name, { for: "insert", to: coreRole, withCheck: extra ? sql`${userId} = ${authUid} and ${extra}` : sql`${userId} = ${authUid}` });

/** The trading core updates (and locks FOR UPDATE) the owner's rows; which columns, its grants say. */
export const coreUpdate = (name: string, userId: AnyPgColumn) =>
  pgPolicy(name, { for: "update", to: coreRole, using: sql`${userId} = ${authUid}`, withCheck: sql`${userId} = ${authUid}` });
