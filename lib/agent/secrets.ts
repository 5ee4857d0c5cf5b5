import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

/**
 * API keys stored on models: AES-256-GCM with a random 12-byte IV, key from BULLPEN_ENCRYPTION_KEY.
 * Format `v1:<iv b64>:<tag b64>:<ciphertext b64>`. Decrypted keys are used server-side only (provider
 * factory); never return them to the browser or log them: show `redactSecret(…)` instead.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretErrorCode = "ENCRYPTION_KEY_MISSING" | "SECRET_UNREADABLE" | "INVALID_ENCRYPTION_KEY";

/** A key that cannot be stored (reject: the configuration) or read back (halt: a person must store it again). */
export class SecretError extends AppError {
  declare readonly code: SecretErrorCode;
  constructor(code: SecretErrorCode, message: string, fieldErrors: Record<string, string> = {}) {
    super(code === "SECRET_UNREADABLE" ? "halt" : "reject", code, message, fieldErrors);
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new SecretError("INVALID_ENCRYPTION_KEY", `the encryption key must be 32 bytes, got ${key.length}`);
}

/**
 * Encrypts `plaintext`. `context` (e.g. the model id) is bound as additional authenticated data: the blob
 * then decrypts only with the same context, so a blob copied onto another row is useless.
 */
export function encryptSecret(plaintext: string, key: Buffer, context = ""): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${VERSION}:${context}`, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ciphertext.toString("base64")].join(":");
}

/** Decrypts a blob from `encryptSecret`; a wrong key, context or any changed byte is a SecretError. */
export function decryptSecret(blob: string, key: Buffer, context = ""): string {
  checkKey(key);
  const unreadable = (why: string) =>
    new SecretError("SECRET_UNREADABLE", `The stored API key cannot be decrypted (${why}); store the key on the model again`);
  const parts = blob.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw unreadable("unknown format");
  const [, ivText, tagText, dataText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, "base64");
  const tag = Buffer.from(tagText, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw unreadable("malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${VERSION}:${context}`, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw unreadable("wrong BULLPEN_ENCRYPTION_KEY, or the value was changed");
  }
}

/**
 * The configured key. Unset: storing (or reading) a per-model key is refused with a clear message;
 * server-wide keys (OPENAI_API_KEY, …) and built-in models work without it.
 */
export function loadEncryptionKey(configured: Buffer | undefined = env.BULLPEN_ENCRYPTION_KEY): Buffer {
  if (!configured) {
    throw new SecretError(
      "ENCRYPTION_KEY_MISSING",
      "Storing API keys on models needs BULLPEN_ENCRYPTION_KEY: set it to 32 random bytes (openssl rand -base64 32) and restart",
    );
  }
  checkKey(configured);
  return configured;
}

/** "sk-proj-abc…wxyz" → "sk-…•••• wxyz": a recognisable hint that reveals nothing usable. */
export function redactSecret(secret: string): string {
  const s = secret.trim();
  if (s.length < 12) return "••••";
  const dash = s.indexOf("-");
  const prefix = dash > 0 && dash <= 3 ? s.slice(0, dash + 1) : "";
  return `${prefix}…•••• ${s.slice(-4)}`;
}
