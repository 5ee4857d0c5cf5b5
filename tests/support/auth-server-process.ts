import type { ChildProcess } from "node:child_process";
import { spawnScript } from "./worker-process";

/**
 * The built-in auth server (tests/support/auth-server.ts) in a process of its own on DATABASE_URL: what a
 * second web process or machine is to the rate limits. `options` go to startAuthServer (the same `prefix`
 * as a server in the test's process: the two count together). Resolves with its origin once it listens.
 */
export async function spawnAuthServer(url: string, options: object, children?: Set<ChildProcess>): Promise<{ child: ChildProcess; origin: string }> {
  const { child, match } = await spawnScript("tests/support/auth-server-main.ts", { url, args: [JSON.stringify(options)], ready: /\[auth-server\] (http:\/\/\S+)/, children });
  return { child, origin: match[1]! };
}
