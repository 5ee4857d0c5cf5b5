import "server-only";
import { hash, verify } from "@node-rs/argon2";

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Spend the same time on unknown emails as on wrong passwords, so sign-in does not reveal accounts. */
const DUMMY = hash("bullpen-timing-equaliser");
export async function burnTime(password: string): Promise<void> {
  await verify(await DUMMY, password).catch(() => false);
}
