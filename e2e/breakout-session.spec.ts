import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { grantAdmin } from "@/lib/db/migrate";
import { e2eDatabase } from "./database";
import { Desk, expect, newEmail, test } from "./fixtures";
import { SessionDesk } from "./session-desk";

test.describe.configure({ timeout: 300_000 });

/**
 * builtin:breakout end to end (issue 22's "Must show"), as a person runs it: a daily backtest on the five synthetic
 * energy symbols, Mar 3 – Apr 25 2025, paced at a bar a second so its working orders can be caught live. What these
 * bars give (lib/services/sessions/sessions-breakout.int.test.ts runs the same market; $25,000, no costs):
 * - Mar 4: a bracketed buy stop on ZZSOLR at 76.07 (64 shares) is placed at the bar's open, its take-profit limit
 *   84.53 and stop-loss stop 71.84 held; that bar reaches the stop: it triggers and fills, and the exits work.
 * - Mar 11: ZZSOLR gained an ATR: both exits are cancelled (requested) and a trailing stop (trail 5.70) takes over;
 *   it triggers and fills on Mar 17 at 75.70.
 * - From Mar 21 on: buy stops with held exits, moved bar by bar (cancelled, requested; the legs parent_ended);
 *   ZZGRID's Mar 24 entry fills, its stop-loss 34.29 triggers and fills on Mar 28, cancelling its take-profit (oco).
 * - Apr 21: ZZFUEL's entry fills (32 at 148.34); its two exits still work when the session ends and are cancelled
 *   with the reason session_end.
 */
const SYMBOLS = "ZZSOLR, ZZPETR, ZZWIND, ZZGRID, ZZFUEL";
const WORKING = ["new", "held", "accepted", "triggered", "partially_filled"];
const money = (v: number | string) => Number(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

interface OrderRow {
  id: string;
  symbol: string;
  side: string;
  quantity: number;
  type: string;
  leg: string;
  status: string;
  reason: string | null;
  triggered_at: Date | null;
  limit_price: string | null;
  stop_price: string | null;
  trail_price: string | null;
  water_mark: string | null;
}

/** A quoted CSV (RFC 4180, as lib/csv.ts writes it) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== "," && c !== "\n")) {
      if (c !== "\r" || quoted) cell += c;
    } else {
      row.push(cell);
      cell = "";
      if (c === "\n") {
        rows.push(row);
        row = [];
      }
    }
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

async function downloadCsv(page: Page, link: string): Promise<Record<string, string>[]> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: link }).click();
  const [header, ...rows] = parseCsv(await readFile(await (await download).path(), "utf8"));
  return rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ""])));
}

test("builtin:breakout: its orders work across bars, trigger, fill and cancel, on the chart, in the CSV and in the audit", async ({ page, browser }) => {
  const sql = await e2eDatabase();
  try {
    const desk = new SessionDesk(page);
    const email = newEmail("breakout");
    await desk.signUp(email);
    await desk.createModel("Breakout Desk", "breakout-desk", "builtin:breakout");
    await desk.openStartDialog();
    await desk.fillSession({ model: "Breakout Desk (builtin:breakout)", kind: "Backtest", interval: "Day", start: "2025-03-03", end: "2025-04-25", symbols: SYMBOLS, pace: "1 bar a second" });
    const sessionId = await desk.submitSession();
    await expect(page.getByText("Backtest · 2025-03-03 to 2025-04-25 · day bars · 5 symbols · paced: 1 bar a second")).toBeVisible();

    const ordersNow = () => sql<OrderRow[]>`
      select id, symbol, side, quantity::float8 as quantity, type, leg, status, status_reason as reason, triggered_at,
             limit_price, stop_price, trail_price, water_mark
      from orders where session_id = ${sessionId} order by placed_at, created_at`;
    const panel = page.getByRole("region", { name: /^Working orders/ });
    const table = panel.getByRole("table", { name: "Working orders" });
    const rows = table.locator("tbody tr");
    const row = (name: string) => table.getByRole("row", { name: new RegExp(`^${name}`) });
    const chart = (symbol: string) => page.getByRole("figure", { name: `Price chart for ${symbol}` });
    const levels = (symbol: string) => chart(symbol).locator("svg text").filter({ hasText: /(limit|stop) [\d,.]+$/ });
    /**
     * Pauses the session once its orders satisfy `state` (watched in the database, a bar a second: the pause lands
     * before the next bar), then waits until the table shows exactly the orders working (the last bar's events
     * arrived). The pause is the Pause button's request sent through the API as the user, timed by the database
     * (e2e/sessions.spec.ts clicks the button itself): a browser under load sees a row up to seconds late, and
     * each state below lasts three to five bars, seconds.
     */
    const pauseWhen = async (state: (orders: OrderRow[]) => boolean) => {
      await expect.poll(async () => state(await ordersNow()), { intervals: [50], timeout: 90_000 }).toBe(true);
      expect((await page.request.post(`/api/v1/sessions/${sessionId}/pause`)).status()).toBe(200);
      await expect(desk.status()).toHaveText("Paused");
      let now: OrderRow[] = [];
      await expect(async () => {
        now = (await ordersNow()).filter(working);
        await expect(rows).toHaveCount(now.length, { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      return now;
    };
    const working = (o: OrderRow) => WORKING.includes(o.status);
    /** The review (screenshot, axe in both themes) once the toasts of the pause and resume have gone: axe reads a toast in flight as faint text. */
    const review = async (d: Desk, name: string) => {
      await expect(d.page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
      await d.review(name);
    };
    const showChartOf = async (symbol: string) => {
      await page.getByLabel("Symbol", { exact: true }).selectOption(symbol);
      await expect(chart(symbol)).toHaveAttribute("aria-busy", "false");
    };

    // 1. Mar 4: a bracketed buy stop on ZZSOLR (placed at the bar's open, working for that bar only) triggered and
    // filled; its exits work from then on (five bars).
    const bracket = await pauseWhen((all) => all.some((o) => o.symbol === "ZZSOLR" && o.leg === "take_profit" && o.status === "accepted"));
    expect(bracket.map((o) => [o.symbol, o.leg, o.type, o.status, o.stop_price ?? o.limit_price])).toEqual([
      ["ZZSOLR", "take_profit", "limit", "accepted", "84.530000"],
      ["ZZSOLR", "stop_loss", "stop", "accepted", "71.840000"],
    ]);
    const [entry] = (await ordersNow()).filter((o) => o.leg === "entry" && o.symbol === "ZZSOLR");
    expect([entry!.type, entry!.status, entry!.stop_price, entry!.triggered_at?.toISOString()]).toEqual(["stop", "filled", "76.070000", "2025-03-04T14:30:00.000Z"]);
    await expect(panel.getByRole("heading", { name: "Working orders (2)" })).toBeVisible();
    await expect(row("Buy 64 ZZSOLR Stop")).toHaveCount(0); // it filled: it left the table
    await expect(row("Sell 64 ZZSOLR Limit")).toContainText("Bracket · take-profitof its entry");
    await expect(row("Sell 64 ZZSOLR Stop")).toContainText("Bracket · stop-lossof its entry");
    for (const name of ["Sell 64 ZZSOLR Limit", "Sell 64 ZZSOLR Stop"]) await expect(row(name)).toContainText("Working");
    await expect(table.getByText("Held until its entry fills")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Cancel Sell 64 ZZSOLR limit 84.53 (take-profit)" })).toBeEnabled();
    await expect(page.getByRole("button", { name: "Cancel Sell 64 ZZSOLR stop 71.84 (stop-loss)" })).toBeEnabled();
    for (const name of ["Sell 64 ZZSOLR Limit", "Sell 64 ZZSOLR Stop"]) await expect(row(name)).toContainText("GTC");
    await showChartOf("ZZSOLR");
    await expect(levels("ZZSOLR")).toHaveText(["Sell limit 84.53", "Sell stop 71.84"]);
    await expect(chart("ZZSOLR").locator("figcaption")).toContainText("working order levels: Sell limit 84.53, Sell stop 71.84");
    await expect(page.getByText("1 fill in ZZSOLR · 2 working order levels")).toBeVisible(); // the entry's fill, marked
    await review(desk, "breakout-bracket-working");

    // 2. Mar 11: the exits gave way to a trailing stop, which follows the best price (four bars to catch it).
    await page.getByRole("button", { name: "Resume" }).click();
    const trailing = await pauseWhen((all) => all.some((o) => o.type === "trailing_stop" && working(o)));
    expect(trailing.map((o) => [o.symbol, o.type, o.status, o.trail_price])).toEqual([["ZZSOLR", "trailing_stop", "accepted", "5.700000"]]);
    const trail = trailing[0]!;
    expect(Number(trail.stop_price)).toBeCloseTo(Number(trail.water_mark) - 5.7, 6);
    const ended = (await ordersNow()).filter((o) => o.symbol === "ZZSOLR" && o.leg !== "entry");
    expect(ended.map((o) => [o.leg, o.status, o.reason])).toEqual([
      ["take_profit", "cancelled", "requested"],
      ["stop_loss", "cancelled", "requested"],
    ]);
    await expect(panel.getByRole("heading", { name: "Working orders (1)" })).toBeVisible();
    await expect(row("Sell 64 ZZSOLR Trailing stop")).toContainText(`5.70${money(trail.water_mark!)}`); // trail, then water mark
    await expect(row("Sell 64 ZZSOLR Trailing stop")).toContainText(money(trail.stop_price!));
    await expect(levels("ZZSOLR")).toHaveText([`Sell trailing stop ${money(trail.stop_price!)}`]);
    await expect(chart("ZZSOLR").locator("svg text", { hasText: "Sell limit 84.53" })).toHaveCount(0);
    await review(desk, "breakout-trailing-stop");

    // 3. Mar 25 – 27: a buy stop on ZZFUEL waits above its range, placed again each bar at the range's new level (three
    // bars), its exits held until it fills; ZZGRID's bracket (its entry filled on Mar 24) works beside it.
    await page.getByRole("button", { name: "Resume" }).click();
    const waiting = await pauseWhen((all) => all.some((o) => o.symbol === "ZZFUEL" && o.leg === "entry" && working(o)));
    expect(waiting.filter((o) => o.symbol === "ZZGRID").map((o) => [o.leg, o.status, o.quantity, o.stop_price ?? o.limit_price])).toEqual([
      ["take_profit", "accepted", 133, "41.120000"],
      ["stop_loss", "accepted", 133, "34.290000"],
    ]);
    const fuel = waiting.filter((o) => o.symbol === "ZZFUEL");
    expect(fuel.map((o) => [o.side, o.leg, o.type, o.status, o.quantity])).toEqual([
      ["buy", "entry", "stop", "accepted", 33],
      ["sell", "take_profit", "limit", "held", 33],
      ["sell", "stop_loss", "stop", "held", 33],
    ]);
    const [fuelStop, fuelTp, fuelSl] = fuel.map((o) => money(o.stop_price ?? o.limit_price!));
    // Mar 25's, 26's or 27's: the entry, its take-profit and its stop-loss.
    expect([["146.70", "157.93", "141.08"], ["146.07", "157.36", "140.42"], ["146.06", "157.14", "140.51"]]).toContainEqual([fuelStop, fuelTp, fuelSl]);
    expect(waiting).toHaveLength(5);
    await expect(panel.getByRole("heading", { name: "Working orders (5)" })).toBeVisible();
    await expect(row("Buy 33 ZZFUEL Stop")).toContainText("Bracket · entry");
    await expect(row("Buy 33 ZZFUEL Stop")).toContainText("Working");
    await expect(row("Sell 33 ZZFUEL Limit")).toContainText(`Bracket · take-profitof Buy 33 ZZFUEL stop ${fuelStop}`);
    await expect(row("Sell 33 ZZFUEL Stop")).toContainText(`Bracket · stop-lossof Buy 33 ZZFUEL stop ${fuelStop}`);
    await expect(row("Sell 133 ZZGRID Limit")).toContainText("Bracket · take-profitof its entry");
    await expect(table.getByText("Held until its entry fills")).toHaveCount(2);
    await expect(page.getByRole("button", { name: `Cancel Buy 33 ZZFUEL stop ${fuelStop}` })).toBeEnabled();
    await showChartOf("ZZFUEL");
    await expect(levels("ZZFUEL")).toHaveText([`Buy stop ${fuelStop}`, `Sell limit ${fuelTp}`, `Sell stop ${fuelSl}`]);
    await expect(page.getByText("0 fills in ZZFUEL · 3 working order levels")).toBeVisible();
    await showChartOf("ZZGRID");
    await expect(levels("ZZGRID")).toHaveText(["Sell limit 41.12", "Sell stop 34.29"]);
    await expect(page.getByText("1 fill in ZZGRID · 2 working order levels")).toBeVisible();
    await review(desk, "breakout-entry-waiting");

    // 4. The end: ZZFUEL's exits work until the last bar, then the session's end cancels them.
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(row("Sell 32 ZZFUEL Limit")).toBeVisible({ timeout: 90_000 });
    await expect(row("Sell 32 ZZFUEL Stop")).toBeVisible();
    await desk.waitForCompleted();
    await expect(panel.getByRole("heading", { name: "Working orders (0)" })).toBeVisible();
    await expect(panel.getByText(/^No working orders\./)).toBeVisible();
    await showChartOf("ZZFUEL");
    await expect(levels("ZZFUEL")).toHaveCount(0);
    await expect(page.getByText("1 fill in ZZFUEL")).toBeVisible();
    // ZZSOLR's two fills: the entry's on Mar 4, the trailing stop's on Mar 17 (the bar that reached it, not Mar 11's).
    await showChartOf("ZZSOLR");
    await expect(page.getByText("2 fills in ZZSOLR")).toBeVisible();
    await expect(chart("ZZSOLR").locator("figcaption")).toContainText("1 buy marker; 1 sell marker");
    await expect(page.getByText(/Markers: fill prices, on the bar each fill happened in \(a market order's is the bar it was placed in; a working order's, the bar that reached its price\)\./)).toBeVisible();

    // Every order as the database holds it: what the CSV and the audit must show.
    const all = await ordersNow();
    expect(all.filter(working)).toEqual([]);
    expect(all.filter((o) => o.type === "market" || o.status === "rejected")).toEqual([]);
    const kinds = all.map((o) => `${o.symbol} ${o.leg} ${o.type} ${o.status} ${o.reason ?? "-"}`);
    for (const k of [
      "ZZSOLR entry stop filled -",
      "ZZSOLR take_profit limit cancelled requested",
      "ZZSOLR entry trailing_stop filled -",
      "ZZGRID entry stop cancelled requested",
      "ZZGRID take_profit limit cancelled parent_ended",
      "ZZGRID stop_loss stop filled -",
      "ZZGRID take_profit limit cancelled oco",
      "ZZFUEL take_profit limit cancelled session_end",
      "ZZFUEL stop_loss stop cancelled session_end",
    ]) {
      expect(kinds, k).toContain(k);
    }
    const triggered = all.filter((o) => o.triggered_at !== null).map((o) => `${o.symbol} ${o.leg} ${o.type} ${o.triggered_at!.toISOString().slice(0, 10)}`);
    expect(triggered).toEqual([
      "ZZSOLR entry stop 2025-03-04",
      "ZZSOLR entry trailing_stop 2025-03-17",
      "ZZGRID entry stop 2025-03-24",
      "ZZGRID stop_loss stop 2025-03-28",
      "ZZFUEL entry stop 2025-04-21",
    ]);

    // The viewer's CSV: one row per order (each filled order has one fill), with type, class, leg, status, reason, trigger and fill.
    const csv = await downloadCsv(page, "Export orders (CSV)");
    expect(csv.length).toBe(all.length);
    const csvRow = (symbol: string, leg: string, type: string, status: string) => csv.filter((r) => r.symbol === symbol && r.leg === leg && r.type === type && r.status === status);
    expect(csvRow("ZZSOLR", "entry", "trailing_stop", "filled").map((r) => [r.side, r.order_class, r.time_in_force, r.trail_price, (r.triggered_at ?? "").slice(0, 10), r.fill_quantity, r.fill_price])).toEqual([
      ["sell", "simple", "gtc", "5.700000", "2025-03-17", "64", "75.700000"],
    ]);
    expect(csvRow("ZZGRID", "stop_loss", "stop", "filled").map((r) => [r.order_class, r.stop_price, (r.triggered_at ?? "").slice(0, 10), r.fill_price])).toEqual([["bracket", "34.290000", "2025-03-28", "34.290000"]]);
    const oco = csvRow("ZZGRID", "take_profit", "limit", "cancelled").filter((r) => r.reason === "oco");
    expect(oco.map((r) => [r.limit_price, r.parent_id === csvRow("ZZGRID", "entry", "stop", "filled")[0]!.order_id, r.fill_id])).toEqual([["41.120000", true, ""]]);
    expect(csv.filter((r) => r.reason === "session_end").map((r) => [r.symbol, r.leg, r.type, r.status, r.triggered_at])).toEqual([
      ["ZZFUEL", "take_profit", "limit", "cancelled", ""],
      ["ZZFUEL", "stop_loss", "stop", "cancelled", ""],
    ]);

    // 5. The trade audit, as an admin (made one as `npm run admin:grant` does, before signing up).
    const auditorEmail = newEmail("breakout-auditor");
    await grantAdmin(sql, [auditorEmail]);
    const context = await browser.newContext({ baseURL: new URL(page.url()).origin, acceptDownloads: true });
    const auditor = new Desk(await context.newPage());
    const audit = auditor.page;
    await auditor.signUp(auditorEmail);
    await audit.getByRole("link", { name: "Audit" }).click();
    await audit.getByLabel("Session id").fill(sessionId);
    await audit.getByRole("button", { name: "Apply filters" }).click();
    await expect(audit).toHaveURL(new RegExp(`session=${sessionId}`));
    await expect(audit.getByText(`${all.length} orders · page 1 of ${Math.ceil(all.length / 50)}`)).toBeVisible();
    const orders = audit.getByRole("table", { name: "Orders" });
    const auditRows = orders.locator("tbody tr");
    const cells = async () => (await auditRows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim()))));
    // Columns: time, user, model, symbol, side, quantity, type, prices, status, triggered, fill price, fee, decision.
    const pick = (c: string[]) => [c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]];

    await audit.getByRole("combobox", { name: "Type" }).selectOption("trailing_stop");
    await audit.getByRole("button", { name: "Apply filters" }).click();
    await expect(audit).toHaveURL(/type=trailing_stop/);
    await expect(auditRows).toHaveCount(1);
    expect((await cells()).map(pick)).toEqual([["ZZSOLR", "Sell", "64", "Trailing stop · gtc", "stop $75.70 · trail $5.70", "filled", "2025-03-17 13:30", "$75.70"]]);

    await audit.getByRole("combobox", { name: "Type" }).selectOption("stop");
    await audit.getByRole("combobox", { name: "Status" }).selectOption("filled");
    await audit.getByRole("button", { name: "Apply filters" }).click();
    await expect(audit).toHaveURL(/type=stop&?.*status=filled|status=filled&?.*type=stop/);
    await expect(auditRows).toHaveCount(4);
    expect((await cells()).map(pick).sort()).toEqual(
      [
        ["ZZSOLR", "Buy", "64", "Stop · gtcbracket entry", "stop $76.07", "filled", "2025-03-04 14:30", "$76.07"],
        ["ZZGRID", "Buy", "133", "Stop · gtcbracket entry", "stop $36.57", "filled", "2025-03-24 13:30", "$36.57"],
        ["ZZGRID", "Sell", "133", "Stop · gtcbracket stop-loss", "stop $34.29", "filled", "2025-03-28 13:30", "$34.29"],
        ["ZZFUEL", "Buy", "32", "Stop · gtcbracket entry", "stop $148.34", "filled", "2025-04-21 13:30", "$148.34"],
      ].sort(),
    );

    await audit.getByRole("combobox", { name: "Type" }).selectOption("");
    await audit.getByRole("combobox", { name: "Status" }).selectOption("cancelled");
    await audit.getByRole("textbox", { name: "Symbol" }).fill("ZZGRID");
    await audit.getByRole("button", { name: "Apply filters" }).click();
    await expect(audit).toHaveURL(/status=cancelled/);
    const grid = all.filter((o) => o.symbol === "ZZGRID" && o.status === "cancelled");
    await expect(auditRows).toHaveCount(grid.length);
    const statuses = (await cells()).map((c) => c[8]);
    expect(statuses.filter((s) => s === "cancelled · oco")).toHaveLength(1);
    expect(statuses.filter((s) => s === "cancelled · requested")).toHaveLength(grid.filter((o) => o.reason === "requested").length);
    expect(statuses.filter((s) => s === "cancelled · parent ended")).toHaveLength(grid.filter((o) => o.reason === "parent_ended").length);
    expect(new Set(statuses)).toEqual(new Set(["cancelled · oco", "cancelled · requested", "cancelled · parent ended"]));
    await expect(orders.getByRole("row").filter({ hasText: "cancelled · oco" })).toContainText("Limit · gtcbracket take-profit");
    await expect(orders.getByRole("row").filter({ hasText: "cancelled · oco" })).toContainText("limit $41.12");

    await audit.getByRole("textbox", { name: "Symbol" }).fill("ZZFUEL");
    await audit.getByRole("button", { name: "Apply filters" }).click();
    await expect(audit).toHaveURL(/symbol=ZZFUEL/);
    await expect(orders.getByRole("row").filter({ hasText: "cancelled · session end" })).toHaveCount(2);
    await review(auditor, "breakout-audit-cancelled");
    const exported = await downloadCsv(audit, "Export CSV");
    const fuelCancelled = all.filter((o) => o.symbol === "ZZFUEL" && o.status === "cancelled");
    expect(exported).toHaveLength(fuelCancelled.length);
    expect(exported.every((r) => r.session_id === sessionId && r.user === email && r.symbol === "ZZFUEL" && r.status === "cancelled")).toBe(true);
    expect(exported.filter((r) => r.reason === "session_end").map((r) => [r.leg, r.type, r.order_class, r.time_in_force]).sort()).toEqual([
      ["stop_loss", "stop", "bracket", "gtc"],
      ["take_profit", "limit", "bracket", "gtc"],
    ]);
    await context.close();
  } finally {
    await sql.end();
  }
});
