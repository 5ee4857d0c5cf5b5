import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, withDatabase } from "../../lib/db/embedded";
import { migrateDatabase } from "../../lib/db/migrate";

/**
 * A fresh database per run: a throwaway embedded PostgreSQL in a temp dir, or, when DATABASE_URL is set,
 * a new database on that server (dropped afterwards). Tests see it as DATABASE_URL.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  let teardown: () => Promise<void>;
  if (external) {
    const name = `bullpen_test_${Date.now()}_${process.pid}`;
    const admin = postgres(external, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    process.env.DATABASE_URL = withDatabase(external, name);
    teardown = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-test-"));
    const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
    process.env.DATABASE_URL = server.url;
    teardown = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  await migrateDatabase(process.env.DATABASE_URL!);
  project.provide("databaseUrl", process.env.DATABASE_URL!);
  return teardown;
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
