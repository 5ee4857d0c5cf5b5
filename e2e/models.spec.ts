import { expect, newEmail, test } from "./fixtures";
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
  await expect(page.getByLabel("Model", { exact: true })).toHaveAccessibleDescription(/Unknown model "gpt-5"/);
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
