/**
 * Is the production build in .next the build of these sources? `npm start` builds once and reuses the build
 * while nothing that goes into it has changed: the app's sources, its configuration, the installed packages'
 * lock and the NEXT_PUBLIC_* variables Next inlines at build time. Tests, benchmarks and docs are not part of
 * the build. The fingerprint of the last successful build is kept next to it in .next.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["proxy.ts", "next.config.ts", "tsconfig.json", "postcss.config.mjs", "package.json", "package-lock.json"];
const NOT_BUILT = /\.(test|spec)\.tsx?$/;
const STAMP = ".next/bullpen-build-fingerprint";

function walk(dir: string, out: string[]) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile() && !NOT_BUILT.test(entry.name)) out.push(p);
  }
}

/** A digest of everything the build is made of, under `root`. */
export function buildFingerprint(root: string, environment: Record<string, string | undefined> = process.env): string {
  const files: string[] = [];
  for (const d of SOURCE_DIRS) if (existsSync(path.join(root, d))) walk(path.join(root, d), files);
  for (const f of SOURCE_FILES) if (existsSync(path.join(root, f))) files.push(path.join(root, f));
  const hash = createHash("sha256");
  for (const f of files.sort()) {
    hash.update(path.relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  for (const k of Object.keys(environment).filter((k) => k.startsWith("NEXT_PUBLIC_")).sort()) {
    hash.update(`${k}=${environment[k] ?? ""}\0`);
  }
  return hash.digest("hex");
}

/** True when .next holds a complete build of exactly these sources. */
export function buildIsCurrent(root: string, fingerprint: string): boolean {
  const stamp = path.join(root, STAMP);
  if (!existsSync(path.join(root, ".next/BUILD_ID")) || !existsSync(stamp)) return false;
  // A build that started after the stamp was written (`next build` by hand) replaced what it describes.
  if (statSync(path.join(root, ".next/BUILD_ID")).mtimeMs > statSync(stamp).mtimeMs) return false;
  return readFileSync(stamp, "utf8").trim() === fingerprint;
}

export function recordBuild(root: string, fingerprint: string) {
  writeFileSync(path.join(root, STAMP), `${fingerprint}\n`);
}
