/**
 * `npm run build`, and the first step of `npm start`: a production build of the app, skipped when .next
 * already holds the build of these very sources (scripts/build-freshness.ts). `--force` builds anyway.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildFingerprint, buildIsCurrent, recordBuild } from "./build-freshness";

/** Builds unless the build in .next is current; returns whether it built. Throws when the build fails. */
export function ensureBuild({ root = process.cwd(), force = false } = {}): boolean {
  const fingerprint = buildFingerprint(root);
  if (!force && buildIsCurrent(root, fingerprint)) return false;
  console.log("[bullpen] building the app for production (once: reused while the sources are unchanged)");
  const t0 = performance.now();
  const res = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env } });
  if (res.status !== 0) throw new Error(`the production build failed (next build exited with ${res.status ?? res.signal})`);
  recordBuild(root, fingerprint);
  console.log(`[bullpen] built in ${Math.round((performance.now() - t0) / 1000)} s`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    if (!ensureBuild({ force: process.argv.includes("--force") })) console.log("[bullpen] the build in .next is current: nothing to do (--force builds anyway)");
  } catch (err) {
    console.error(`[bullpen] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
