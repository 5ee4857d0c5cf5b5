import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { runningEmbeddedUrl } from "@/lib/db/embedded";
import { DAILY_FILE, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { spawnScript } from "@/tests/support/worker-process";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * builtin:covered-call's daily backtest on the real NASDAQ-100 data, end to end (issue #23, "Must show"): NVDA, AAPL
 * and PYPL from 2025-06-10 to 2025-09-30, $100,000. The built-in buys 100-share lots, writes a ~30-delta call a month
 * against each once the chain has 21 closes, buys back what is called away and writes the next call after each expiry.
 * The viewer then shows the calls still written with their Greeks and days to expiry, the chain at the session's
 * clock, the August and September expiries in the feed, and a written call's payoff diagram. Skipped where the shared
 * data set is not next to the repository (../shared/data).
 */
const SYMBOLS = ["NVDA", "AAPL", "PYPL"];

test("builtin:covered-call on the real daily data: written calls with Greeks, the chain, expiries in the feed, the payoff", async ({ playwright, baseURL, page, desk }) => {
  test.skip(!existsSync(path.join(SHARED_DATA_DIR, DAILY_FILE)), `the real daily data (${DAILY_FILE}) is not in ../shared/data`);
  test.setTimeout(240_000);
  const url = await runningEmbeddedUrl(process.env.E2E_DATA_DIR!);
  await spawnScript("e2e/support/import-real-daily.ts", { url: url!, args: [SYMBOLS.join(",")], ready: /IMPORTED \d+/ });

  const api = await playwright.request.newContext({ baseURL });
  const email = newEmail("covered");
  const owner = bearer(await signUpForToken(api, email));
  const model = await api.post("/api/v1/models", { headers: owner, data: { name: "Covered calls", signature: `cc-${randomUUID().slice(0, 8)}`, llm: "builtin:covered-call", startingCash: "100000" } });
  expect(model.status(), await model.text()).toBe(201);
  const modelId = (await model.json()).model.id as string;
  const started = await api.post("/api/v1/sessions", { headers: owner, data: { modelId, kind: "backtest", interval: "day", start: "2025-06-10", end: "2025-09-30", symbols: SYMBOLS } });
  expect(started.status(), await started.text()).toBe(202);
  const id = (await started.json()).session.id as string;

  await page.goto("/sign-in");
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("session-status").first()).toHaveText("Completed", { timeout: 180_000 });
  await page.reload();

  // Every order the built-in placed filled: no rejection anywhere in the run.
  const orders = (await (await api.get(`/api/v1/sessions/${id}/orders?limit=500`, { headers: owner })).json()).orders as { symbol: string; side: string; status: string; reason?: string }[];
  expect(orders.filter((o) => o.status === "rejected")).toEqual([]);
  const written = orders.filter((o) => o.side === "sell_short" && o.status === "filled");
  expect(written.length).toBeGreaterThanOrEqual(6); // a call a month on each of 3 lots, July to September
  const settled = orders.filter((o) => o.reason === "assigned" || o.reason === "expired_worthless");
  expect(settled.length).toBeGreaterThanOrEqual(3);

  // The calls written at the end, with their Greeks and days to expiry: written, so their delta is negative.
  const greeks = page.getByRole("table", { name: "Option Greeks" });
  await expect(greeks).toBeVisible();
  for (const header of ["Contract", "Days to expiry", "Delta", "Theta", "Vega"]) await expect(greeks.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  const rows = greeks.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^(NVDA|AAPL|PYPL)\d{6}C/ }) });
  await expect(rows).not.toHaveCount(0);
  await expect(rows.first().getByRole("cell").nth(0)).toHaveText(/^\d+\.\d$/);
  await expect(rows.first().getByRole("cell").nth(2)).toHaveText(/^-\d+\.\d$/); // a written call's delta, in shares
  await expect(rows.first().getByRole("cell").nth(3)).toHaveText(/^\+\$\d+\.\d\d$/); // time works for the writer
  await expect(page.getByRole("table", { name: "Open positions" }).getByTestId("position-greeks").first()).toContainText(/days to expiry · delta -/);
  // Every call is covered by 100 shares: no margin required, the whole cash beyond it.
  await expect(page.getByTestId("option-margin")).toContainText(/^Margin of the written contracts: \$0\.00 required, \+\$[\d,]+\.\d\d of cash beyond it\.$/);

  // The expiries in the feed (shown with "All"): assigned calls with their shares sold at the strike, or expired ones.
  const expiries = page.getByTestId("expiry-row");
  await expect(expiries.first()).toBeVisible();
  await expect(expiries.first()).toContainText(/(assigned: 100 (NVDA|AAPL|PYPL) sold at \$\d+\.\d\d|expired worthless) \(\d+ contracts? written\)/);
  await desk.review("covered-call-viewer");

  // A written call's payoff: at expiry and today, its breakeven the strike plus the premium received.
  const payoff = page.getByRole("figure", { name: /^Payoff of (NVDA|AAPL|PYPL)\d{6}C/ });
  await expect(payoff).toBeVisible();
  await expect(payoff).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("payoff-note")).toContainText(/Breakeven at expiry: \$\d+\.\d\d/);
  await payoff.scrollIntoViewIfNeeded();
  await desk.review("covered-call-payoff");

  // The chain at the session's clock, modelled.
  await page.getByRole("button", { name: "Show the option chain" }).click();
  await expect(page.getByRole("table", { name: /^Option chain of (NVDA|AAPL|PYPL), expiry \d{4}-\d{2}-\d{2}, modelled$/ })).toBeVisible();
  await expect(page.getByTestId("option-chain").getByText("Modelled", { exact: true })).toBeVisible();
  await desk.review("covered-call-chain");
});
