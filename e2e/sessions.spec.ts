import { readFileSync } from "node:fs";
import { expect, newEmail, test } from "./fixtures";
import { noHorizontalOverflow, SessionDesk } from "./session-desk";

test.describe.configure({ timeout: 300_000 });

test("start an intraday replay, watch it live, pause and resume it, see the final metrics and the leaderboard", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("replay"));
  await expect(page.getByText("No sessions yet — start one")).toBeVisible();
  await desk.createModel("Replay Momentum", "replay-momo", "builtin:momentum");
  // Trading defaults live on the model: $1 a trade for every session of it unless a session says otherwise.
  await page.getByRole("link", { name: "Edit Replay Momentum" }).click();
  await desk.fillModel({ "Commission per order (USD)": "1" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("$1.00/order · no slippage · long only")).toBeVisible();

  // The dialog checks with the API's schema in the browser, then shows the server's field errors.
  await desk.openStartDialog();
  await expect(desk.dialog().getByTestId("model-trading")).toHaveText(/^The model's defaults: \$1\.00\/order · no slippage · long only\./);
  await expect(desk.dialog().getByLabel("Commission per order (USD)", { exact: true })).toHaveAttribute("placeholder", "1");
  await desk.fillSession({ kind: "Intraday replay", day: "2025-06-10", every: "0", symbols: "ZZSOLR, bad$", trading: { "Slippage (basis points)": "lots" } });
  await desk.dialog().getByRole("button", { name: "Start session" }).click();
  await expect(desk.dialog().getByLabel("Decide every (minutes)")).toHaveAccessibleDescription(/from 1 to 60/);
  await expect(desk.dialog().getByLabel("Symbols")).toHaveAccessibleDescription(/ticker/);
  await expect(desk.dialog().getByLabel("Slippage (basis points)")).toHaveAccessibleDescription(/whole number of basis points from 0 to 9999/);
  await desk.review("start-session-trading-errors");
  await desk.fillSession({ kind: "Intraday replay", day: "2025-06-14", every: "1", symbols: "ZZSOLR", trading: { "Slippage (basis points)": "" } });
  await desk.dialog().getByRole("button", { name: "Start session" }).click();
  await expect(desk.dialog().getByLabel("Day", { exact: true })).toHaveAccessibleDescription(/not an NYSE trading day/);
  await desk.review("start-session-errors");

  await desk.fillSession({
    model: "Replay Momentum (builtin:momentum)",
    kind: "Intraday replay",
    day: "2025-06-10",
    every: "1",
    symbols: "ZZSOLR, ZZPETR, ZZWIND, ZZGRID, ZZFUEL, ZZBANK, ZZVAUL, ZZMEDI, ZZCURA, ZZGENO",
    // A built-in decides 390 bars in seconds; paced at 10 bars a second, a person (and this test) can watch it.
    pace: "10 bars a second",
  });
  // The toast lives a few seconds and may come and go while the viewer loads: watch for it from the click.
  const toastShown = page.getByText("Session started").waitFor({ state: "visible", timeout: 60_000 });
  const id = await desk.submitSession();
  await toastShown;
  await expect(page.getByRole("heading", { name: "Replay Momentum", level: 1 })).toBeVisible();
  await expect(page.getByText("Synthetic data", { exact: true })).toBeVisible();
  await expect(page.getByText(/Intraday replay · 2025-06-10 · minute bars · .* · paced: 10 bars a second/)).toBeVisible();
  await expect(page.getByTestId("session-trading")).toHaveText("Trading: $1.00/order · no slippage · long only");
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  // Live: decisions and equity points arrive over the event stream, without a reload.
  await expect(desk.status()).toHaveText("Running");
  const before = await desk.decisionCount();
  await expect.poll(() => desk.decisionCount(), { timeout: 60_000 }).toBeGreaterThan(before);
  await expect(page.getByRole("figure", { name: "Equity curve against the benchmark" })).toBeVisible();
  await expect(page.getByTestId("equity-points")).toHaveText(/^\d+ bars? /);

  // Pause in the page while it runs. The pause commits after any bar in flight; the page shows Paused from
  // the answer, and that bar's events may still be on the stream: wait for the count to settle (the same
  // twice, 500 ms apart; at this pace a running session moves 5 bars in that time), then nothing moves.
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(desk.status()).toHaveText("Paused");
  await expect(page.getByText("Session paused")).toBeVisible();
  let paused = -1;
  await expect
    .poll(
      async () => {
        const [before, now] = [paused, await desk.barsDone()];
        paused = now;
        return now === before;
      },
      { intervals: [500], timeout: 10_000 },
    )
    .toBe(true);
  expect(paused).toBeLessThan(390);
  await page.waitForTimeout(1500); // 15 bars' time at this pace
  expect(await desk.barsDone()).toBe(paused);
  await desk.review("viewer-paused");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByText("Session resumed")).toBeVisible();
  await expect.poll(() => desk.barsDone(), { timeout: 60_000 }).toBeGreaterThan(paused);
  await desk.review("viewer-live");
  await desk.waitForCompleted();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // Finished: the stored metrics, every bar, the decision feed's details, the price chart per symbol.
  await expect(page.getByTestId("metrics-kind")).toHaveText("Final metrics");
  await expect(page.getByTestId("metric-total-return")).toHaveText(/^[+-]?\d+\.\d{2}%$/);
  const totalReturn = (await page.getByTestId("metric-total-return").textContent())!;
  await expect(page.getByTestId("metric-win-rate")).toHaveText(/^\d+\.\d{2}%$/); // a share: no sign
  // The model's trading defaults reached the engine: $1 commission on each of the session's trades.
  const trades = Number((await page.getByTestId("metric-trades").textContent())!.replaceAll(",", ""));
  expect(trades).toBeGreaterThan(0);
  await expect(page.getByTestId("metric-fees")).toHaveText(`$${trades.toLocaleString("en-US")}.00`);
  // One day of minute bars is too short to annualise: "n/a", with the reason next to it.
  await expect(page.getByTestId("metric-annualized")).toHaveText("n/a");
  await expect(page.getByTestId("metric-annualized")).toHaveAccessibleDescription(/at least 20 trading days/);
  await expect(page.getByTestId("bars-done")).toHaveText("390 / 390 bars");
  expect(await desk.decisionCount()).toBe(390);
  // Each open position priced at the last bar's marks: their values add up to the positions' total.
  const dollars = (t: string | null) => Number(t!.replace(/[$,]/g, ""));
  const values = (await page.getByTestId("position-value").allTextContents()).map(dollars);
  expect(values.length).toBeGreaterThan(0);
  expect(Math.abs(values.reduce((a, b) => a + b, 0) - dollars(await page.getByTestId("positions-value").textContent()))).toBeLessThanOrEqual(0.005 * values.length);
  const fitsItsPanel = () => page.getByRole("table", { name: "Open positions" }).evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth);
  expect(await fitsItsPanel()).toBe(true);
  await desk.decisionButton(/./).first().click();
  const details = page.getByRole("region", { name: /^Tool calls, / }).first();
  await expect(details).toBeVisible();
  await expect(details.getByText("Arguments").first()).toBeVisible();
  // The model calls behind the decision, as recorded: the built-in's first call asked for tools.
  const calls = page.getByRole("region", { name: /^Model calls, / }).first();
  await expect(calls.getByRole("heading", { name: /^Model calls \([1-9]\d*\)$/ })).toBeVisible();
  await expect(calls.getByRole("listitem").first()).toContainText(/^Call 1 · bullpen \S+ · \d+ ms.* · asked for \w+/);
  // Go to a time: the feed scrolls to the 11:00 decision, opens it and gives it the focus.
  await page.getByLabel("Go to time (New York)").fill("11:00");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  const at11 = desk.decisionButton("11:00");
  await expect(at11).toBeFocused();
  await expect(at11).toHaveAttribute("aria-expanded", "true");
  await page.getByLabel("Go to time (New York)").fill("09:00");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "No decision at or before 09:00 here" })).toBeVisible();
  await page.getByLabel("Symbol").selectOption("ZZPETR");
  await expect(page.getByRole("figure", { name: "Price chart for ZZPETR" })).toBeVisible();
  await desk.review("viewer-completed");
  // A long tool result scrolls in its box, which the keyboard reaches and scrolls; a short one adds no tab stop.
  const result = page.getByRole("region", { name: "Result of tool call 1 (get_portfolio), 11:00" });
  await result.focus();
  await page.keyboard.press("PageDown");
  await expect.poll(() => result.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(page.getByRole("region", { name: "Arguments of tool call 1 (get_portfolio), 11:00" })).toHaveCount(0);
  await expect(page.getByText("{}", { exact: true }).first()).toBeVisible();

  // Reloaded, the finished session shows the same thing from the database.
  await page.reload();
  await expect(desk.status()).toHaveText("Completed");
  expect(await desk.decisionCount()).toBe(390);

  // Named after the run: a bad label is refused in words, a good one shows at once and stays.
  const title = page.getByRole("heading", { level: 1 });
  await expect(title).toHaveText("Replay Momentum");
  await page.getByRole("button", { name: "Add label to this session" }).click();
  const rename = page.getByRole("form", { name: "Rename the session" });
  await rename.getByLabel("Label").fill("first\ttry");
  await rename.getByRole("button", { name: "Save" }).click();
  await expect(rename.getByRole("alert")).toHaveText("The label must be one line of text");
  await expect(rename.getByLabel("Label")).toHaveValue("first\ttry"); // kept, to be corrected
  await desk.review("viewer-rename-error");
  await expect(title).toHaveText("Replay Momentum");
  await rename.getByLabel("Label").fill("first try");
  await rename.getByRole("button", { name: "Save" }).click();
  await expect(title).toHaveText("Replay Momentum · first try");
  await expect(rename).toBeHidden();
  await expect(page.getByRole("button", { name: "Rename this session" })).toBeVisible();
  await page.reload();
  await expect(title).toHaveText("Replay Momentum · first try");

  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  expect(await fitsItsPanel()).toBe(true);
  await desk.review("phone-viewer");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Switch to dark mode" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await desk.review("viewer-dark");
  await page.getByRole("button", { name: "Switch to light mode" }).click();

  await page.goto("/dashboard");
  const card = page.getByRole("list", { name: "Sessions" }).getByRole("listitem").first();
  await expect(card.getByTestId("session-status")).toHaveText("Completed");
  await expect(card.getByText("390 / 390 bars")).toBeVisible();
  // The same return everywhere: measured from the starting cash, so the first bar's commissions count.
  await expect(card.getByTestId("session-return")).toHaveText(totalReturn);
  await expect(card.getByRole("link", { name: /^Open session: Replay Momentum · first try, / })).toBeVisible();
  await desk.review("dashboard-sessions");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  await expect(page.getByRole("heading", { name: "Leaderboard", level: 1 })).toBeVisible();
  const row = page.getByRole("table", { name: "Leaderboard" }).getByRole("row", { name: /Replay Momentum/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole("link", { name: "Replay Momentum" })).toHaveAttribute("href", `/sessions/${id}`);
  await expect(row.getByRole("cell").filter({ hasText: /%$/ }).first()).toHaveText(totalReturn); // Return, the first % column
});

test("a model is cloned from the dashboard and the clone can be edited", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("clone"));
  await desk.createModel("Original", "original", "builtin:mean-reversion");
  await page.getByRole("button", { name: "Clone Original" }).click();
  await expect(page.getByText("Cloned Original as Original (copy)")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Original (copy)" })).toBeVisible();
  await expect(page.getByText("original-copy · builtin:mean-reversion")).toBeVisible();
  await page.getByRole("button", { name: "Clone Original", exact: true }).click();
  await expect(page.getByText("original-copy-2 · builtin:mean-reversion")).toBeVisible();
});

test("the dashboard and the dialog work by keyboard and on a phone", async ({ page }) => {
  const desk = new SessionDesk(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await desk.signUp(newEmail("phonesess"));
  await expect(page.getByRole("button", { name: "Start session" })).toBeDisabled();
  await desk.createModel("Phone Model", "phone-model");
  await page.getByRole("button", { name: "Start session" }).focus();
  await page.keyboard.press("Enter");
  await expect(desk.dialog()).toBeVisible();
  await expect(desk.dialog().getByLabel("Model", { exact: true })).toBeFocused();
  const reached: string[] = [];
  // A date input takes one Tab per part (month, day, year): count each control once.
  for (let i = 0; i < 14 && reached.at(-1) !== "Close"; i++) {
    await page.keyboard.press("Tab");
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute("aria-label") || el?.id || el?.textContent?.trim() || "";
    });
    if (reached.at(-1) !== name) reached.push(name);
  }
  expect(reached).toEqual(["start-kind", "start-interval", "start-day", "start-every", "start-symbols", "start-label", "start-pace", "Trading settings", "Cancel", "Start session", "Close"]);
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  await desk.review("phone-start-session");
  await page.keyboard.press("Escape");
  await expect(desk.dialog()).toHaveCount(0);
});

test("the Start dialog opens ready to run: Start at once runs a replay, and a backtest whose range follows the interval", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("ready"));
  await desk.createModel("Ready Momentum", "ready-momo", "builtin:momentum");

  // A replay of the synthetic market's last full day (the e2e server stores only the synthetic market of 2025).
  await desk.openStartDialog();
  const d = desk.dialog();
  await expect(d.getByLabel("Kind")).toHaveValue("replay");
  await expect(d.getByLabel("Day", { exact: true })).toHaveValue("2025-12-31");
  await expect(d.getByLabel("Day", { exact: true })).toHaveAccessibleDescription("The trading day to replay; data from 2025-01-02 to 2025-12-31");
  await expect(d).toContainText("Data: day and hour bars 2025-01-02 to 2025-12-31 (synthetic market).");
  await desk.review("start-session-ready");
  await desk.submitSession();
  await expect(page.getByText(/^Intraday replay · 2025-12-31 · minute bars · decides every 1 min · 30 symbols · builtin:momentum$/)).toBeVisible();
  await expect.poll(() => desk.barsDone(), { timeout: 120_000 }).toBeGreaterThan(0);
  await expect(desk.status()).toHaveText(/Running|Completed/);

  // A backtest: about a month of hour bars, or about three months of day bars when the interval changes to days.
  await desk.openStartDialog();
  await d.getByLabel("Kind").selectOption({ label: "Backtest" });
  await expect(d.getByLabel("Interval")).toHaveValue("hour");
  await expect(d.getByLabel("Start", { exact: true })).toHaveValue("2025-12-03");
  await expect(d.getByLabel("End", { exact: true })).toHaveValue("2025-12-31");
  await expect(d.getByLabel("Start", { exact: true })).toHaveAccessibleDescription("A trading day; hour bars from 2025-01-02 to 2025-12-31");
  await d.getByLabel("Interval").selectOption({ label: "Day" });
  await expect(d.getByLabel("Start", { exact: true })).toHaveValue("2025-10-07");
  await expect(d.getByLabel("End", { exact: true })).toHaveValue("2025-12-31");
  await desk.review("start-session-ready-backtest");
  await desk.submitSession();
  await expect(page.getByText(/^Backtest · 2025-10-07 to 2025-12-31 · day bars · 30 symbols · builtin:momentum$/)).toBeVisible();
  await desk.waitForCompleted();
  await expect(page.getByTestId("bars-done")).toHaveText("60 / 60 bars");

  // Hours, as suggested; dates typed in stay when the interval changes.
  await desk.openStartDialog();
  await d.getByLabel("Kind").selectOption({ label: "Backtest" });
  await d.getByLabel("Start", { exact: true }).fill("2025-12-15");
  await d.getByLabel("Interval").selectOption({ label: "Day" });
  await d.getByLabel("Interval").selectOption({ label: "Hour" });
  await expect(d.getByLabel("Start", { exact: true })).toHaveValue("2025-12-15");
  await desk.submitSession();
  await expect(page.getByText(/^Backtest · 2025-12-15 to 2025-12-31 · hour bars · 30 symbols · builtin:momentum$/)).toBeVisible();
  await desk.waitForCompleted();
});

test("the decision feed filters to the decisions where something went wrong", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("filter"));
  await desk.createModel("Costly Basket", "costly-basket", "builtin:buy-and-hold");
  // Buy-and-hold sizes its basket without fees: at $3,000 an order, $25,000 pays for three of its five buys.
  await desk.openStartDialog();
  await desk.fillSession({
    kind: "Backtest",
    interval: "Day",
    start: "2025-03-03",
    end: "2025-03-14",
    symbols: "ZZSOLR, ZZPETR, ZZWIND, ZZGRID, ZZFUEL",
    trading: { "Commission per order (USD)": "3000" },
  });
  await desk.submitSession();
  await desk.waitForCompleted();
  const total = await desk.decisionCount();
  expect(total).toBe(10);

  const filters = page.getByRole("radiogroup", { name: "Show decisions" });
  const feed = page.getByRole("list", { name: "Decisions, newest first" });
  await expect(filters.getByRole("radio", { name: "All 10" })).toBeChecked();
  await expect(filters.getByRole("radio", { name: "Traded 1" })).toBeVisible();
  await expect(filters.getByRole("radio", { name: "Held 9" })).toBeVisible();
  await expect(filters.getByRole("radio", { name: "Failed 0" })).toBeVisible();

  await filters.getByText("Rejected orders").click();
  await expect(filters.getByRole("radio", { name: "Rejected orders 1" })).toBeChecked();
  await expect(feed.getByRole("listitem")).toHaveCount(1);
  await expect(feed.getByRole("listitem")).toContainText("3 filled · 2 rejected");
  await feed.getByRole("button", { expanded: false }).click();
  await expect(feed.getByText(/^Rejected \(INSUFFICIENT_CASH\): need \$/).first()).toBeVisible();
  await expect(feed.getByText(/^Rejected \(INSUFFICIENT_CASH\)/)).toHaveCount(2);
  // A short feed grows with the row opened in it (up to its 512 px cap) instead of scrolling the details in a one-row sliver.
  await expect
    .poll(() => page.getByTestId("decision-feed-scroll").evaluate((el) => el.clientHeight >= Math.min(el.scrollHeight, 510)))
    .toBe(true);
  await desk.review("viewer-filter-rejected");

  // The session's orders as CSV: the three fills at $3,000 each and the two rejections with their reasons.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export orders (CSV)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^bullpen-session-[0-9a-f]{8}-orders\.csv$/);
  const csv = readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
  expect(csv[0]).toBe(
    "placed_at,order_id,decision_id,parent_id,symbol,side,quantity,type,time_in_force,order_class,leg,limit_price,stop_price,trail_price,trail_percent," +
      "status,reason,triggered_at,filled_quantity,average_fill_price,reject_code,reject_message,reference_price," +
      "fill_id,fill_quantity,fill_price,fee,filled_at,cash_after,realized_pnl,position_after",
  );
  const rows = csv.slice(1).map((line) => line.split(","));
  expect(rows).toHaveLength(5);
  // Market orders: type, time in force, class and leg as a market order has them.
  expect(rows.map((r) => r.slice(7, 11))).toEqual(Array(5).fill(["market", "day", "simple", "entry"]));
  expect(rows.filter((r) => r[15] === "filled").map((r) => r[26])).toEqual(["3000.000000", "3000.000000", "3000.000000"]);
  expect(rows.filter((r) => r[15] === "filled").map((r) => r[18])).toEqual(rows.filter((r) => r[15] === "filled").map((r) => r[6]));
  expect(rows.filter((r) => r[15] === "rejected").map((r) => r[20])).toEqual(["INSUFFICIENT_CASH", "INSUFFICIENT_CASH"]);

  // By keyboard: the filters are one radio group, moved through with the arrow keys.
  await filters.getByRole("radio", { name: "Rejected orders 1" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(filters.getByRole("radio", { name: "Tool errors 0" })).toBeChecked();
  await expect(page.getByText("No tool call returned an error.")).toBeVisible();
  await filters.getByText("Failed").click();
  await expect(page.getByText("No decision failed: every one ran to its end.")).toBeVisible();
  await filters.getByText("Held").click();
  await expect(feed.getByRole("listitem")).toHaveCount(9);
  await filters.getByText("All").click();
  await expect(feed.getByRole("listitem")).toHaveCount(10);
  await expect(page).not.toHaveURL(/show=/);

  // A backtest goes to a day: the first decision on it, or on the next trading day.
  await page.getByLabel("Go to day").fill("2025-03-08"); // a Saturday
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await expect(desk.decisionButton("Mar 10, 2025")).toBeFocused();
  await page.getByLabel("Go to day").fill("2025-04-01");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "No decision on 2025-04-01 or after it here" })).toBeVisible();

  // The URL follows the filter: a filtered feed is a link that survives a reload; a bad one is named.
  await filters.getByText("Rejected orders").click();
  await expect(page).toHaveURL(/\?show=rejected$/);
  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Show decisions" }).getByRole("radio", { name: "Rejected orders 1" })).toBeChecked();
  await expect(feed.getByRole("listitem")).toHaveCount(1);
  await page.goto(page.url().replace("show=rejected", "show=winners"));
  await expect(page.getByRole("alert").filter({ hasText: "decision filter was not valid" })).toContainText("show must be one of traded, held, failed, rejected, tool-errors");
  await expect(filters.getByRole("radio", { name: "All 10" })).toBeChecked();

  // Run again after editing the model's prompt: a new session of the same bars, symbols and rules (the
  // $3,000 commission was the session's own), with the prompt as edited; the first keeps its own.
  const firstUrl = page.url().replace(/\?.*$/, "");
  const trading = await page.getByTestId("session-trading").textContent();
  await page.getByText("Strategy prompt (as the session started)").click();
  await expect(page.getByTestId("session-prompt")).toHaveText(/^None: /);
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Edit Costly Basket" }).click();
  await page.getByLabel("Strategy prompt").fill("Buy the basket, pay the fees.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto(firstUrl);
  await page.getByText("Strategy prompt (as the session started)").click();
  await expect(page.getByTestId("session-prompt")).toHaveText(/^None: /);
  await page.getByRole("button", { name: "Run again" }).click();
  await expect(page).toHaveURL((url) => /\/sessions\/[0-9a-f-]{36}$/.test(url.pathname) && !url.href.startsWith(firstUrl));
  await expect(page.getByTestId("session-trading")).toHaveText(trading!);
  await page.getByText("Strategy prompt (as the session started)").click();
  await expect(page.getByTestId("session-prompt")).toHaveText("Buy the basket, pay the fees.");
  await desk.waitForCompleted();
  expect(await desk.decisionCount()).toBe(10);
  await expect(filters.getByRole("radio", { name: "Rejected orders 1" })).toBeVisible();
  await expect(filters.getByRole("radio", { name: "Traded 1" })).toBeVisible();

  // Change and run again: the Start dialog opens filled from the session, every rule it ran with typed in.
  await page.getByRole("link", { name: "Change and run again" }).click();
  const dialog = desk.dialog();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Model", { exact: true }).locator("option:checked")).toHaveText("Costly Basket (builtin:buy-and-hold)");
  await expect(dialog.getByLabel("Start", { exact: true })).toHaveValue("2025-03-03");
  await expect(dialog.getByLabel("End", { exact: true })).toHaveValue("2025-03-14");
  await expect(dialog.getByLabel("Symbols")).toHaveValue("ZZSOLR, ZZPETR, ZZWIND, ZZGRID, ZZFUEL");
  await expect(dialog.getByLabel("Commission per order (USD)", { exact: true })).toHaveValue(/^3000(\.0+)?$/);
  await expect(dialog.getByLabel("Seed", { exact: true })).toHaveValue("42"); // the seed it ran with
  await desk.review("start-session-prefilled");
  await dialog.getByLabel("End", { exact: true }).fill("2025-03-07");
  await desk.submitSession();
  await desk.waitForCompleted();
  expect(await desk.decisionCount()).toBe(5);
  await expect(page.getByTestId("session-trading")).toHaveText(trading!);
  // A link to run again a session that is not one of yours says so.
  await page.goto("/dashboard?rerun=00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("alert").filter({ hasText: "The session to run again was not found." })).toBeVisible();
  await expect(desk.dialog()).toHaveCount(0);
});

test("the dashboard lists sessions 50 to a page and filters them by model and status", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("pager"));
  // The API takes the page's session cookie: 53 sessions made quickly, each cancelled but the last.
  const api = page.request;
  const model = async (name: string) => {
    const res = await api.post("/api/v1/models", { data: { name, signature: name.toLowerCase().replace(" ", "-"), llm: "builtin:buy-and-hold", startingCash: "10000" } });
    expect(res.status()).toBe(201);
    return (await res.json()).model.id as string;
  };
  const [a, b] = [await model("Pager A"), await model("Pager B")];
  let last = "";
  for (let i = 0; i < 53; i++) {
    // Paced at 10 s a bar, a session cannot finish before its cancel arrives; the last one runs at full speed.
    const settings = i < 52 ? { paceMs: 10_000 } : {};
    const res = await api.post("/api/v1/sessions", { data: { modelId: i < 51 ? a : b, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"], settings } });
    expect(res.status()).toBe(202);
    last = (await res.json()).session.id;
    if (i < 52) expect((await api.post(`/api/v1/sessions/${last}/cancel`)).status()).toBe(200);
  }
  await expect.poll(async () => (await (await api.get(`/api/v1/sessions/${last}`)).json()).session.status, { timeout: 60_000 }).toBe("completed");

  await page.goto("/dashboard");
  const sessions = page.getByRole("list", { name: "Sessions" }).getByRole("listitem");
  const pages = page.getByRole("navigation", { name: "Session pages" });
  await expect(page.getByTestId("sessions-range")).toHaveText("Sessions 1–50 of 53 · page 1 of 2");
  await expect(sessions).toHaveCount(50);
  await expect(sessions.first().getByTestId("session-status")).toHaveText("Completed"); // newest first
  await expect(pages.getByRole("button", { name: "Newer" })).toBeDisabled();
  await pages.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL(/\/dashboard\?page=2/);
  await expect(page.getByTestId("sessions-range")).toHaveText("Sessions 51–53 of 53 · page 2 of 2");
  await expect(sessions).toHaveCount(3);
  await expect(pages.getByRole("button", { name: "Older" })).toBeDisabled();

  const filters = page.getByRole("form", { name: "Filter sessions" });
  await filters.getByLabel("Model").selectOption({ label: "Pager B" });
  await filters.getByLabel("Status").selectOption({ label: "Completed" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?model=${b}&status=completed`));
  await expect(sessions).toHaveCount(1);
  await expect(sessions.first().getByRole("link")).toHaveAttribute("href", `/sessions/${last}`);
  await expect(pages).toHaveCount(0); // one page: no pager
  await expect(filters.getByLabel("Model")).toHaveValue(b);
  await desk.review("dashboard-filtered");
  await filters.getByLabel("Status").selectOption({ label: "Failed" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No sessions match these filters")).toBeVisible();
  await filters.getByRole("link", { name: "Show all sessions" }).click();
  await expect(page.getByTestId("sessions-range")).toHaveText("Sessions 1–50 of 53 · page 1 of 2");

  // Bad values in the URL are named and left out; the good ones still apply.
  await page.goto(`/dashboard?model=${a}&status=done&page=0`);
  await expect(page.getByRole("alert").filter({ hasText: "Some filters were not valid" })).toHaveText(
    /status: Status must be one of queued, pending, running, paused, completed, failed, cancelled; page: Page must be a whole number from 1/,
  );
  await expect(page.getByTestId("sessions-range")).toHaveText("Sessions 1–50 of 51 · page 1 of 2");
  await page.goto(`/dashboard?page=3`);
  await expect(page.getByTestId("sessions-range")).toHaveText("Page 3 is past the last page (2)");
  await pages.getByRole("link", { name: "Newer" }).click();
  await expect(page.getByTestId("sessions-range")).toHaveText("Sessions 51–53 of 53 · page 2 of 2");

  // A model's card links to its sessions.
  await page.getByRole("link", { name: "Sessions of Pager B" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?model=${b}#sessions-heading$`));
  await expect(sessions).toHaveCount(2);
});

test("past the per-user limit a session waits queued on the dashboard, and starts live when a running one ends", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("queue"));
  await desk.createModel("Queue Momentum", "queue-momo", "builtin:momentum");
  await desk.createModel("Queue Reversion", "queue-rev", "builtin:mean-reversion");
  // Two models, twice: four sessions at a bar a second, against the limit of 3 at once.
  for (let i = 0; i < 2; i++) {
    await desk.openStartDialog();
    await desk.fillSession({ model: "Queue Momentum (builtin:momentum)", kind: "Backtest", interval: "Day", start: "2025-03-03", end: "2025-04-30", symbols: "ZZSOLR", pace: "1 bar a second" });
    const dialog = desk.dialog();
    await dialog.getByText("Also run with other models").click();
    await dialog.getByRole("checkbox", { name: "Queue Reversion (builtin:mean-reversion)" }).check();
    await dialog.getByRole("button", { name: "Start 2 sessions" }).click();
    await expect(page.getByText("2 sessions started")).toBeVisible();
  }
  const sessions = page.getByRole("region", { name: "Sessions" });
  const cards = sessions.getByRole("listitem");
  await expect(cards).toHaveCount(4);
  const queued = cards.filter({ has: page.getByTestId("session-status").filter({ hasText: "Queued" }) });
  await expect(queued).toHaveCount(1);
  await expect(queued.getByText("queued: starts when one of your running sessions ends")).toBeVisible();
  await expect(queued.getByText(/^Queued [A-Z][a-z]{2} \d+, \d\d:\d\d$/)).toBeVisible(); // not "Started": it has not
  await expect(cards.filter({ has: page.getByTestId("session-status").filter({ hasText: /^(Pending|Running)$/ }) })).toHaveCount(3);
  await desk.review("dashboard-queued");

  const ids = await Promise.all((await cards.getByRole("link", { name: /^Open session:/ }).all()).map(async (l) => /\/sessions\/([0-9a-f-]{36})/.exec((await l.getAttribute("href")) ?? "")![1]!));
  const queuedId = /\/sessions\/([0-9a-f-]{36})/.exec((await queued.getByRole("link", { name: /^Open session:/ }).getAttribute("href")) ?? "")![1]!;
  // Its viewer says so, and it can be paused or cancelled while it waits.
  await page.goto(`/sessions/${queuedId}`);
  await expect(desk.status()).toHaveText("Queued");
  await expect(page.getByText("queued: starts when one of your running sessions ends")).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel session" })).toBeVisible();
  await desk.review("viewer-queued");
  await page.goto("/dashboard");
  await expect(queued).toHaveCount(1);

  // A running one is cancelled (through the API, with the page's cookie): the queued one takes its slot, and
  // its card on this page, which was not streaming, starts streaming and shows it running.
  const running = ids.filter((id) => id !== queuedId);
  expect((await page.request.post(`/api/v1/sessions/${running[0]}/cancel`)).status()).toBe(200);
  const card = cards.filter({ has: page.locator(`a[href="/sessions/${queuedId}"]`) });
  await expect(card.getByTestId("session-status")).toHaveText("Running", { timeout: 30_000 });
  await expect(cards.filter({ has: page.getByTestId("session-status").filter({ hasText: "Cancelled" }) })).toHaveCount(1);
  for (const id of [...running.slice(1), queuedId]) expect((await page.request.post(`/api/v1/sessions/${id}/cancel`)).status()).toBe(200);
});
