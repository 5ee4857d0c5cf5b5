/**
 * `npm run bench:first-hour`: a new user's first hour, on the README's run command (`npm start`) and on
 * `npm run dev` once compiled.
 *
 * For each way of running, on a fresh data dir (its own embedded PostgreSQL and the synthetic market):
 *   1. the app starts as a person starts it (the launcher: web server and workers);
 *   2. a user signs up, signs in in Chromium and creates `builtin:momentum`;
 *   3. (dev only) every page measured is opened once first, so what is measured is not the first compile;
 *   4. Start → live viewer: on the dashboard, the Start dialog, an intraday replay of every symbol as fast as
 *      possible, Start clicked; the time until the viewer shows decisions streaming in. The baseline, the same
 *      flow for one symbol, is measured first;
 *   5. the landing page (the dashboard a signed-in person lands on) fetched --samples times one after another,
 *      first with nothing running (the baseline), then while 4 all-symbol replays run as fast as possible.
 *
 * Prints the figures, then one JSON line:
 * {"start":{"start_to_live_ms":…,"baseline_start_to_live_ms":…,"landing_p95_ms":…,"landing_p50_ms":…,"baseline_landing_p95_ms":…,"replays_running":…},
 *  "dev":{…the same…}}
 * Targets (issue #26): start_to_live_ms ≤ 3000 on both, landing_p95_ms ≤ 300 while 4 replays run.
 * Options: --modes start,dev (default both), --port <n> (default 3431), --samples <n> (default 40), --keep (leave the data dirs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import config from "../playwright.config";
import { ensureBuild } from "../scripts/build";
import { appClient, waitForApp } from "./app-client";

const { values: args } = parseArgs({
  options: {
    modes: { type: "string", default: "start,dev" },
    port: { type: "string", default: "3431" },
    samples: { type: "string", default: "40" },
    keep: { type: "boolean", default: false },
  },
});
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const SAMPLES = Number(args.samples);
const PASSWORD = "bench password 123";
const api = appClient(BASE);
const log = (...a: unknown[]) => console.log("[bench:first-hour]", ...a);
/** Progress, to stderr: where a run that stalls has got to. */
const step = (what: string) => process.stderr.write(`[bench:first-hour] … ${what}\n`);

type Mode = "start" | "dev";

/** The launcher as a person runs it, in a process group of its own (so it can be stopped as Ctrl-C stops it). */
function launch(mode: Mode, dataDir: string): ChildProcess {
  const child = spawn("npm", mode === "start" ? ["start"] : ["run", "dev"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      BULLPEN_DATA_DIR: dataDir,
      PORT: String(PORT),
      // Four replays at once by one person (the default allows three), and the bench's sign-ins.
      SESSION_CONCURRENCY_PER_USER: "8",
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      RATE_LIMIT_SIGN_INS_PER_MINUTE: "10000",
      RATE_LIMIT_SESSIONS_PER_HOUR: "10000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once("exit", r));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // the group has already exited
    }
  };
  signal("SIGINT");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
  if (child.exitCode === null) signal("SIGKILL");
}

async function signedInPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000); // a step that cannot happen fails, saying which, instead of waiting for ever
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard$/, { timeout: 120_000 });
  return page;
}

/**
 * The dashboard's Start dialog, an intraday replay of `symbols` ("" = every symbol) at full speed, Start
 * clicked: ms until the viewer shows a decision. The dialog's own prefilled day is used.
 */
interface StartToLive {
  ms: number;
  actionMs: number;
  viewerMs: number;
  /** After the click: the runner's claim (the session's startedAt). */
  claimedMs: number;
  id: string;
}

async function startToLive(page: Page, symbols: string, token: string): Promise<StartToLive> {
  step(`start ${symbols || "every symbol"}: the dashboard`);
  await page.goto("/dashboard");
  const dialog = page.getByRole("dialog", { name: "Start a session" });
  for (let i = 0; i < 40 && !(await dialog.isVisible()); i++) {
    await page.getByRole("button", { name: "Start session" }).click();
    await dialog.waitFor({ timeout: 1_000 }).catch(() => {});
  }
  step("the dialog");
  await dialog.getByLabel("Kind").selectOption({ label: "Intraday replay" });
  await dialog.getByLabel("Decide every (minutes)").fill("1");
  await dialog.getByLabel("Symbols").fill(symbols);
  const action = page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined, { timeout: 300_000 });
  const t0 = performance.now();
  const clickedAt = Date.now();
  await dialog.getByRole("button", { name: "Start session" }).click();
  step("Start clicked");
  await action; // its headers: in development the answer's stream stays open past the navigation
  const actionMs = Math.round(performance.now() - t0);
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 300_000 });
  const viewerMs = Math.round(performance.now() - t0);
  step("the viewer");
  const heading = page.getByRole("heading", { name: /^Decisions \(\d/ });
  await heading.filter({ hasNotText: /^Decisions \(0\)$/ }).waitFor({ timeout: 300_000 });
  const ms = Math.round(performance.now() - t0);
  const id = /\/sessions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const { session } = await api<{ session: { startedAt: string | null } }>(`/api/v1/sessions/${id}`, { token });
  return { ms, actionMs, viewerMs, claimedMs: session.startedAt ? Date.parse(session.startedAt) - clickedAt : -1, id };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

/** The landing page fetched `n` times one after another with the page's cookies: each answer's ms. */
async function landingTimes(page: Page, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await page.request.get("/dashboard", { maxRedirects: 0 });
    await res.body();
    if (res.status() !== 200) throw new Error(`the landing page answered ${res.status()}`);
    out.push(performance.now() - t0);
  }
  return out;
}

async function runMode(browser: Browser, mode: Mode) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `bullpen-bench-first-hour-${mode}-`));
  const t0 = performance.now();
  const app = launch(mode, dataDir);
  try {
    await waitForApp(BASE, app, 300_000);
    log(`${mode}: the app answered ${Math.round((performance.now() - t0) / 1000)} s after the run command`);
    const email = `first-hour-${randomUUID().slice(0, 8)}@example.com`;
    const { access_token: token } = await api<{ access_token: string }>("/auth/v1/signup", { method: "POST", body: { email, password: PASSWORD } });
    const { model } = await api<{ model: { id: string } }>("/api/v1/models", {
      method: "POST",
      token,
      body: { name: "Momentum", signature: `momentum-${mode}`, llm: "builtin:momentum", startingCash: "100000" },
    });
    const page = await signedInPage(browser, email);
    if (mode === "dev") {
      // Compiled once: the dashboard and a viewer (a one-symbol replay), as a developer has them after a first look.
      const warm = performance.now();
      await startToLive(page, "ZZSOLR", token);
      await landingTimes(page, 2);
      log(`dev: pages compiled in ${Math.round((performance.now() - warm) / 1000)} s`);
    }
    const baseline = await startToLive(page, "ZZSOLR", token);
    const full = await startToLive(page, "", token);
    const parts = (r: typeof full) =>
      `the action's answer began after ${r.actionMs} ms, the runner claimed it after ${r.claimedMs} ms, the viewer's URL came after ${r.viewerMs} ms`;
    log(`${mode}: Start → live viewer ${full.ms} ms for every symbol (${parts(full)}); one symbol: ${baseline.ms} ms (${parts(baseline)})`);

    const idle = await landingTimes(page, SAMPLES);
    // Four replays of every symbol, as fast as possible, started over the API like the dialog starts them.
    const { session: first } = await api<{ session: { start: string } }>(`/api/v1/sessions/${full.id}`, { token });
    const day = first.start.slice(0, 10); // the day the dialog prefilled
    const replays: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { session } = await api<{ session: { id: string } }>("/api/v1/sessions", { method: "POST", token, body: { modelId: model.id, kind: "replay", day, decideEvery: 1 } });
      replays.push(session.id);
    }
    const running = async () => {
      let n = 0;
      for (const id of replays) if ((await api<{ session: { status: string } }>(`/api/v1/sessions/${id}`, { token })).session.status === "running") n++;
      return n;
    };
    for (let i = 0; i < 100 && (await running()) < 4; i++) await new Promise((r) => setTimeout(r, 200));
    const busy = await landingTimes(page, SAMPLES);
    const stillRunning = await running();
    const result = {
      start_to_live_ms: full.ms,
      baseline_start_to_live_ms: baseline.ms,
      landing_p95_ms: pct(busy, 95),
      landing_p50_ms: pct(busy, 50),
      baseline_landing_p95_ms: pct(idle, 95),
      replays_running: stillRunning,
    };
    log(`${mode}: landing page p95 ${result.landing_p95_ms} ms (p50 ${result.landing_p50_ms}) while 4 replays run (${stillRunning} still running at the end); ${result.baseline_landing_p95_ms} ms with nothing running`);
    await page.context().close();
    return result;
  } finally {
    await stop(app);
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const modes = args.modes.split(",").map((m) => m.trim()) as Mode[];
  if (modes.includes("start")) ensureBuild(); // built before the clock starts: the build is not the first hour's
  const browser = await chromium.launch({ ...config.use?.launchOptions, headless: true });
  const out: Partial<Record<Mode, Awaited<ReturnType<typeof runMode>>>> = {};
  try {
    for (const mode of modes) out[mode] = await runMode(browser, mode);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench:first-hour] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
