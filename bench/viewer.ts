/**
 * `npm run bench:viewer`: does the session viewer stay smooth with 10,000 decisions?
 *
 *   1. a fresh embedded PostgreSQL in a temp dir; the production server (`npm start`, built first unless
 *      .next holds the build of these sources) on it, without a worker;
 *   2. a user signs up and creates a model through the app; a finished session with --decisions decisions
 *      (held, traded with an order and a fill, some failed with tool errors), their orders and fills and an
 *      equity point per bar is inserted directly as the table owner;
 *   3. Chromium, launched as playwright.config.ts launches it, signs in and opens the viewer. A
 *      PerformanceObserver records long tasks (> 50 ms on the main thread) while the page loads (until
 *      every older decision has arrived in the feed) and while the decision feed is scrolled from the
 *      newest decision to the oldest, one wheel-sized step (240 px) a frame;
 *   4. the baseline, measured first in the same run: the same page for a session of --baseline decisions
 *      (default 100). Each is opened cold: in a browser context of its own, just signed in.
 *
 * Prints the figures, then one JSON line:
 * {"decisions":10000,"load_ms":…,"long_tasks_load":…,"long_tasks_scroll":…,"max_long_task_ms":…,"load_cpu_ms":…,"max_task_cpu_ms":…,
 *  "baseline_decisions":100,"baseline_long_tasks":…,"baseline_load_cpu_ms":…,"baseline_max_task_cpu_ms":…}
 * (the *_cpu_ms from the trace: the main thread's CPU time while loading, and the most one task got)
 * Options: --decisions <n> (default 10000), --baseline <n> (default 100), --port <n> (default 3411), --keep (leave the data dir),
 * --profile (trace both: the functions with the most self time, and what each task over 50 ms was made of),
 * --trace-dir <dir> (write the traces there as load.json and scroll.json, the baseline's as baseline-load.json and
 *   baseline-scroll.json, for the DevTools Performance panel).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import config from "../playwright.config";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureBuild } from "../scripts/build";
import { appClient, waitForApp } from "./app-client";
import { nearestIndex } from "@/lib/viewer/chart";
import { explainLongTasks, formatLongTasks, formatTaskTimes, mainThreadBusy, startTrace, TASK_CATEGORIES, TRACE_CATEGORIES, timelineBreakdown, topFunctions, type TraceEvent } from "./trace";

const { values: args } = parseArgs({
  options: {
    decisions: { type: "string", default: "10000" },
    baseline: { type: "string", default: "100" },
    port: { type: "string", default: "3411" },
    keep: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "trace-dir": { type: "string" },
  },
});
const DECISIONS = Number(args.decisions);
const BASELINE = Number(args.baseline);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const EMAIL = `bench-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "bench password 123";
const SYMBOLS = ["ZZSOLR", "ZZPETR", "ZZWIND", "ZZGRID", "ZZFUEL"];
const STARTING_CASH = 100_000;

const api = appClient(BASE);
const log = (...a: unknown[]) => console.log("[bench:viewer]", ...a);

/** Hourly bar times (14:30…20:30 UTC, weekdays), the last one on 2025-12-31: n of them, oldest first. */
function hourlySchedule(n: number): Date[] {
  const out: Date[] = [];
  const day = new Date(Date.UTC(2025, 11, 31));
  while (out.length < n) {
    const wd = day.getUTCDay();
    if (wd !== 0 && wd !== 6) for (let h = 20; h >= 14 && out.length < n; h--) out.push(new Date(day.getTime() + (h * 60 + 30) * 60_000));
    day.setUTCDate(day.getUTCDate() - 1);
  }
  return out.reverse();
}

/** The session and everything in it, written as the table owner in one transaction. */
async function seed(sql: postgres.Sql, userId: string, modelId: string, n: number): Promise<string> {
  const sessionId = randomUUID();
  const times = hourlySchedule(n);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const decisions: Record<string, unknown>[] = [];
  const orders: Record<string, unknown>[] = [];
  const fills: Record<string, unknown>[] = [];
  const equity: Record<string, unknown>[] = [];
  const held = new Map<string, number>();
  // Fills at a price of the synthetic market the server seeded (the open of its hour bar nearest the clock,
  // within two hours), so the markers sit on the price chart's line; an invented price where that market has
  // no bar (it holds 2025 only).
  const hourBars = await sql<{ symbol: string; start: Date; open: number }[]>`
    select symbol, start, open from bars where interval = 'hour' and symbol = any(${SYMBOLS}) order by symbol, start`;
  const bySymbol = new Map(SYMBOLS.map((s) => [s, hourBars.filter((b) => b.symbol === s)] as const));
  const startsBySymbol = new Map([...bySymbol].map(([s, own]) => [s, own.map((b) => b.start.getTime())] as const));
  const marketOpen = (symbol: string, clock: Date): number | undefined => {
    const bar = bySymbol.get(symbol)![nearestIndex(startsBySymbol.get(symbol)!, clock.getTime())];
    return bar && Math.abs(bar.start.getTime() - clock.getTime()) < 2 * 3_600_000 ? bar.open : undefined;
  };
  const lastPrice = new Map<string, number>();
  let cash = STARTING_CASH;
  let value = STARTING_CASH;
  for (let i = 0; i < n; i++) {
    const clock = times[i]!;
    const symbol = SYMBOLS[i % SYMBOLS.length]!;
    const price = marketOpen(symbol, clock) ?? 100 + 10 * Math.sin(i / 50) + (i % 7);
    lastPrice.set(symbol, price);
    const id = randomUUID();
    const kind = i % 20 === 7 ? "failed" : i % 4 === 1 ? "traded" : "held";
    const quote = { id: `q${i}`, step: 1, name: "get_quote", input: { symbol }, ok: true, output: { symbol, price, at: clock.toISOString(), basis: "open" } };
    const calls: unknown[] = [quote];
    let text = `${symbol} at ${price.toFixed(2)}: 20-bar momentum ${(Math.sin(i) * 2).toFixed(2)}%. `;
    if (kind === "traded") {
      const qty = held.get(symbol) ? held.get(symbol)! : 10;
      const side = held.get(symbol) ? "sell" : "buy";
      const orderId = randomUUID();
      const delta = side === "buy" ? -qty * price : qty * price;
      cash += delta;
      held.set(symbol, side === "buy" ? qty : 0);
      calls.push({ id: `t${i}`, step: 2, name: side, input: { symbol, quantity: qty }, ok: true, output: { status: "filled", orderId, symbol, quantity: qty, price: price.toFixed(6) }, orderId, orderStatus: "filled" });
      orders.push({ id: orderId, user_id: userId, model_id: modelId, session_id: sessionId, idempotency_key: `bench-${sessionId}-${i}`, decision_id: id, symbol, side, quantity: qty, status: "filled", filled_quantity: qty, reference_price: price.toFixed(6), placed_at: clock });
      fills.push({
        order_id: orderId, user_id: userId, model_id: modelId, session_id: sessionId, symbol, side, quantity: qty, price: price.toFixed(6), reference_price: price.toFixed(6),
        fee: "0", cash_delta: delta.toFixed(6), cash_after: cash.toFixed(6), realized_pnl: side === "sell" ? "1.000000" : null, quantity_after: side === "buy" ? qty : 0, filled_at: clock,
      });
      text += side === "buy" ? `Buying ${qty} shares.` : `Selling ${qty} shares to take profit.`;
    } else if (kind === "failed") {
      calls.push({ id: `t${i}`, step: 2, name: "get_bars", input: { symbol, interval: "hour", limit: 20 }, ok: false, error: "no bars before the clock for this interval" });
      text += "Could not read the bars.";
    } else {
      text += "No signal: holding.";
    }
    value = cash + [...held].reduce((s, [sym, q]) => s + q * lastPrice.get(sym)!, 0);
    decisions.push({
      id, user_id: userId, model_id: modelId, session_id: sessionId, clock, interval: "hour", llm: "builtin:momentum", outcome: kind,
      instructions: "Buy strength, cut losers fast.", prompt: `Clock ${clock.toISOString()}. Universe: ${SYMBOLS.join(", ")}.`, text,
      tool_calls: sql.json(calls as postgres.JSONValue), steps: calls.length, finish_reason: kind === "failed" ? "error" : "stop",
      error: kind === "failed" ? "provider error: the model stopped after a tool error (synthetic bench row)" : null, error_code: kind === "failed" ? "TOOL_ERROR" : null,
      filled_orders: kind === "traded" ? 1 : 0, rejected_orders: 0, tool_errors: kind === "failed" ? 1 : 0, input_tokens: 0, output_tokens: 0, cost_usd: "0", latency_ms: 3 + (i % 11),
    });
    equity.push({ session_id: sessionId, bar_index: i, user_id: userId, at: clock, equity: value.toFixed(6), cash: cash.toFixed(6) });
  }
  // As the runner stores it on completion: the benchmark's curve at every bar, and its metrics.
  const curve = times.map((_, i) => Math.round((STARTING_CASH * (1 + 0.03 * Math.sin(i / 400) + i / n / 20)) * 100) / 100);
  const benchmark = { kind: "equal-weight", symbols: SYMBOLS, curve, metrics: { totalReturn: curve.at(-1)! / STARTING_CASH - 1, annualizedReturn: null, volatility: null, sharpe: 0.3, sortino: null, maxDrawdown: 0.04, calmar: null, winRate: null, tradeCount: 0, feesPaid: "0.000000" } };
  const metrics = { totalReturn: value / STARTING_CASH - 1, annualizedReturn: null, volatility: null, sharpe: 0.42, sortino: null, maxDrawdown: 0.05, calmar: null, winRate: 1, tradeCount: fills.length, feesPaid: "0.000000" };
  await sql.begin(async (tx) => {
    await tx`insert into trading_sessions ${tx({
      id: sessionId, user_id: userId, model_id: modelId, kind: "backtest", interval: "hour", status: "completed", starting_cash: STARTING_CASH.toFixed(6), llm: "builtin:momentum", instructions: "Buy strength, cut losers fast.",
      symbols: SYMBOLS, range_start: day(times[0]!), range_end: day(times.at(-1)!), schedule: tx.json(times.map((t) => t.toISOString())),
      total_bars: n, cursor: n, started_at: new Date(), finished_at: new Date(), metrics: tx.json(metrics), benchmark: tx.json(benchmark),
    })}`;
    await tx`insert into accounts ${tx({ user_id: userId, model_id: modelId, session_id: sessionId, starting_cash: STARTING_CASH.toFixed(6), cash: cash.toFixed(6), equity: value.toFixed(6) })}`;
    for (let i = 0; i < decisions.length; i += 1000) await tx`insert into decisions ${tx(decisions.slice(i, i + 1000))}`;
    for (let i = 0; i < orders.length; i += 1000) await tx`insert into orders ${tx(orders.slice(i, i + 1000))}`;
    for (let i = 0; i < fills.length; i += 1000) await tx`insert into fills ${tx(fills.slice(i, i + 1000))}`;
    for (let i = 0; i < equity.length; i += 2000) await tx`insert into session_equity ${tx(equity.slice(i, i + 2000))}`;
  });
  log(`seeded session ${sessionId}: ${decisions.length} decisions, ${orders.length} orders and fills, ${equity.length} equity points`);
  return sessionId;
}

interface LongTask {
  start: number;
  duration: number;
}

/** A page in a new browser context (a cold cache), signed in, recording long tasks from every document's start. */
async function signedInPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard$/);
  return page;
}

/**
 * Opens the viewer of session `id` (`n` decisions) and scrolls its feed end to end: long tasks, the main
 * thread's CPU and what it went to, printed with `label` in front.
 */
async function measure(page: Page, id: string, n: number, label: string) {
  const say = (...a: unknown[]) => log(...(label ? [`${label}:`] : []), ...a);
  const tag = label ? `${label}-` : "";
  // Always traced, for each task's CPU time (a task far longer than its CPU time waited for a core: the
  // machine's load, not the page); --profile adds the timeline and the sampling profiler.
  const cdp = await page.context().newCDPSession(page);
  const categories = args.profile ? TRACE_CATEGORIES : TASK_CATEGORIES;
  let stopTrace = await startTrace(cdp, categories);
  // Load: from navigation start until the feed shows its rows and the page is interactive.
  const t0 = Date.now();
  await page.goto(`${BASE}/sessions/${id}`);
  await page.getByRole("heading", { name: `Decisions (${n.toLocaleString("en-US")})` }).waitFor();
  await page.getByRole("list", { name: "Decisions, newest first" }).getByRole("button").first().waitFor();
  await page.getByRole("figure", { name: "Equity curve against the benchmark" }).waitFor();
  const loadMs = Date.now() - t0;
  // The older decisions load in pages after the first paint: the load bucket lasts until all are in.
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="decision-feed-scroll"]');
    return el !== null && el.dataset.loaded === el.dataset.total;
  }, undefined, { timeout: 60_000 });
  const allLoadedMs = Date.now() - t0;
  await page.waitForTimeout(1000); // let late long tasks (hydration, charts) land in the load bucket
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd), transferKb: Math.round(n.transferSize / 1024), decodedKb: Math.round(n.decodedBodySize / 1024) };
  });
  const loadTasks = await page.evaluate(() => (window as unknown as { __longTasks: LongTask[] }).__longTasks.splice(0));
  const loadTrace = await stopTrace();
  const keepTrace = (name: string, events: readonly TraceEvent[]) => {
    if (!args["trace-dir"]) return;
    mkdirSync(args["trace-dir"], { recursive: true });
    writeFileSync(path.join(args["trace-dir"], name), JSON.stringify({ traceEvents: events }));
  };
  keepTrace(`${tag}load.json`, loadTrace);
  const loadBusy = mainThreadBusy(loadTrace);
  say(`load: main thread busy ${loadBusy.wallMs} ms (CPU ${loadBusy.cpuMs} ms) in ${loadBusy.tasks} tasks, the largest ${loadBusy.maxTaskCpuMs} ms of CPU`);
  if (args.profile) {
    say("load profile (self time):\n  " + topFunctions(loadTrace).join("\n  "));
    say("load: tasks over 50 ms on the main thread:\n" + formatLongTasks(explainLongTasks(loadTrace)));
  }
  stopTrace = await startTrace(cdp, categories);

  // Scroll the feed from the newest decision to the oldest, ~one mouse-wheel notch (240 px) per frame.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="decision-feed-scroll"]')!;
    el.scrollIntoView();
    const start = performance.now();
    let frames = 0;
    let worstFrame = 0;
    let last = start;
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += 240;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      worstFrame = Math.max(worstFrame, now - last);
      last = now;
      frames++;
    }
    const rows = document.querySelectorAll('[data-testid="decision-feed-scroll"] [role="listitem"]').length;
    return { ms: Math.round(performance.now() - start), frames, worstFrameMs: Math.round(worstFrame), rowsInDom: rows, scrollHeight: el.scrollHeight };
  });
  await page.waitForTimeout(300);
  const scrollTasks = await page.evaluate(() => (window as unknown as { __longTasks: LongTask[] }).__longTasks.splice(0));
  const scrollTrace = await stopTrace();
  keepTrace(`${tag}scroll.json`, scrollTrace);
  const scrollBusy = mainThreadBusy(scrollTrace);
  if (args.profile) {
    const trace = scrollTrace;
    const busy = scrollBusy;
    say("scroll profile (self time):\n  " + topFunctions(trace).join("\n  "));
    say(`scroll: main thread busy ${busy.wallMs} ms (CPU ${busy.cpuMs} ms) in ${busy.tasks} tasks; per frame ${(busy.wallMs / scroll.frames).toFixed(1)} ms (CPU ${(busy.cpuMs / scroll.frames).toFixed(1)} ms)`);
    say("scroll timeline (main thread):\n  " + timelineBreakdown(trace).join("\n  "));
    say("scroll: tasks over 50 ms on the main thread:\n" + formatLongTasks(explainLongTasks(trace)));
  }

  say(`page: DOMContentLoaded ${nav.domContentLoaded} ms, load ${nav.load} ms, HTML ${nav.transferKb} KiB on the wire (${nav.decodedKb} KiB decoded)`);
  say(`load: ${loadMs} ms to the feed and charts, ${allLoadedMs} ms until all ${n} decisions are in the feed; long tasks ${loadTasks.map((t) => `${Math.round(t.duration)} ms at ${Math.round(t.start)}`).join(", ") || "none"}`);
  say(`traced main-thread tasks over 50 ms, wall (CPU): load ${formatTaskTimes(explainLongTasks(loadTrace))}; scroll ${formatTaskTimes(explainLongTasks(scrollTrace))}`);
  say(`scroll: ${scroll.frames} frames over ${scroll.scrollHeight} px in ${scroll.ms} ms (worst frame ${scroll.worstFrameMs} ms, ${scroll.rowsInDom} rows in the DOM); long tasks ${scrollTasks.map((t) => Math.round(t.duration)).join(", ") || "none"}`);
  return { loadMs, loadTasks, scrollTasks, loadBusy, scrollBusy };
}

async function main() {
  // Built here, before the clock starts, unless .next holds the build of these sources (npm start would do it too).
  ensureBuild();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-viewer-"));
  const db = await startEmbeddedPostgres({ dataDir });
  let server: ChildProcess | null = null;
  const browser = await chromium.launch({ ...config.use?.launchOptions, headless: true });
  try {
    server = spawn("npm", ["start"], {
      // Passes the environment on to the server it starts (PATH, HOME…); reads no configuration from it.
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(PORT), BULLPEN_START_WORKER: "false", AUTH_RATE_LIMIT_PER_MINUTE: "1000", RATE_LIMIT_SIGN_INS_PER_MINUTE: "10000", RATE_LIMIT_SIGN_UPS_PER_HOUR: "10000", RATE_LIMIT_REFRESHES_PER_MINUTE: "10000", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitForApp(BASE, server, 120_000);
    const signup = await api<{ access_token: string; user: { id: string } }>("/auth/v1/signup", { method: "POST", body: { email: EMAIL, password: PASSWORD } });
    const { model } = await api<{ model: { id: string } }>("/api/v1/models", {
      method: "POST",
      token: signup.access_token,
      body: { name: "Bench Momentum", signature: "bench-momo", llm: "builtin:momentum", startingCash: String(STARTING_CASH) },
    });
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const sessionId = await seed(sql, signup.user.id, model.id, DECISIONS);
    const baselineId = await seed(sql, signup.user.id, model.id, BASELINE);
    await sql.end();

    // Each viewer is opened cold, in a browser context of its own (its own cache and renderer) just signed
    // in: the baseline first, the same page for a session of BASELINE decisions, then the session measured.
    const base = await measure(await signedInPage(browser), baselineId, BASELINE, "baseline");
    const page = await signedInPage(browser);
    const big = await measure(page, sessionId, DECISIONS, "");
    const result = {
      decisions: DECISIONS,
      load_ms: big.loadMs,
      long_tasks_load: big.loadTasks.length,
      long_tasks_scroll: big.scrollTasks.length,
      max_long_task_ms: Math.round(Math.max(0, ...[...big.loadTasks, ...big.scrollTasks].map((t) => t.duration))),
      // The page's own work, whatever the machine's load (not meaningful with --profile: the profiler's start is a task).
      load_cpu_ms: big.loadBusy.cpuMs,
      max_task_cpu_ms: Math.max(big.loadBusy.maxTaskCpuMs, big.scrollBusy.maxTaskCpuMs),
      baseline_decisions: BASELINE,
      baseline_long_tasks: base.loadTasks.length + base.scrollTasks.length,
      baseline_load_cpu_ms: base.loadBusy.cpuMs,
      baseline_max_task_cpu_ms: Math.max(base.loadBusy.maxTaskCpuMs, base.scrollBusy.maxTaskCpuMs),
    };
    console.log(JSON.stringify(result));
    // A failed decision near the end, opened, for the record.
    await page.getByRole("listitem").filter({ hasText: "Failed:" }).last().getByRole("button").click();
    await page.getByRole("region", { name: /^Tool calls, / }).first().waitFor({ timeout: 10_000 }).catch(async () => {
      log("the opened decision showed no tool calls:", (await page.getByTestId("decision-feed-scroll").innerText()).slice(-400));
    });
    mkdirSync("e2e/screenshots", { recursive: true });
    await page.screenshot({ path: "e2e/screenshots/viewer-10k.png", fullPage: true });

  } finally {
    await browser.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
    await db.stop();
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench:viewer] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
