import { E2E_OPENROUTER_KEY, expect, newEmail, test } from "./fixtures";
import { SessionDesk } from "./session-desk";

test("a person signs up, signs in, creates, edits and archives a model, and signs out", async ({ desk, page }) => {
  const email = newEmail("alice");
  await page.goto("/");
  await desk.review("landing");
  await desk.signUp(email);
  await expect(page.getByText("No models yet — create one")).toBeVisible();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await desk.review("dashboard-empty");

  await desk.signOut();
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);

  await desk.createModel("Momentum One", "momentum-one");
  await expect(page.getByText("momentum-one · builtin:momentum")).toBeVisible();
  await expect(page.getByText("Starting cash $25,000.00")).toBeVisible();

  await page.getByRole("link", { name: "Edit Momentum One" }).click();
  await expect(page.getByRole("heading", { name: "Edit Momentum One" })).toBeVisible();
  await desk.review("model-edit");
  await desk.fillModel({ Name: "Momentum Prime", "Strategy prompt": "Buy strength, cut losers fast." });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Momentum Prime" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Momentum One" })).toHaveCount(0);

  await page.getByRole("button", { name: "Archive Momentum Prime" }).click();
  await expect(page.getByText("Archived", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Restore Momentum Prime" })).toBeVisible();
  await expect(page.getByText("Your models are archived: restore one or create one, then run it as a backtest or an intraday replay.")).toBeVisible();
  await desk.review("dashboard-models");
  await desk.signOut();
});

test("bad input gets a message next to the field and creates nothing", async ({ desk, page }) => {
  await desk.signUp(newEmail("bad"));
  await page.getByRole("link", { name: "New model" }).click();
  await desk.fillModel({ Name: "", Signature: "Not OK", Model: "gpt-5", "Starting cash (USD)": "-100", "Slippage (basis points)": "lots" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Name is required");
  await expect(page.getByLabel("Signature")).toHaveAccessibleDescription(/lower-case letters/);
  // The id typed under "Other…" is what the schema refused: the error stands by that field, the choice is kept.
  await expect(page.getByLabel("Other model id")).toHaveAccessibleDescription(/Unknown model "gpt-5"/);
  await expect(page.getByLabel("Other model id")).toHaveValue("gpt-5");
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("other");
  await expect(page.getByLabel("Starting cash (USD)")).toHaveAccessibleDescription(/positive amount/);
  await expect(page.getByLabel("Slippage (basis points)")).toHaveAccessibleDescription("Slippage must be a whole number of basis points from 0 to 9999");
  await expect(page.getByLabel("Slippage (basis points)")).toHaveValue("lots");
  await desk.review("model-new-errors");

  await desk.fillModel({ Name: "x".repeat(10_000), Signature: "ok-sig", Model: "builtin:random", "Starting cash (USD)": "abc" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Name must be at most 80 characters");
  await expect(page.getByLabel("Starting cash (USD)")).toHaveAccessibleDescription(/positive amount/);

  await desk.createModel("Dup", "dup-sig");
  await page.getByRole("link", { name: "New model" }).click();
  await desk.fillModel({ Name: "Dup again", Signature: "dup-sig" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByLabel("Signature")).toHaveAccessibleDescription('You already have a model with signature "dup-sig"');

  await page.goto("/dashboard");
  await expect(page.getByRole("list", { name: "Models" }).getByRole("listitem")).toHaveCount(1);
});

test("short selling: the model's margin and borrow rate are checked, shown in words and carried into the start dialog", async ({ desk, page }) => {
  await desk.signUp(newEmail("shorts"));
  await page.getByRole("link", { name: "New model" }).click();
  await desk.fillModel({ Name: "Short Seller", Signature: "short-seller", "Short margin (basis points of short value)": "5000", "Borrow rate (basis points a year)": "300" });
  await page.getByLabel("Allow short selling").check();
  await page.getByRole("button", { name: "Save" }).click();
  const margin = page.getByLabel("Short margin (basis points of short value)");
  await expect(margin).toHaveAccessibleDescription("The short margin requirement must be a whole number of basis points of short value from 10000 to 100000");
  await expect(margin).toHaveValue("5000");
  await expect(page.getByLabel("Allow short selling")).toBeChecked();

  await desk.fillModel({ "Short margin (basis points of short value)": "20000" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByText("No commission · no slippage · shorting at 200 % margin, 300 bps/yr borrow")).toBeVisible();

  // A session starts from the model's rules: they are the dialog's words and its empty fields' placeholders.
  const sessions = new SessionDesk(page);
  await sessions.openStartDialog();
  await expect(sessions.dialog().getByTestId("model-trading")).toHaveText(/shorting at 200 % margin, 300 bps\/yr borrow\./);
  await sessions.dialog().getByText("Trading settings", { exact: true }).click();
  await expect(sessions.dialog().getByLabel("Short margin (basis points of short value)")).toHaveAttribute("placeholder", "20000");
  await expect(sessions.dialog().getByLabel("Borrow rate (basis points a year)")).toHaveAttribute("placeholder", "300");
  await sessions.dialog().getByLabel("Short margin (basis points of short value)").scrollIntoViewIfNeeded();
  await desk.review("start-session-shorting");

  // Edited back to long only: the margin is a shorting rule, so it is not kept.
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Edit Short Seller" }).click();
  await expect(page.getByLabel("Short margin (basis points of short value)")).toHaveValue("20000");
  await page.getByLabel("Allow short selling").uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("No commission · no slippage · long only")).toBeVisible();
});

test("the Model list: built-ins with what they do, the configured providers' models, Other… for any id, and the choice shown when editing", async ({ desk, page }) => {
  await desk.signUp(newEmail("picker"));
  await page.getByRole("link", { name: "New model" }).click();
  const list = page.getByLabel("Model", { exact: true });
  const other = page.getByLabel("Other model id");
  // The built-ins, each with what it does in the strategy's own words; momentum chosen to start with.
  await expect(list.locator('optgroup[label="Built-in strategies (run offline, no API key)"] option')).toHaveText([
    "Buy and hold — Buys an equal-weight basket on the first bar and holds it",
    "Momentum — Buys recent winners, sells losers",
    "Mean reversion — Buys dips below the moving average, sells rallies above it",
    "Random — Seeded random trades: a baseline any strategy should beat",
    "Breakout — Buy stops above the recent range with a bracket; trails winners",
    "Covered call — Owns 100-share lots and sells a 30-delta monthly call against each; rolls at expiry",
  ]);
  await expect(list).toHaveValue("builtin:momentum");
  await expect(list).toHaveAccessibleDescription(/^builtin:momentum runs inside Bullpen with no API key\. Its rule: hold the top 3 symbols by 20-bar return/);
  // This server has an OpenRouter key (playwright.config.ts): its models are listed, never its key. The
  // providers without one are named with the setting that would add them.
  await expect(list.locator('optgroup[label="OpenRouter"] option').first()).toHaveText("Claude Sonnet 4 (Anthropic) (anthropic/claude-sonnet-4)");
  await expect(list.locator('optgroup[label="OpenAI"]')).toHaveCount(0);
  await expect(list).toHaveAccessibleDescription(/Not configured on this server, so not listed: OpenAI \(set OPENAI_API_KEY\) and an OpenAI-compatible server \(set COMPATIBLE_BASE_URL\)\./);
  expect(await page.content()).not.toContain(E2E_OPENROUTER_KEY);
  await expect(other).toBeHidden();
  await desk.review("model-new-picker");

  // (a) Chosen with the keyboard, the description follows; saved, the model runs that strategy.
  await list.focus();
  await page.keyboard.press("ArrowDown");
  await expect(list).toHaveValue("builtin:mean-reversion");
  await expect(list).toHaveAccessibleDescription(/Its rule: buy when the last close is more than 1\.5 standard deviations below its 20-bar average/);
  await desk.fillModel({ Name: "Dip Buyer", Signature: "dip-buyer", "Starting cash (USD)": "5000" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("dip-buyer · builtin:mean-reversion")).toBeVisible();

  // (b) "Other…" shows a field for any provider:model id; a listed provider's model is also a choice.
  await page.getByRole("link", { name: "New model" }).click();
  await list.selectOption({ label: "Other… (type a provider:model id)" });
  await expect(other).toBeVisible();
  await expect(list).toHaveAccessibleDescription(/^Any provider:model id/);
  await other.fill("openai:gpt-5.1-preview");
  await desk.fillModel({ Name: "Newest GPT", Signature: "newest-gpt" });
  await desk.review("model-new-other");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("newest-gpt · openai:gpt-5.1-preview")).toBeVisible();
  await desk.createModel("Claude Desk", "claude-desk", "openrouter:anthropic/claude-sonnet-4");
  await expect(page.getByText("claude-desk · openrouter:anthropic/claude-sonnet-4")).toBeVisible();

  // (c) Editing shows the model's choice: its option, or "Other…" with its id typed in.
  await page.getByRole("link", { name: "Edit Dip Buyer" }).click();
  await expect(list).toHaveValue("builtin:mean-reversion");
  await expect(other).toBeHidden();
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Edit Claude Desk" }).click();
  await expect(list).toHaveValue("openrouter:anthropic/claude-sonnet-4");
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Edit Newest GPT" }).click();
  await expect(list).toHaveValue("other");
  await expect(other).toBeVisible();
  await expect(other).toHaveValue("openai:gpt-5.1-preview");
  await desk.review("model-edit-other");
  // Switched to a built-in, saved: the typed id is left behind.
  await list.selectOption("builtin:random");
  await expect(other).toBeHidden();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("newest-gpt · builtin:random")).toBeVisible();
});

test("the model form works without JavaScript: Other… shows its field, errors come back, a model is saved", async ({ desk, page, browser }) => {
  await desk.signUp(newEmail("nojs"));
  const context = await browser.newContext({ storageState: await page.context().storageState(), javaScriptEnabled: false });
  try {
    const plain = await context.newPage();
    await plain.goto("/models/new");
    const list = plain.getByLabel("Model", { exact: true });
    await expect(list).toHaveValue("builtin:momentum");
    await expect(plain.getByLabel("Other model id")).toBeHidden();
    await list.selectOption("other");
    await expect(plain.getByLabel("Other model id")).toBeVisible(); // CSS shows it, no script
    await plain.getByLabel("Other model id").fill("nonsense");
    await plain.getByLabel("Name", { exact: true }).fill("Plain Form");
    await plain.getByLabel("Signature").fill("plain-form");
    await plain.getByRole("button", { name: "Save" }).click();
    await expect(plain.getByLabel("Other model id")).toHaveAccessibleDescription(/Unknown model "nonsense"/);
    await expect(plain.getByLabel("Other model id")).toHaveValue("nonsense");
    await expect(list).toHaveValue("other");
    await plain.getByLabel("Other model id").fill("compatible:qwen2.5");
    await plain.getByRole("button", { name: "Save" }).click();
    await expect(plain).toHaveURL(/\/dashboard/);
    await expect(plain.getByText("plain-form · compatible:qwen2.5")).toBeVisible();
  } finally {
    await context.close();
  }
});

test("sign-up and sign-in errors are shown in words", async ({ desk, page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email/);
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/at least 8 characters/);
  await desk.review("sign-up-errors");

  const email = newEmail("dup");
  await desk.signUp(email);
  await desk.signOut();
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("another password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("form", { name: "Sign up" }).getByRole("alert")).toHaveText(/already exists/);

  await page.goto("/sign-in");
  await desk.signIn(email, "wrong password");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Invalid login credentials");
  await desk.review("sign-in-error");
});

test("signed-out visits go to sign-in and come back; the next URL is validated", async ({ desk, page }) => {
  const email = newEmail("next");
  await desk.signUp(email);
  await desk.signOut();
  await page.goto("/models/new");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fmodels%2Fnew$/);
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/models\/new$/);
  await desk.signOut();

  await page.goto("/sign-in?next=//evil.example.com/steal");
  await desk.signIn(email);
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/dashboard$/);
});
