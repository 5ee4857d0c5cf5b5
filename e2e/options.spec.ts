import { randomUUID } from "node:crypto";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * Options in the session viewer (issue #23 item 7): a backtest driven over REST by its owner (as an outside agent
 * would) buys two contracts of the synthetic ZZSOLR: a far out-of-the-money call of Friday 2025-03-07, which expires
 * worthless after that close, and a put near the money of 2025-03-14, still held when the session ends. The viewer
 * then shows the put's Greeks, its payoff diagram, a modelled chain and the call's expiry among the decisions.
 */
const SESSION = { kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-10", symbols: ["ZZSOLR"], driver: "external" };

interface Row {
  symbol: string;
  right: "call" | "put";
  strike: number;
  ask: number;
}

test("a session holding options: Greeks with the positions, the payoff diagram, the chain at the clock and an expiry in the feed", async ({ playwright, baseURL, page, desk }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  const email = newEmail("options");
  const owner = bearer(await signUpForToken(api, email));
  const model = await api.post("/api/v1/models", { headers: owner, data: { name: "Options desk", signature: `opt-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  const modelId = (await model.json()).model.id as string;
  const started = await api.post("/api/v1/sessions", { headers: owner, data: { modelId, ...SESSION } });
  expect(started.status(), await started.text()).toBe(202);
  const id = (await started.json()).session.id as string;

  const chainOf = async (expiry: string) => {
    const res = await api.get(`/api/v1/sessions/${id}/options/chain?underlying=ZZSOLR&expiry=${expiry}`, { headers: owner });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as { underlyingPrice: number; source: string; contracts: Row[] };
  };
  const friday = await chainOf("2025-03-07");
  expect(friday.source).toBe("modelled");
  const farCall = friday.contracts.filter((c) => c.right === "call").at(-1)!; // the highest strike listed: 10 strikes up
  const next = await chainOf("2025-03-14");
  const put = next.contracts.filter((c) => c.right === "put").reduce((a, b) => (Math.abs(b.strike - next.underlyingPrice) < Math.abs(a.strike - next.underlyingPrice) ? b : a));
  expect(farCall.strike).toBeGreaterThan(friday.underlyingPrice * 1.05);

  const fills: Record<string, number> = {};
  for (const c of [farCall, put]) {
    const res = await api.post(`/api/v1/sessions/${id}/orders`, { headers: { ...owner, "idempotency-key": `open-${c.symbol}` }, data: { symbol: c.symbol, side: "buy", positionIntent: "buy_to_open", quantity: 1 } });
    expect(res.status(), await res.text()).toBe(201);
    const order = await res.json();
    expect(order).toMatchObject({ status: "filled", filledQuantity: 1 });
    fills[c.symbol] = Number(order.fills[0].price);
  }
  // get_portfolio over REST: the Greeks of the two contracts, only because they are held.
  const portfolio = await (await api.get(`/api/v1/sessions/${id}/portfolio`, { headers: owner })).json();
  expect(portfolio.options.positions.map((p: { symbol: string }) => p.symbol).sort()).toEqual([farCall.symbol, put.symbol].sort());
  expect(portfolio.options.source).toBe("modelled");

  const advance = async (bar: number) => {
    const res = await api.post(`/api/v1/sessions/${id}/advance`, { headers: owner, data: { bar } });
    expect(res.status(), await res.text()).toBe(200);
    expect((await res.json()).status).toBe(bar === 5 ? "completed" : "running");
  };
  for (let bar = 0; bar < 5; bar++) await advance(bar);

  // Watched while it runs (its clock at Friday's open): both contracts with their Greeks, and their total.
  await page.goto("/sign-in");
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/sessions/${id}`);
  const live = page.getByRole("table", { name: "Option Greeks" });
  await expect(live.getByRole("rowheader", { name: new RegExp(farCall.symbol) })).toBeVisible();
  await expect(live.getByRole("rowheader", { name: new RegExp(put.symbol) })).toBeVisible();
  await expect(live.getByRole("rowheader", { name: "Total" })).toBeVisible();
  await expect(live.getByRole("row", { name: new RegExp(farCall.symbol) }).getByRole("cell").first()).toHaveText("0.3"); // 09:30 to 16:00 the same day
  await expect(page.getByTestId("expiry-row")).toHaveCount(0);
  await page.getByRole("button", { name: "Show the option chain" }).click();
  await expect(page.getByRole("table", { name: "Option chain of ZZSOLR, expiry 2025-03-07, modelled" })).toBeVisible();
  await desk.review("options-running");

  // The last bar settles the call after Friday's close: its row comes into the feed live, the Greeks follow.
  await advance(5);
  await expect(page.getByTestId("session-status").first()).toHaveText("Completed", { timeout: 30_000 });
  await expect(page.getByTestId("expiry-row")).toContainText(`${farCall.symbol} expired worthless (1 contract held)`);
  await expect(live.getByRole("rowheader", { name: new RegExp(farCall.symbol) })).toHaveCount(0, { timeout: 15_000 });
  // What the viewer read while the turn was open (Greeks, the chain) was not recorded on it: the agent's bar made no call.
  await expect(page.getByRole("list", { name: "Decisions, newest first" }).getByRole("button", { name: /^Mar 10, 2025 / })).toContainText("0 tool calls");
  await page.reload();

  // The put's Greeks beside the positions (the far call expired after the 03-07 close).
  const greeks = page.getByRole("table", { name: "Option Greeks" });
  await expect(greeks).toBeVisible();
  for (const header of ["Contract", "Days to expiry", "IV", "Delta", "Theta", "Vega"]) await expect(greeks.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  const row = greeks.getByRole("row", { name: new RegExp(put.symbol) });
  const cells = row.getByRole("cell");
  await expect(cells.nth(0)).toHaveText(/^\d+\.\d$/); // days to expiry: Monday 09:30 to Friday 16:00, 4.3
  await expect(cells.nth(0)).toHaveText("4.3");
  await expect(cells.nth(2)).toHaveText(/^-\d+\.\d$/); // a long put's delta, in shares
  await expect(cells.nth(3)).toHaveText(/^-\$\d+\.\d\d$/); // it loses to time each day
  await expect(cells.nth(4)).toHaveText(/^\+\$\d+\.\d\d$/); // and gains with volatility
  await expect(page.getByRole("table", { name: "Open positions" }).getByRole("rowheader", { name: new RegExp(farCall.symbol) })).toHaveCount(0);
  // The positions table says it in words under the contract's symbol.
  await expect(page.getByRole("table", { name: "Open positions" }).getByTestId("position-greeks")).toContainText(/^4\.3 days to expiry · delta -\d+\.\d · theta -\$\d+\.\d\d\/day · vega \+\$\d+\.\d\d$/);
  // The price chart shows the underlying (the most traded symbol of the universe), not a contract.
  await expect(page.getByRole("figure", { name: "Price chart for ZZSOLR" })).toBeVisible();

  // Its payoff diagram, the breakeven at the strike less what was paid.
  await expect(page.getByRole("figure", { name: `Payoff of ${put.symbol}` })).toBeVisible();
  await expect(page.getByTestId("payoff-note")).toContainText(`Breakeven at expiry: $${(put.strike - fills[put.symbol]!).toFixed(2)}`);
  await expect(page.getByRole("figure", { name: `Payoff of ${put.symbol}` })).toHaveAttribute("aria-busy", "false");

  // The call's expiry, a row of its own in the feed.
  await expect(page.getByTestId("expiry-row")).toHaveCount(1);
  await expect(page.getByTestId("expiry-row")).toContainText(`${farCall.symbol} expired worthless (1 contract held)`);

  // The chain at the session's clock, modelled; another expiry on request.
  await page.getByRole("button", { name: "Show the option chain" }).click();
  const chain = page.getByRole("table", { name: "Option chain of ZZSOLR, expiry 2025-03-14, modelled" });
  await expect(chain).toBeVisible();
  await expect(page.getByTestId("option-chain").getByText("Modelled", { exact: true })).toBeVisible();
  await expect(chain.getByRole("columnheader", { name: "Calls" })).toBeVisible();
  await expect(chain.getByRole("rowheader", { name: put.strike.toFixed(2) })).toBeVisible();
  await desk.review("options-viewer");

  await page.getByLabel("Expiry", { exact: true }).selectOption("2025-03-21");
  await expect(page.getByRole("table", { name: "Option chain of ZZSOLR, expiry 2025-03-21, modelled" })).toBeVisible();
  await desk.review("options-chain-next-expiry");
});
