import { readFile } from "node:fs/promises";
import type { APIRequestContext } from "@playwright/test";
import { bearer, Desk, expect, newEmail, PASSWORD, PUBLISHABLE_KEY, signUpForToken, test } from "./fixtures";

const ADMIN_EMAIL = "auditor@bullpen.test"; // in ADMIN_EMAILS of the e2e server (playwright.config.ts)

const signUpApi = async (request: APIRequestContext, email: string) => bearer(await signUpForToken(request, email));

/** A user with a buy-and-hold model that ran a short daily backtest on the synthetic market. */
async function traderWithTrades(request: APIRequestContext, label: string) {
  const email = newEmail(label);
  const headers = await signUpApi(request, email);
  const model = await request.post("/api/v1/models", {
    headers,
    data: { name: `${label} holds`, signature: `${label}-bh`, llm: "builtin:buy-and-hold", startingCash: "100000" },
  });
  const { model: m } = await model.json();
  const started = await request.post("/api/v1/sessions", {
    headers,
    data: { modelId: m.id, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07" },
  });
  expect(started.status()).toBe(202);
  const { session } = await started.json();
  await expect
    .poll(async () => (await (await request.get(`/api/v1/sessions/${session.id}`, { headers })).json()).session.status, { timeout: 60_000 })
    .toBe("completed");
  return { email, headers };
}

test("the trade audit: hidden from non-admins; an admin sees, filters, opens and exports every user's trades", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const alice = await traderWithTrades(request, "alice");
  const bob = await traderWithTrades(request, "bob");

  // A non-admin: the page and its API do not exist for them.
  expect((await request.get("/api/v1/admin/orders", { headers: bob.headers })).status()).toBe(404);
  const bobPage = await (await browser.newContext()).newPage();
  await bobPage.goto("/sign-in");
  await new Desk(bobPage).signIn(bob.email);
  await expect(bobPage).toHaveURL(/\/dashboard$/);
  await expect(bobPage.getByRole("link", { name: "Audit" })).toHaveCount(0);
  expect((await bobPage.goto("/admin/audit"))?.status()).toBe(404);

  // The admin.
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const desk = new Desk(page);
  await desk.signUp(ADMIN_EMAIL);
  await page.getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Trade audit" })).toBeVisible();
  const table = page.getByRole("table", { name: "Orders" });
  await expect(table.getByRole("cell", { name: alice.email }).first()).toBeVisible();
  await desk.review("admin-audit");

  await page.getByLabel("User email").fill(bob.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/user=bob/);
  const rows = table.getByRole("row");
  const count = (await rows.count()) - 1;
  expect(count).toBeGreaterThan(0);
  await expect(table.getByRole("cell", { name: alice.email })).toHaveCount(0);
  const tableSymbols = (await table.locator("tbody tr td:nth-child(4)").allTextContents()).sort();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = (await readFile(await (await download).path(), "utf8")).trimEnd().split("\r\n");
  expect(csv.length - 1).toBe(count);
  expect(csv.slice(1).map((l) => l.split(",")[5]).sort()).toEqual(tableSymbols);
  expect(csv.slice(1).every((l) => l.split(",")[1] === bob.email)).toBe(true);

  // The same filters over the API, as the admin: the same orders; bad filters are refused, by name.
  const token = await request.post("/auth/v1/token?grant_type=password", { headers: { apikey: PUBLISHABLE_KEY }, data: { email: ADMIN_EMAIL, password: PASSWORD } });
  const admin = { authorization: `Bearer ${(await token.json()).access_token}` };
  const listed = await request.get(`/api/v1/admin/orders?user=${encodeURIComponent(bob.email)}`, { headers: admin });
  expect(listed.status()).toBe(200);
  const body = (await listed.json()) as { total: number; orders: { symbol: string }[] };
  expect(body.total).toBe(count);
  expect(body.orders.map((o) => o.symbol).sort()).toEqual(tableSymbols);
  for (const [query, field] of [
    ["from=2025-03-07&to=2025-03-03", "to"],
    ["side=hold", "side"],
    ["type=trailing", "type"],
    ["status=working", "status"],
    ["session=42", "session"],
    ["page=0", "page"],
    ["sort=price", "sort"],
  ] as const) {
    const bad = await request.get(`/api/v1/admin/orders?${query}`, { headers: admin });
    expect(bad.status(), query).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(error.fields), query).toContain(field);
  }

  // By order type and status: these traders' orders are market orders; each row carries its type, time in force and class.
  const ofType = async (query: string) => (await (await request.get(`/api/v1/admin/orders?user=${encodeURIComponent(bob.email)}&${query}`, { headers: admin })).json()) as { total: number; orders: { type: string; timeInForce: string; orderClass: string; leg: string; status: string; filledQuantity: number; quantity: number; averageFillPrice: string | null }[] };
  const market = await ofType("type=market&status=filled");
  expect(market.total).toBeGreaterThan(0);
  for (const o of market.orders) expect(o).toMatchObject({ type: "market", timeInForce: "day", orderClass: "simple", leg: "entry", status: "filled", filledQuantity: o.quantity, averageFillPrice: expect.stringMatching(/^\d+\.\d{6}$/) });
  expect((await ofType("type=trailing_stop")).total).toBe(0);
  const typeError = (await (await request.get("/api/v1/admin/orders?type=trailing", { headers: admin })).json()).error;
  expect(typeError.fields.type).toBe("Type must be one of market, limit, stop, stop_limit, trailing_stop");
  await page.getByLabel("Type").selectOption("trailing_stop");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/type=trailing_stop/);
  await expect(page.getByText("No orders match these filters.")).toBeVisible();
  await page.getByLabel("Type").selectOption("market");
  await page.getByLabel("Status").selectOption("filled");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/type=market/);
  await expect(table.getByRole("row")).toHaveCount(market.total + 1);
  await expect(table.getByRole("cell", { name: "Market · day" })).toHaveCount(market.total);

  await table.getByRole("link", { name: /^Open the decision behind order / }).first().click();
  await expect(page.getByRole("heading", { name: /Decision at/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Tool calls/ })).toBeVisible();
  await expect(page.getByText("Outcome: Traded")).toBeVisible();
  await expect(page.getByRole("list", { name: "Orders of this decision" })).toContainText("filled");
  await desk.review("admin-decision");
});
