import { randomUUID } from "node:crypto";
import { e2eDatabase } from "./database";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * QUOTED options in the viewer and over REST (issue #23 item 3): provider quotes of ZZHALO's 2025-05-09 contracts stored
 * in option_quotes (as `npm run data:options` stores them), stamped the Friday before. A backtest driven over REST buys
 * one at the quoted ask; the viewer badges the chain Quoted and shows the quotes as stored. ZZHALO and these days are
 * used by no other spec (quotes are shared market data: no other session may see them).
 */
const SYMBOL = "ZZHALO";
const SESSION = { kind: "backtest", interval: "day", start: "2025-05-05", end: "2025-05-09", symbols: [SYMBOL], driver: "external" };
const STAMP = "2025-05-02T19:59:00Z"; // 15:59 New York, the Friday before

test("quoted options: the chain as the provider quoted it, a fill at the quoted ask, badged Quoted in the viewer", async ({ playwright, baseURL, page, desk }) => {
  test.setTimeout(120_000);
  const sql = await e2eDatabase();
  let strikes: number[];
  try {
    const [open] = await sql<{ open: number }[]>`select open from bars where symbol = ${SYMBOL} and interval = 'day' and start = '2025-05-05T13:30:00Z'`;
    const atm = Math.round(open!.open);
    strikes = [atm - 2, atm, atm + 2];
    const occ = (right: "C" | "P", k: number) => `${SYMBOL}250509${right}${String(k * 1000).padStart(8, "0")}`;
    const rows = strikes.flatMap((k, i) => [
      { symbol: occ("C", k), right: "call", strike: k, bid: 2.1 - i * 0.8, ask: 2.3 - i * 0.8 },
      { symbol: occ("P", k), right: "put", strike: k, bid: 0.4 + i * 0.8, ask: 0.55 + i * 0.8 },
    ]);
    for (const r of rows) {
      await sql`insert into option_quotes values (${r.symbol}, ${SYMBOL}, '2025-05-09', ${r.right}, ${r.strike}, ${STAMP}, ${r.bid}, ${r.ask}, 'polygon') on conflict do nothing`;
    }
  } finally {
    await sql.end();
  }

  const api = await playwright.request.newContext({ baseURL });
  const email = newEmail("quoted");
  const owner = bearer(await signUpForToken(api, email));
  const model = await api.post("/api/v1/models", { headers: owner, data: { name: "Quoted desk", signature: `q-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  const modelId = (await model.json()).model.id as string;
  const started = await api.post("/api/v1/sessions", { headers: owner, data: { modelId, ...SESSION } });
  expect(started.status(), await started.text()).toBe(202);
  const id = (await started.json()).session.id as string;

  // Over REST: the chain is the stored quotes, each row marked quoted; the volatility implied from the mid.
  const res = await api.get(`/api/v1/sessions/${id}/options/chain?underlying=${SYMBOL}&expiry=2025-05-09`, { headers: owner });
  expect(res.status(), await res.text()).toBe(200);
  const chain = (await res.json()) as { source: string; contracts: { symbol: string; strike: number; right: string; bid: number; ask: number; iv: number; source: string }[] };
  expect(chain.source).toBe("quoted");
  expect(chain.contracts.map((c) => c.strike)).toEqual(strikes.flatMap((k) => [k, k]));
  expect(chain.contracts.every((c) => c.source === "quoted" && c.iv > 0)).toBe(true);
  const atmCall = chain.contracts.find((c) => c.right === "call" && c.strike === strikes[1])!;
  expect([atmCall.bid, atmCall.ask]).toEqual([1.3, 1.5]);

  const bought = await api.post(`/api/v1/sessions/${id}/orders`, {
    headers: { ...owner, "idempotency-key": `open-${atmCall.symbol}` },
    data: { symbol: atmCall.symbol, side: "buy", positionIntent: "buy_to_open", quantity: 1 },
  });
  expect(bought.status(), await bought.text()).toBe(201);
  const order = await bought.json();
  expect([order.status, Number(order.fills[0].price)]).toEqual(["filled", 1.5]); // the quoted ask
  // A multi-leg order over REST: a put debit vertical (the higher put bought at its ask, the lower sold at its bid), all at once.
  const putOf = (k: number) => chain.contracts.find((c) => c.right === "put" && c.strike === k)!;
  const [high, low] = [putOf(strikes[2]!), putOf(strikes[1]!)];
  const vertical = await api.post(`/api/v1/sessions/${id}/orders`, {
    headers: { ...owner, "idempotency-key": "put-vertical" },
    data: { orderClass: "mleg", type: "market", quantity: 1, legs: [{ symbol: high.symbol, side: "buy", ratio: 1, positionIntent: "buy_to_open" }, { symbol: low.symbol, side: "sell", ratio: 1, positionIntent: "sell_to_open" }] },
  });
  expect(vertical.status(), await vertical.text()).toBe(201);
  const combo = await vertical.json();
  expect([combo.status, combo.orderClass, combo.strategy.name]).toEqual(["filled", "mleg", "put_debit_vertical"]);
  expect(combo.legs.map((l: { fills: { price: string }[] }) => Number(l.fills[0]!.price))).toEqual([high.ask, low.bid]); // 2.15 and 1.20, as quoted
  const debit = Math.round((high.ask - low.bid) * 100) / 100;
  expect(Number(combo.strategy.netPrice)).toBeCloseTo(debit, 6);

  const portfolio = await (await api.get(`/api/v1/sessions/${id}/portfolio`, { headers: owner })).json();
  expect(portfolio.options.source).toBe("quoted");
  expect(portfolio.options.positions.map((p: { symbol: string }) => p.symbol).sort()).toEqual([atmCall.symbol, high.symbol, low.symbol].sort());
  expect(portfolio.options.positions.find((p: { symbol: string }) => p.symbol === atmCall.symbol)).toMatchObject({ mark: 1.4, source: "quoted" });

  // The bar commits the fill; the next bar's clock (05-06's open) still sees the Friday quotes (under four days old).
  const advanced = await api.post(`/api/v1/sessions/${id}/advance`, { headers: owner, data: { bar: 0 } });
  expect(advanced.status(), await advanced.text()).toBe(200);
  // The same Idempotency-Key again in the next turn: the strategy it placed, with its legs, nothing placed again.
  const again = await api.post(`/api/v1/sessions/${id}/orders`, {
    headers: { ...owner, "idempotency-key": "put-vertical" },
    data: { orderClass: "mleg", type: "market", quantity: 1, legs: [{ symbol: high.symbol, side: "buy", ratio: 1, positionIntent: "buy_to_open" }, { symbol: low.symbol, side: "sell", ratio: 1, positionIntent: "sell_to_open" }] },
  });
  expect(again.status(), await again.text()).toBe(200);
  const repeated = await again.json();
  expect([repeated.duplicate, repeated.orderId, repeated.orderClass, repeated.strategy?.name, repeated.legs.map((l: { symbol: string }) => l.symbol)]).toEqual([
    true, combo.orderId, "mleg", "put_debit_vertical", [high.symbol, low.symbol],
  ]);
  expect(repeated.message).toMatch(/^This tool call already placed order .*: Filled 1 put debit vertical at a net debit of \$0\.95 a share/);

  // The viewer: the Greeks say where they come from; the chain is badged Quoted.
  await page.goto("/sign-in");
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByRole("table", { name: "Option Greeks" }).getByRole("rowheader", { name: new RegExp(atmCall.symbol) })).toBeVisible();
  await expect(page.getByTestId("option-greeks-note")).toContainText(/^From quotes at /);
  await expect(page.getByTestId("payoff-note")).toContainText(/ days left at \d+\.\d% volatility \(implied by its quote\)\./);
  // The multi-leg order in the decision's details: named by its strategy, with its profile, then its legs.
  await page.getByRole("list", { name: "Decisions, newest first" }).getByRole("button", { name: /^May 5, 2025 / }).click();
  const placed = page.getByRole("region", { name: "Orders and fills, May 5, 2025" });
  await expect(placed.getByText(`Put debit vertical on ${SYMBOL} × 1`)).toBeVisible();
  const fmt = (v: number) => `$${v.toFixed(2)}`;
  await expect(placed.getByTestId("strategy-profile")).toHaveText(
    `Net debit ${fmt(debit)} a share · per unit: max profit ${fmt((2 - debit) * 100)}, max loss ${fmt(debit * 100)} · breakeven ${fmt(strikes[2]! - debit)}`,
  );
  await expect(placed.getByText(/\(strategy leg\)/)).toHaveCount(2);
  await placed.screenshot({ path: "e2e/screenshots/options-strategy-order.png" });
  await page.getByRole("button", { name: "Show the option chain" }).click();
  const table = page.getByRole("table", { name: `Option chain of ${SYMBOL}, expiry 2025-05-09, quoted` });
  await expect(table).toBeVisible();
  await expect(page.getByTestId("option-chain").getByText("Quoted", { exact: true })).toBeVisible();
  const atmRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: strikes[1]!.toFixed(2), exact: true }) });
  await expect(atmRow.getByRole("cell").nth(0)).toHaveText("1.30"); // the call's bid, as stored
  await expect(atmRow.getByRole("cell").nth(1)).toHaveText("1.50");
  await desk.review("options-quoted-chain");
});
