import { expect, newEmail, test } from "./fixtures";

test("a second user sees nothing of the first user's model: UI, direct URL, or server action", async ({ browser }) => {
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  const { Desk } = await import("./fixtures");
  const a = new Desk(await alice.newPage());
  const b = new Desk(await bob.newPage());

  await a.signUp(newEmail("alice"));
  await a.createModel("Alice Secret", "alice-secret");
  await a.page.getByRole("link", { name: "Edit Alice Secret" }).click();
  await expect(a.page).toHaveURL(/\/edit$/);
  const aliceModelId = /\/models\/([0-9a-f-]{36})\/edit/.exec(a.page.url())![1]!;

  await b.signUp(newEmail("bob"));
  await expect(b.page.getByText("No models yet — create one")).toBeVisible();
  await expect(b.page.getByText("Alice Secret")).toHaveCount(0);

  const res = await b.page.goto(`/models/${aliceModelId}/edit`);
  expect(res?.status()).toBe(404);
  await expect(b.page.getByText("Alice Secret")).toHaveCount(0);
  await b.review("not-found");
  // An address that is no page at all: the same words, outside the app's layout.
  expect((await b.page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(b.page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await b.review("not-found-address");

  // Bob archives his own model, but the request is tampered to carry Alice's model id.
  await b.createModel("Bob Model", "bob-model");
  let tampered = false;
  await b.page.route((url) => url.pathname === "/dashboard", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      const body = req.postData() ?? "";
      const bobId = /"([0-9a-f-]{36})"/.exec(body)?.[1];
      if (bobId) {
        tampered = true;
        return route.continue({ postData: body.replace(bobId, aliceModelId) });
      }
    }
    return route.continue();
  });
  await b.page.getByRole("button", { name: "Archive Bob Model" }).click();
  await expect(b.page.getByText("Model not found")).toBeVisible();
  expect(tampered).toBe(true);
  await b.page.unrouteAll();

  // Bob starts a session also for his second model, but the request carries Alice's model instead: none starts.
  await b.createModel("Bob Two", "bob-two");
  const bobTwoId = /\/models\/([0-9a-f-]{36})\/edit/.exec((await b.page.getByRole("link", { name: "Edit Bob Two" }).getAttribute("href")) ?? "")![1]!;
  tampered = false;
  await b.page.route((url) => url.pathname === "/dashboard", async (route) => {
    const body = route.request().postData() ?? "";
    if (route.request().headers()["next-action"] && body.includes(bobTwoId)) {
      tampered = true;
      return route.continue({ postData: body.replaceAll(bobTwoId, aliceModelId) });
    }
    return route.continue();
  });
  await b.page.getByRole("button", { name: "Start session" }).click();
  const dialog = b.page.getByRole("dialog");
  await dialog.getByLabel("Model", { exact: true }).selectOption({ label: "Bob Model (builtin:momentum)" });
  await dialog.getByText("Also run with other models").click();
  await dialog.getByRole("checkbox", { name: "Bob Two (builtin:momentum)" }).check();
  await dialog.getByRole("button", { name: "Start 2 sessions" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Model not found");
  expect(tampered).toBe(true);
  await b.page.goto("/dashboard");
  await expect(b.page.getByRole("link", { name: /^Open session:/ })).toHaveCount(0);

  await a.page.goto("/dashboard");
  await expect(a.page.getByRole("button", { name: "Archive Alice Secret" })).toBeVisible();
  await expect(a.page.getByText("Archived", { exact: true })).toHaveCount(0);
  await expect(a.page.getByRole("link", { name: /^Open session:/ })).toHaveCount(0);

  // Bob renames his own session, but the request carries Alice's session id: refused, her label unchanged.
  const run = { kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"], label: "hers" };
  const started = async (desk: typeof a, modelId: string) => (await (await desk.page.request.post("/api/v1/sessions", { data: { ...run, modelId } })).json()).session.id as string;
  const aliceSession = await started(a, aliceModelId);
  const bobSession = await started(b, bobTwoId);
  await b.page.goto(`/sessions/${bobSession}`);
  await b.page.route((url) => url.pathname === `/sessions/${bobSession}`, async (route) => {
    const body = route.request().postData() ?? "";
    if (route.request().headers()["next-action"] && body.includes("mine now")) {
      tampered = true;
      return route.continue({ postData: body.replaceAll(bobSession, aliceSession) });
    }
    return route.continue();
  });
  tampered = false;
  await b.page.getByRole("button", { name: "Rename this session" }).click();
  await b.page.getByRole("form", { name: "Rename the session" }).getByLabel("Label").fill("mine now");
  await b.page.getByRole("button", { name: "Save" }).click();
  await expect(b.page.getByRole("form", { name: "Rename the session" }).getByRole("alert")).toHaveText("Session not found");
  expect(tampered).toBe(true);
  const labelOf = async (desk: typeof a, id: string) => (await (await desk.page.request.get(`/api/v1/sessions/${id}`)).json()).session.label;
  expect(await labelOf(a, aliceSession)).toBe("hers");
  expect(await labelOf(b, bobSession)).toBe("hers");
  await alice.close();
  await bob.close();
});
