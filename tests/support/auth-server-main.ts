/** A child process's auth server (spawnAuthServer in ./auth-server-process.ts): prints its origin, stops on SIGTERM. */
import { createDb } from "@/lib/db/client";
import { startAuthServer } from "./auth-server";

async function main() {
  const { db, client } = createDb(process.env.DATABASE_URL!, 4);
  const server = await startAuthServer(db, JSON.parse(process.argv[2] ?? "{}"));
  console.log(`[auth-server] ${server.origin}`);
  process.once("SIGTERM", () => void server.close().then(() => client.end()).then(() => process.exit(0)));
}
void main();
