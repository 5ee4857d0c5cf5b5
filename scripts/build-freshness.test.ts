import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildFingerprint, buildIsCurrent, recordBuild } from "./build-freshness";

let root: string;
function project() {
  root = mkdtempSync(path.join(os.tmpdir(), "bullpen-build-"));
  for (const d of ["app", "lib", ".next", "e2e"]) mkdirSync(path.join(root, d));
  writeFileSync(path.join(root, "app/page.tsx"), "export default 1;");
  writeFileSync(path.join(root, "lib/money.ts"), "export const a = 1;");
  writeFileSync(path.join(root, "package-lock.json"), "{}");
  writeFileSync(path.join(root, ".next/BUILD_ID"), "x");
  return root;
}
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("build freshness", () => {
  it("a recorded build is current until a source, the lock or a NEXT_PUBLIC_ variable changes", () => {
    const r = project();
    const fp = buildFingerprint(r, {});
    expect(buildIsCurrent(r, fp)).toBe(false); // never recorded
    recordBuild(r, fp);
    expect(buildIsCurrent(r, buildFingerprint(r, {}))).toBe(true);
    expect(buildFingerprint(r, { NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.co" })).not.toBe(fp);
    expect(buildFingerprint(r, { DATABASE_URL: "postgres://elsewhere" })).toBe(fp); // read at run time, not built in
    writeFileSync(path.join(r, "package-lock.json"), '{"v":2}');
    expect(buildIsCurrent(r, buildFingerprint(r, {}))).toBe(false);
  });

  it("tests and files outside the app do not make a new build", () => {
    const r = project();
    const fp = buildFingerprint(r, {});
    writeFileSync(path.join(r, "lib/money.test.ts"), "test");
    writeFileSync(path.join(r, "e2e/a.spec.ts"), "test");
    writeFileSync(path.join(r, "README.md"), "# hi");
    expect(buildFingerprint(r, {})).toBe(fp);
    writeFileSync(path.join(r, "lib/new-file.ts"), "export {};");
    expect(buildFingerprint(r, {})).not.toBe(fp);
  });

  it("a build made by hand after the record is not taken for the recorded one", () => {
    const r = project();
    const fp = buildFingerprint(r, {});
    recordBuild(r, fp);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(r, ".next/BUILD_ID"), later, later);
    expect(buildIsCurrent(r, fp)).toBe(false);
  });
});
