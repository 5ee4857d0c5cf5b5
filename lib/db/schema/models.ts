import { sql } from "drizzle-orm";
import { boolean, index, jsonb, numeric, pgPolicy, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import type { TradingDefaults } from "@/lib/schemas/session";
import { profiles } from "./profiles";

/** A trading model: an LLM or a built-in strategy with a prompt and a starting balance. */
export const models = pgTable(
  "models",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .default(sql`auth.uid()`)
      .references(() => profiles.id, { onDelete: "cascade" }),
    name: text().notNull(),
    signature: text().notNull(),
    description: text().notNull().default(""),
    llm: text().notNull(),
    instructions: text().notNull().default(""),
    startingCash: numeric({ precision: 20, scale: 6 }).notNull(),
    /** Fees, slippage and shorting its sessions start with (lib/schemas/session.ts tradingDefaultsSchema). */
    trading: jsonb().$type<TradingDefaults>().notNull().default({}),
    /** The model's own API key, AES-256-GCM (lib/agent/secrets.ts, bound to the model id). Never sent to the browser. */
    apiKeyCiphertext: text(),
    /** What the UI shows of a stored key, e.g. "sk-…•••• abcd" (redactSecret at save time). */
    apiKeyHint: text(),
    isActive: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    unique("models_user_signature_unique").on(t.userId, t.signature),
    /** What rows naming a model and its owner refer to (model_tokens: a token cannot name another user's model). */
    unique("models_id_user_unique").on(t.id, t.userId),
    index("models_user_created_idx").on(t.userId, t.createdAt),
    pgPolicy("models_owner_all", {
      for: "all",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid}`,
      withCheck: sql`${t.userId} = ${authUid}`,
    }),
  ],
).enableRLS();
