import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".data/**", "node_modules/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Configuration comes from lib/env.ts only: the bug this project exists to prevent began with ambient config.
    files: ["**/*.{ts,tsx}"],
    ignores: ["lib/env.ts", "*.config.ts", "e2e/**", "tests/**", "scripts/**", "bench/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts" }],
    },
  },
];

export default config;
