import { spawnScript } from "@/tests/support/worker-process";
import { runningEmbeddedUrl } from "@/lib/db/embedded";
import { e2eDatabase } from "./database";
import { expect, newEmail, test } from "./fixtures";
import { SessionDesk } from "./session-desk";

test.describe.configure({ timeout: 240_000 });

const money = (v: number) => (Math.round(v * 100) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/**
 * Working orders in the viewer (docs/ui.md, "Working orders"): a session whose first bar placed a limit, a stop, a
 * trailing stop and a bracket (seeded through the real runner by e2e/support/seed-working-orders.ts, then paused),
 * the table and the chart's levels, a cancel while paused (at once) and while running (the runner's next bar).
 */
test("working orders: the table, the levels on the chart, a cancel while paused and one while running", async ({ page, browser }) => {
  const desk = new SessionDesk(page);
  const email = newEmail("orders");
  await desk.signUp(email);
  await desk.createModel("Order Desk", "orders", "builtin:buy-and-hold");
  const url = await runningEmbeddedUrl(process.env.E2E_DATA_DIR!);
  const { match } = await spawnScript("e2e/support/seed-working-orders.ts", { url: url!, args: [email, "Order Desk"], ready: /SEEDED (\S+) (\S+) (\S+)/ });
  const [, sessionId, symbol, at] = match as unknown as [string, string, string, string];
  const P = Number(at);

  await page.goto(`/sessions/${sessionId}`);
  await expect(desk.status()).toHaveText("Paused");
  const panel = page.getByRole("region", { name: /^Working orders/ });
  const table = panel.getByRole("table", { name: "Working orders" });
  const rows = table.locator("tbody tr");
  await expect(panel.getByRole("heading", { name: "Working orders (6)" })).toBeVisible();
  await expect(rows).toHaveCount(6);
  const rowOf = (name: string) => table.getByRole("row", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  await expect(rowOf(`Buy 10 ${symbol} Limit`).first()).toContainText(money(0.8 * P));
  await expect(rowOf(`Buy 5 ${symbol} Stop`)).toContainText(money(1.3 * P));
  await expect(rowOf(`Sell 20 ${symbol} Trailing stop`)).toContainText("30%");
  await expect(table.getByText("Held until its entry fills")).toHaveCount(2);
  await expect(table.getByText("Bracket · take-profit")).toBeVisible();

  // The chart draws each level, labelled, and says so to a screen reader.
  const chart = page.getByRole("figure", { name: `Price chart for ${symbol}` });
  await expect(chart).toHaveAttribute("aria-busy", "false");
  const levelLabels = chart.locator("svg text").filter({ hasText: /(limit|stop) [\d,.]+$/ });
  await expect(levelLabels).toHaveCount(6); // the buy limit, the buy stop, the trailing stop, the bracket's entry and its two held exits
  await expect(chart.locator("svg text", { hasText: `Buy limit ${money(0.8 * P)}` })).toBeVisible();
  await expect(chart.locator("svg text", { hasText: `Buy stop ${money(1.3 * P)}` })).toBeVisible();
  await expect(chart.locator("svg text", { hasText: /^Sell trailing stop / })).toBeVisible();
  await expect(chart.locator("figcaption")).toContainText(`working order levels: Buy limit ${money(0.8 * P)}`);
  await desk.review("working-orders-paused");

  // Paused: no runner holds the book, so the cancel is done at once; the bracket's held legs go with their entry.
  await page.getByRole("button", { name: `Cancel Buy 10 ${symbol} limit ${money(0.85 * P)}` }).click();
  await expect(page.getByText(`Order cancelled: Buy 10 ${symbol} limit ${money(0.85 * P)}`)).toBeVisible();
  await expect(rows).toHaveCount(3);
  await expect(table.getByText("Held until its entry fills")).toHaveCount(0);
  await expect(chart.locator("svg text", { hasText: `Sell limit ${money(0.95 * P)}` })).toHaveCount(0);

  // Running: the request waits for the runner's next bar, which cancels the order before it matches the bar.
  await page.getByRole("button", { name: "Resume" }).click();
  // A resumed session waits for a worker to claim it: on 2 cores, with the rest of the suite's sessions, once over 30 s.
  await expect(desk.status()).toHaveText("Running", { timeout: 90_000 });
  const stop = page.getByRole("button", { name: `Cancel Buy 5 ${symbol} stop ${money(1.3 * P)}` });
  await stop.click();
  await expect(page.getByText(`Cancel requested: Buy 5 ${symbol} stop ${money(1.3 * P)} is cancelled at the session's next bar`)).toBeVisible();
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await expect(chart.locator("svg text", { hasText: `Buy stop ${money(1.3 * P)}` })).toHaveCount(0);
  const sql = await e2eDatabase();
  try {
    const ended = await sql<{ id: string; status: string; reason: string; outcome: string }[]>`
      select o.id, o.status, o.status_reason as reason, r.outcome from orders o join order_cancel_requests r on r.order_id = o.id
      where o.session_id = ${sessionId} order by r.requested_at`;
    expect(ended.map((o) => [o.status, o.reason, o.outcome])).toEqual([
      ["cancelled", "requested_by_user", "cancelled"],
      ["cancelled", "requested_by_user", "cancelled"],
    ]);
    // The route refuses the order now that it ended (409), and answers another user as if it did not exist (404).
    const again = await page.request.delete(`/api/v1/sessions/${sessionId}/orders/${ended[1]!.id}`);
    expect(again.status()).toBe(409);
    expect((await again.json()).error).toEqual({ code: "ORDER_ENDED", message: "This order is cancelled: only a working order can be cancelled" });
    const [working] = await sql<{ id: string }[]>`select id from orders where session_id = ${sessionId} and status = 'accepted' limit 1`;
    const stranger = await browser.newContext({ baseURL: new URL(page.url()).origin });
    const strangerDesk = new SessionDesk(await stranger.newPage());
    await strangerDesk.signUp(newEmail("orders-stranger"));
    const foreign = await strangerDesk.page.request.delete(`/api/v1/sessions/${sessionId}/orders/${working!.id}`);
    expect(foreign.status()).toBe(404);
    expect((await foreign.json()).error).toEqual({ code: "NOT_FOUND", message: "Session not found" });
    await stranger.close();
    expect((await sql`select status from orders where id = ${working!.id}`)[0]!.status).toBe("accepted");
  } finally {
    await sql.end();
  }
  await desk.review("working-orders-running");

  // Cancelling the session cancels what still works (reason session_end): the table says there is none. The page
  // stops streaming once the session has ended, perhaps before the cancel's own events arrive: with the stream
  // refused outright (the page reloaded without it), the page still learns that nothing works any more.
  await page.route("**/api/v1/sessions/*/events**", (route) => route.abort());
  await page.reload();
  await expect(rows).toHaveCount(2);
  await page.getByRole("button", { name: "Cancel session" }).click();
  await page.getByRole("button", { name: "Yes, cancel the session" }).click();
  await expect(desk.status()).toHaveText("Cancelled");
  await expect(panel.getByText(/^No working orders\./)).toBeVisible();
  await expect(chart.locator("svg text").filter({ hasText: /(limit|stop) [\d,.]+$/ })).toHaveCount(0);
  await page.unroute("**/api/v1/sessions/*/events**");
  await desk.review("working-orders-none");

  // The first decision's details follow each order it placed to its end, at the bar it came (docs/ui.md).
  await page.getByLabel("Go to day").fill("2025-03-03");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await expect(desk.decisionButton("Mar 3, 2025")).toBeFocused();
  const placed = page.getByRole("region", { name: "Orders and fills, Mar 3, 2025" });
  const life = (name: string) => placed.getByRole("list", { name: `Life of: ${name}` }).getByRole("listitem");
  await expect(life(`Buy 20 ${symbol} market`)).toHaveText([/^Mar 3, 2025 · Placed at the market$/, /^Mar 3, 2025 · Filled 20 @ \$[\d,.]+ · fee/]);
  await expect(life(`Buy 10 ${symbol} limit ${money(0.8 * P)}`)).toHaveText(["Mar 3, 2025 · Placed (GTC), working", "At the end · Cancelled: the session ended"]);
  // Cancelled while paused (between bars), its held legs with it; the stop by the runner's next bar, at that bar.
  await expect(life(`Buy 10 ${symbol} limit ${money(0.85 * P)} (bracket entry)`)).toHaveText(["Mar 3, 2025 · Placed (GTC), working", "Between bars · Cancelled: by you"]);
  await expect(life(`Sell 10 ${symbol} limit ${money(0.95 * P)} (take-profit)`)).toHaveText([
    "Mar 3, 2025 · Placed (GTC), held until its entry fills",
    "Between bars · Cancelled: its entry ended before any fill",
  ]);
  await expect(life(`Buy 5 ${symbol} stop ${money(1.3 * P)}`)).toHaveText(["Mar 3, 2025 · Placed (GTC), working", /^[A-Z][a-z]{2} \d+, 2025 · Cancelled: by you$/]);
  await desk.review("working-orders-decision-life");
  await placed.screenshot({ path: "e2e/screenshots/working-orders-decision-life-orders.png" }); // the feed scrolls inside the page
});
