import type { APIRequestContext } from "@playwright/test";
import { bearer, Desk, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * "Ask the model" in the session viewer: a built-in momentum model that ran a short backtest on the
 * synthetic market answers a question about its session, citing the positions its ledger holds; it cannot
 * trade from the chat; the conversation stays with the session; another user gets 404.
 */

interface Order {
  symbol: string;
  placedAt: string;
  fills: { quantityAfter: number }[];
}

/** Open positions from the session's fills (the last quantityAfter per symbol). */
async function heldPositions(request: APIRequestContext, sessionId: string): Promise<Map<string, number>> {
  const res = await request.get(`/api/v1/sessions/${sessionId}/orders`);
  expect(res.status()).toBe(200);
  const { orders } = (await res.json()) as { orders: Order[] };
  const held = new Map<string, number>();
  for (const o of [...orders].sort((a, b) => a.placedAt.localeCompare(b.placedAt))) for (const f of o.fills) held.set(o.symbol, f.quantityAfter);
  for (const [symbol, q] of held) if (q === 0) held.delete(symbol);
  return held;
}

test("ask the session's model: the answer streams in, cites its real positions, cannot trade, and stays with the session", async ({ page, request }) => {
  test.setTimeout(180_000);
  const desk = new Desk(page);
  await desk.signUp(newEmail("asker"));
  await desk.createModel("Momentum Asker", "momentum-asker", "builtin:momentum");

  // A five-day backtest through the API, with the browser's own cookie session.
  const api = page.request;
  const { models } = (await (await api.get("/api/v1/models")).json()) as { models: { id: string; name: string }[] };
  const modelId = models.find((m) => m.name === "Momentum Asker")!.id;
  const started = await api.post("/api/v1/sessions", { data: { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07" } });
  expect(started.status()).toBe(202);
  const { session } = (await started.json()) as { session: { id: string } };
  await expect.poll(async () => (await (await api.get(`/api/v1/sessions/${session.id}`)).json()).session.status, { timeout: 90_000 }).toBe("completed");
  const held = await heldPositions(api, session.id);
  expect(held.size).toBeGreaterThan(0);
  const [symbol, quantity] = [...held.entries()][0]!;
  const ordersBefore = (await (await api.get(`/api/v1/sessions/${session.id}/orders`)).json()).orders.length as number;

  // The route streams the UI message stream token by token, with only read-only tools.
  const ask = (text: string) => ({ messages: [{ id: `q-${text.length}`, role: "user", parts: [{ type: "text", text }] }] });
  const streamed = await api.post(`/api/v1/sessions/${session.id}/chat`, { data: ask(`And ${symbol}?`) });
  expect(streamed.status()).toBe(200);
  expect(streamed.headers()["content-type"]).toContain("text/event-stream");
  const events = (await streamed.text()).split("\n\n").filter((e) => e.startsWith("data: {"));
  expect(events.filter((e) => e.includes('"type":"text-delta"')).length).toBeGreaterThan(10);
  expect([...new Set(events.flatMap((e) => /"toolName":"([a-z_]+)"/.exec(e)?.[1] ?? []))].sort()).toEqual(["get_portfolio", "get_quote"]);

  // Another user: the session's conversation does not exist for them; nobody signed in: 401.
  const headers = bearer(await signUpForToken(request, newEmail("other")));
  for (const res of [
    await request.get(`/api/v1/sessions/${session.id}/chat`, { headers }),
    await request.post(`/api/v1/sessions/${session.id}/chat`, { headers, data: ask("What do you hold?") }),
  ]) {
    expect(res.status()).toBe(404);
    expect((await res.json()).error.code).toBe("NOT_FOUND");
  }
  expect((await request.post(`/api/v1/sessions/${session.id}/chat`, { data: ask("What do you hold?") })).status()).toBe(401);

  // In the viewer: the stored question is there; ask another, watch it answer, see the tool calls it made.
  await page.goto(`/sessions/${session.id}`);
  const conversation = page.getByRole("list", { name: "Conversation", exact: true });
  const answers = conversation.getByRole("listitem").filter({ hasText: /^Model/ });
  await expect(conversation.getByText(`And ${symbol}?`)).toBeVisible();
  await expect(answers).toHaveCount(1);
  const box = page.getByRole("textbox", { name: "Ask the model" });
  await box.fill(`Why did you buy ${symbol}? What do you hold now?`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(conversation.getByText(`Why did you buy ${symbol}?`)).toBeVisible();
  await expect(answers).toHaveCount(2);
  await expect(answers.nth(1).getByText(`I hold ${quantity} shares`)).toBeVisible();
  await expect(answers.nth(1).getByText("Looked up portfolio")).toBeVisible();
  await expect(answers.nth(1).getByText(`Looked up quote for ${symbol}`)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "The answer is complete." })).toBeVisible();
  await desk.review("session-chat");

  // Asked to trade, it cannot: it answers, and no order appears.
  await box.fill(`Buy 10 ${symbol} now.`);
  await box.press("Enter");
  await expect(conversation.getByText(`Buy 10 ${symbol} now.`)).toBeVisible();
  await expect(answers).toHaveCount(3);
  await expect(answers.nth(2).getByText(`I hold ${quantity} shares`)).toBeVisible();
  expect((await (await api.get(`/api/v1/sessions/${session.id}/orders`)).json()).orders.length).toBe(ordersBefore);

  // Stored with the session: a reload shows the whole conversation.
  await page.reload();
  await expect(answers).toHaveCount(3);
  await expect(conversation.getByText(`Why did you buy ${symbol}?`)).toBeVisible();
});
