import "server-only";
import { randomUUID } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Db } from "@/lib/db/client";
import { signingKeys } from "@/lib/db/schema";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let cached: Promise<SigningKey> | null = null;

/** The ES256 key that signs access tokens: created once, persisted, shared by every process. */
export function getSigningKey(db: Db): Promise<SigningKey> {
  cached ??= loadOrCreate(db).catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function loadOrCreate(db: Db): Promise<SigningKey> {
  const row = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(72617)`);
    const [existing] = await tx.select().from(signingKeys).orderBy(desc(signingKeys.createdAt)).limit(1);
    if (existing) return existing;
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig", key_ops: ["verify"] };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "ES256" };
    const [created] = await tx.insert(signingKeys).values({ kid, privateJwk, publicJwk }).returning();
    return created!;
  });
  const privateKey = (await importJWK(row.privateJwk as JWK, "ES256")) as CryptoKey;
  return { kid: row.kid, privateKey, publicJwk: row.publicJwk as JWK };
}
