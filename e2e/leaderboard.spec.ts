import { expect, newEmail, test } from "./fixtures";
import { noHorizontalOverflow, SessionDesk } from "./session-desk";

test.describe.configure({ timeout: 240_000 });

test("finished sessions are ranked on the leaderboard, sorted, and compared on one chart", async ({ page }) => {
  const desk = new SessionDesk(page);
  await desk.signUp(newEmail("board"));
  await page.goto("/leaderboard");
  await expect(page.getByText("No completed sessions yet")).toBeVisible();

  await desk.createModel("Board Momentum", "board-momo", "builtin:momentum");
  await desk.createModel("Board Reversion", "board-rev", "builtin:mean-reversion");
  // Both models over the same bars, started together ("Also run with"), and watched on the dashboard.
  await desk.openStartDialog();
  await desk.fillSession({ model: "Board Momentum (builtin:momentum)", kind: "Backtest", interval: "Day", start: "2025-03-03", end: "2025-04-30", symbols: "ZZSOLR, ZZPETR, ZZWIND" });
  const dialog = desk.dialog();
  await dialog.getByLabel("Label (optional)").fill("spring test");
  await dialog.getByText("Also run with other models").click();
  await expect(dialog.getByRole("checkbox", { name: "Board Momentum (builtin:momentum)" })).toHaveCount(0); // the model chosen above
  await dialog.getByRole("checkbox", { name: "Board Reversion (builtin:mean-reversion)" }).check();
  await expect(dialog.getByText("Also run with other models (1 chosen)")).toBeVisible();
  await desk.review("start-session-several");
  await dialog.getByRole("button", { name: "Start 2 sessions" }).click();
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 60_000 });
  await expect(page.getByText("2 sessions started")).toBeVisible();
  const sessions = page.getByRole("region", { name: "Sessions" });
  for (const name of ["Board Momentum", "Board Reversion"]) {
    await expect(sessions.getByRole("link", { name: `Open session: ${name} · spring test, Backtest 2025-03-03 to 2025-04-30` })).toBeVisible();
  }
  await expect(sessions.getByTestId("session-status").filter({ hasText: "Completed" })).toHaveCount(2, { timeout: 120_000 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  const table = page.getByRole("table", { name: "Leaderboard" });
  await expect(table.getByRole("row")).toHaveCount(3); // header + two sessions
  await expect(table.getByRole("columnheader", { name: "Sort by Return" })).toHaveAttribute("aria-sort", "descending");
  await table.getByRole("button", { name: "Sort by Sharpe" }).click();
  await expect(table.getByRole("columnheader", { name: "Sort by Sharpe" })).toHaveAttribute("aria-sort", "descending");
  await table.getByRole("button", { name: "Sort by Max drawdown" }).click();
  await expect(table.getByRole("columnheader", { name: "Sort by Max drawdown" })).toHaveAttribute("aria-sort", "ascending");

  await expect(page.getByText(/Tick two or more sessions/)).toBeVisible();
  await page.getByRole("checkbox", { name: /^Compare Board Momentum/ }).check();
  await page.getByRole("checkbox", { name: /^Compare Board Reversion/ }).check();
  const chart = page.getByRole("figure", { name: "Compared equity curves, normalised to 100" });
  await expect(chart).toBeVisible();
  // The same bars: drawn against their dates, with the benchmark both ran against (same basket).
  await expect(chart.locator(".recharts-line")).toHaveCount(3);
  await expect(chart.getByText("Board Reversion · spring test, Backtest 2025-03-03 to 2025-04-30", { exact: true })).toBeVisible();
  await expect(chart.getByText("Benchmark: Equal-weight basket (buy-and-hold)", { exact: true })).toBeVisible();
  const dates = chart.locator("svg text").filter({ hasText: /^[A-Z][a-z]{2} \d{1,2}$/ });
  await expect(dates.first()).toHaveText("Mar 3");
  await expect(dates.last()).toHaveText("Apr 30");
  await expect(page.getByText(/across: the \d+ bars they ran over \(New York time\), with the buy-and-hold benchmark they share/)).toBeVisible();
  await expect(page.getByText("2 sessions started")).toBeHidden({ timeout: 10_000 }); // the start's toast, not over the chart
  await desk.review("leaderboard-compare");

  // Like with like: one model's sessions, or sessions on the same bars.
  const filters = page.getByRole("form", { name: "Filter the leaderboard" });
  await filters.getByLabel("Model").selectOption({ label: "Board Reversion" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/leaderboard\?model=[0-9a-f-]{36}&bars=$/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("link", { name: "Board Reversion · spring test" })).toBeVisible();
  await filters.getByLabel("Bars").selectOption({ label: "Minute bars (replays)" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No completed sessions match these filters")).toBeVisible();
  await filters.getByRole("link", { name: "Rank all sessions" }).click();
  await expect(table.getByRole("row")).toHaveCount(3);
  await page.goto("/leaderboard?bars=week&model=");
  await expect(page.getByRole("alert").filter({ hasText: "Some filters were not valid" })).toHaveText(/bars: Bars must be day, hour or minute/);
  await expect(table.getByRole("row")).toHaveCount(3);
  // The table fits 1280 px: no scrolling box, no extra tab stop. On a phone it scrolls sideways, and then its
  // box is a named region a keyboard can reach and scroll.
  const tableBox = page.getByRole("region", { name: "Leaderboard table" });
  await expect(tableBox).toHaveCount(0);

  await page.getByRole("button", { name: "Switch to dark mode" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  await expect(tableBox).toBeVisible();
  await tableBox.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => tableBox.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await desk.review("phone-dark-leaderboard");

  // A run over later dates that overlap the spring's (started over the API): compared, both are drawn against
  // the dates of the two runs together, each from its own first day; no benchmark, as each ran its own.
  await page.setViewportSize({ width: 1280, height: 800 });
  const { models } = await (await page.request.get("/api/v1/models")).json();
  const momentum = models.find((m: { name: string }) => m.name === "Board Momentum").id as string;
  const late = { modelId: momentum, kind: "backtest", interval: "day", start: "2025-04-01", end: "2025-05-30", symbols: ["ZZSOLR", "ZZPETR", "ZZWIND"], label: "late spring" };
  const { session } = await (await page.request.post("/api/v1/sessions", { data: late })).json();
  await expect.poll(async () => (await (await page.request.get(`/api/v1/sessions/${session.id}`)).json()).session.status, { timeout: 120_000 }).toBe("completed");
  await page.goto("/leaderboard");
  await page.getByRole("checkbox", { name: /^Compare Board Momentum · spring test/ }).check();
  await page.getByRole("checkbox", { name: /^Compare Board Momentum · late spring/ }).check();
  await expect(chart.locator(".recharts-line")).toHaveCount(2);
  await expect(chart.getByText(/^Benchmark/)).toHaveCount(0);
  await expect(dates.first()).toHaveText("Mar 3");
  await expect(dates.last()).toHaveText("May 30");
  await expect(page.getByText(/across: the \d+ bars they ran over \(New York time\)\.$/)).toBeVisible();
  await desk.review("leaderboard-compare-overlap");
});
