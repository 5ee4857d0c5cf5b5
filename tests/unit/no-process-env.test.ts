import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The bug Bullpen exists to prevent began with ambient configuration: a trade tool that asked the
 * environment which model it was trading for. Only lib/env.ts may read process.env (ESLint enforces
 * it too; this test also catches files the linter is told to skip). Tests, e2e, scripts, benchmarks, examples (programs
 * that talk to the app from outside) and config files are outside the app and may read it.
 */
const ROOT = path.resolve(__dirname, "../..");
const SKIP_DIRS = new Set(["node_modules", ".next", ".data", ".git", "tests", "e2e", "scripts", "bench", "examples", "test-results", "playwright-report", "drizzle"]);
const ALLOWED = new Set(["lib/env.ts"]);
const isProcess = (node: ts.Node) => ts.isIdentifier(node) && node.text === "process";

/** Reads of `process.env` in code (not comments): process.env, process?.env, process["env"], `{ env } = process`. */
function readsEnv(text: string, fileName = "file.ts"): boolean {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && isProcess(node.expression) && node.name.text === "env") found = true;
    else if (ts.isElementAccessExpression(node) && isProcess(node.expression) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === "env") found = true;
    else if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer) && ts.isObjectBindingPattern(node.name)) {
      found = node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === "env");
    } else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) sourceFiles(path.join(dir, entry.name), out);
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") && !/\.config\.ts$/.test(entry.name)) {
      out.push(path.relative(ROOT, path.join(dir, entry.name)));
    }
  }
  return out;
}

describe("configuration is read in one place", () => {
  const files = sourceFiles(ROOT);

  it("scans the app's sources", () => {
    expect(files).toContain("lib/trading/tools/trade.ts");
    expect(files).toContain("lib/trading/decide.ts");
    expect(files.some((f) => f.startsWith("app/"))).toBe(true);
  });

  it("no file but lib/env.ts reads process.env", () => {
    const offenders = files.filter((f) => !ALLOWED.has(f) && readsEnv(readFileSync(path.join(ROOT, f), "utf8"), f));
    expect(offenders).toEqual([]);
  });

  it("the pattern finds the ways of reading it (the test can fail)", () => {
    for (const text of ["const k = process.env.OPENAI_API_KEY", "f(process?.env)", 'const x = process["env"].X', "const { env } = process", "const { env: e } = process"]) {
      expect(readsEnv(text), text).toBe(true);
    }
    expect(readsEnv(readFileSync(path.join(ROOT, "lib/env.ts"), "utf8"))).toBe(true);
    expect(readsEnv("// reads process.env\n/* process.env */ const s = 'process.env'; const e = processEnvironment(env)")).toBe(false);
  });
});
