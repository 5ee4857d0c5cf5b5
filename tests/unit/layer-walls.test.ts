import { readdirSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The layers of docs/ARCHITECTURE.md are walls in eslint.config.mjs: crossing one fails `npm run lint`.
 * Each snippet is linted as if it were a file at the given path (nothing is written), with the project's
 * own configuration; each failing case has a passing twin, so neither half can pass by accident.
 */
const ROOT = path.resolve(__dirname, "../..");
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

interface Problem {
  rule: string | null;
  message: string;
}

async function lint(file: string, code: string): Promise<Problem[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

/** The one problem a snippet has, or a failure naming all of them. */
async function onlyProblem(file: string, code: string): Promise<Problem> {
  const problems = await lint(file, code);
  expect(problems, `${file}: ${code}`).toHaveLength(1);
  return problems[0]!;
}

const DB_IMPORT = 'import { createDb } from "@/lib/db/client";\nexport const open = createDb;\n';

describe("layer walls", () => {
  it("the engine imports nothing of the database, by alias or by relative path", async () => {
    const alias = await onlyProblem("lib/engine/wall-probe.ts", DB_IMPORT);
    expect(alias.rule).toBe("no-restricted-imports");
    expect(alias.message).toContain("lib/engine imports nothing of lib but lib/engine");

    const relative = await onlyProblem("lib/engine/wall-probe.ts", 'import { createDb } from "../db/client";\nexport const open = createDb;\n');
    expect(relative.rule).toBe("no-restricted-imports");

    const node = await onlyProblem("lib/engine/wall-probe.ts", 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n');
    expect(node.message).toContain("Node's modules");

    // The same import is legal one layer up.
    expect(await lint("lib/services/wall-probe.ts", DB_IMPORT)).toEqual([]);
  });

  it("the engine and market data may import the error family (lib/errors), and nothing else beside it", async () => {
    const errors = 'import { AppError } from "@/lib/errors";\nexport class Probe extends AppError {}\n';
    expect(await lint("lib/engine/wall-probe.ts", errors)).toEqual([]);
    expect(await lint("lib/engine/wall-probe.ts", errors.replace("@/lib/errors", "../errors"))).toEqual([]);
    expect(await lint("lib/market/providers/wall-probe.ts", errors.replace("@/lib/errors", "../../errors"))).toEqual([]);

    const env = 'import { env } from "@/lib/env";\nexport const read = env;\n';
    expect(await onlyProblem("lib/engine/wall-probe.ts", env)).toMatchObject({ rule: "no-restricted-imports" });
    expect(await onlyProblem("lib/engine/wall-probe.ts", env.replace("@/lib/env", "@/lib/errors-more"))).toMatchObject({ rule: "no-restricted-imports" });
    expect(await onlyProblem("lib/market/wall-probe.ts", env.replace("@/lib/env", "../env"))).toMatchObject({ rule: "no-restricted-imports" });
  });

  it("the engine reads no clock and does no I/O", async () => {
    const now = await onlyProblem("lib/engine/wall-probe.ts", "export const stamp = () => Date.now();\n");
    expect(now).toMatchObject({ rule: "no-restricted-syntax", message: expect.stringContaining("Date.now() reads the clock") });

    expect(await onlyProblem("lib/engine/wall-probe.ts", "export const stamp = () => new Date();\n")).toMatchObject({ rule: "no-restricted-syntax" });
    expect(await onlyProblem("lib/engine/wall-probe.ts", "export const stamp = () => performance.now();\n")).toMatchObject({ rule: "no-restricted-globals" });
    expect(await onlyProblem("lib/engine/wall-probe.ts", 'export const get = () => fetch("https://example.com");\n')).toMatchObject({ rule: "no-restricted-globals" });

    // A time passed in is fine, and so is the clock outside the engine.
    expect(await lint("lib/engine/wall-probe.ts", "export const at = (ms: number) => new Date(ms);\n")).toEqual([]);
    expect(await lint("lib/services/wall-probe.ts", "export const stamp = () => Date.now();\n")).toEqual([]);
  });

  it("the database layer imports no use case", async () => {
    const code = 'import { createModel } from "@/lib/services/models";\nexport const create = createModel;\n';
    const alias = await onlyProblem("lib/db/queries/wall-probe.ts", code);
    expect(alias.rule).toBe("no-restricted-imports");
    expect(alias.message).toContain("lib/db imports nothing of lib/services");

    const relative = await onlyProblem("lib/db/queries/wall-probe.ts", code.replace("@/lib/services/models", "../../services/models"));
    expect(relative.rule).toBe("no-restricted-imports");

    expect(await lint("lib/jobs/wall-probe.ts", code)).toEqual([]);
  });

  it("components import nothing of the database", async () => {
    const alias = await onlyProblem("components/wall-probe.tsx", DB_IMPORT);
    expect(alias.rule).toBe("no-restricted-imports");
    expect(alias.message).toContain("components imports nothing of lib/db");

    expect(await onlyProblem("components/session/wall-probe.tsx", 'import postgres from "postgres";\nexport const sql = postgres;\n')).toMatchObject({ rule: "no-restricted-imports" });

    expect(await lint("components/wall-probe.tsx", 'import { formatUsd } from "@/lib/format";\nexport const show = formatUsd;\n')).toEqual([]);
  });

  it("legal imports pass: down the layers and within a folder", async () => {
    expect(await lint("lib/engine/wall-probe.ts", 'import { ZERO } from "./money";\nexport const nothing = ZERO;\n')).toEqual([]);
    expect(await lint("lib/db/queries/wall-probe.ts", 'import { ORDER_SIDES } from "@/lib/engine";\nimport { sessionOf } from "../../market";\nexport const both = [ORDER_SIDES, sessionOf];\n')).toEqual([]);
  });

  it("only tests import tests/", async () => {
    const code = 'import { testDb } from "@/tests/support/database";\nexport const db = testDb;\n';
    expect(await onlyProblem("lib/services/wall-probe.ts", code)).toMatchObject({ rule: "no-restricted-imports", message: expect.stringContaining("Only tests import tests/") });
    expect(await onlyProblem("app/wall-probe.ts", code)).toMatchObject({ rule: "no-restricted-imports" });
    expect(await lint("lib/services/wall-probe.int.test.ts", code)).toEqual([]);
  });

  it("every source file of lib/, app/ and components/ is inside a wall", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(rel);
      }
    };
    ["lib", "app", "components"].forEach(walk);
    expect(files).toContain("lib/engine/money.ts");
    const unwalled: string[] = [];
    for (const file of files) {
      const config = (await eslint.calculateConfigForFile(path.join(ROOT, file))) as { rules?: Record<string, unknown> };
      if (!config.rules?.["no-restricted-imports"]) unwalled.push(file);
    }
    expect(unwalled).toEqual([]);
  });
});
