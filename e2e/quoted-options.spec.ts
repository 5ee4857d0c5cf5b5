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
  const portfolio = await (await api.get(`/api/v1/sessions/${id}/portfolio`, { headers: owner })).json();
  expect(portfolio.options).toMatchObject({ source: "quoted", positions: [{ symbol: atmCall.symbol, mark: 1.4, source: "quoted" }] });

  // The bar commits the fill; the next bar's clock (05-06's open) still sees the Friday quotes (under four days old).
  const advanced = await api.post(`/api/v1/sessions/${id}/advance`, { headers: owner, data: { bar: 0 } });
  expect(advanced.status(), await advanced.text()).toBe(200);

  // The viewer: the Greeks say where they come from; the chain is badged Quoted.
  await page.goto("/sign-in");
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByRole("table", { name: "Option Greeks" }).getByRole("rowheader", { name: new RegExp(atmCall.symbol) })).toBeVisible();
  await expect(page.getByTestId("option-greeks-note")).toContainText(/^From quotes at /);
  await expect(page.getByTestId("payoff-note")).toContainText(/ days left at \d+\.\d% volatility \(implied by its quote\)\./);
  await page.getByRole("button", { name: "Show the option chain" }).click();
  const table = page.getByRole("table", { name: `Option chain of ${SYMBOL}, expiry 2025-05-09, quoted` });
  await expect(table).toBeVisible();
  await expect(page.getByTestId("option-chain").getByText("Quoted", { exact: true })).toBeVisible();
  const atmRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: strikes[1]!.toFixed(2), exact: true }) });
  await expect(atmRow.getByRole("cell").nth(0)).toHaveText("1.30"); // the call's bid, as stored
  await expect(atmRow.getByRole("cell").nth(1)).toHaveText("1.50");
  await desk.review("options-quoted-chain");
});
