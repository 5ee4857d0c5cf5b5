import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decryptSecret, encryptSecret, loadEncryptionKey, redactSecret, SecretError } from "./secrets";

const key = randomBytes(32);
const apiKey = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

describe("secrets", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the blob", () => {
    const a = encryptSecret(apiKey, key);
    const b = encryptSecret(apiKey, key);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, key)).toBe(apiKey);
    for (const piece of [apiKey, apiKey.slice(8, 20), Buffer.from(apiKey).toString("base64").slice(0, 16)]) {
      expect(a).not.toContain(piece);
    }
    expect(decryptSecret(encryptSecret("", key), key)).toBe("");
    expect(decryptSecret(encryptSecret("ключ🔑", key), key)).toBe("ключ🔑");
  });

  it("detects tampering: any flipped byte of IV, tag or ciphertext fails", () => {
    const blob = encryptSecret(apiKey, key);
    const [v, ...parts] = blob.split(":");
    for (let p = 0; p < 3; p++) {
      const bytes = Buffer.from(parts[p]!, "base64");
      bytes[0]! ^= 0x01;
      const tampered = [v, ...parts.map((x, i) => (i === p ? bytes.toString("base64") : x))].join(":");
      expect(() => decryptSecret(tampered, key)).toThrow(SecretError);
    }
    expect(() => decryptSecret("v2:a:b:c", key)).toThrow(/unknown format/);
  });

  it("fails with the wrong key or the wrong context", () => {
    const blob = encryptSecret(apiKey, key, "model-1");
    expect(decryptSecret(blob, key, "model-1")).toBe(apiKey);
    expect(() => decryptSecret(blob, randomBytes(32), "model-1")).toThrow(/cannot be decrypted/);
    expect(() => decryptSecret(blob, key, "model-2")).toThrow(SecretError);
    expect(() => encryptSecret(apiKey, randomBytes(16))).toThrow(/32 bytes/);
  });

  it("refuses to store keys without BULLPEN_ENCRYPTION_KEY", () => {
    expect(() => loadEncryptionKey(undefined)).toThrow(/set BULLPEN_ENCRYPTION_KEY|needs BULLPEN_ENCRYPTION_KEY/);
    try {
      loadEncryptionKey(undefined);
    } catch (e) {
      expect((e as SecretError).code).toBe("ENCRYPTION_KEY_MISSING");
    }
    expect(loadEncryptionKey(key)).toBe(key);
  });

  it("redacts to a hint", () => {
    expect(redactSecret(apiKey)).toBe("sk-…•••• 6789");
    expect(redactSecret("gsk_abcdefghijklmnop1234")).toBe("…•••• 1234");
    expect(redactSecret("short")).toBe("••••");
    expect(redactSecret(apiKey)).not.toContain("AbCd");
  });
});

describe("BULLPEN_ENCRYPTION_KEY in lib/env", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const loadEnv = async (value: string) => {
    vi.stubEnv("BULLPEN_ENCRYPTION_KEY", value);
    vi.resetModules();
    return (await import("@/lib/env")).env.BULLPEN_ENCRYPTION_KEY;
  };

  it("accepts 32 bytes as hex or base64, and unset", async () => {
    expect((await loadEnv(key.toString("hex")))?.equals(key)).toBe(true);
    expect((await loadEnv(key.toString("base64")))?.equals(key)).toBe(true);
    expect((await loadEnv(key.toString("base64url")))?.equals(key)).toBe(true);
    expect(await loadEnv("")).toBeUndefined();
  });

  it("refuses anything else with a clear message", async () => {
    await expect(loadEnv(randomBytes(16).toString("base64"))).rejects.toThrow(/BULLPEN_ENCRYPTION_KEY must be 32 bytes as 64 hex digits or base64/);
    await expect(loadEnv("correct horse battery staple")).rejects.toThrow(/openssl rand -base64 32/);
  });
});
