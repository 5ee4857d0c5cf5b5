import { expect, newEmail, test } from "./fixtures";

const noHorizontalOverflow = () => document.documentElement.scrollWidth <= window.innerWidth;

test("pages fit a phone screen and work in dark mode", async ({ desk, page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/sign-up");
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  await desk.signUp(newEmail("phone"));
  await desk.createModel("A model with a rather long name for a small screen", "long-name");
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  await desk.review("phone-dashboard");

  await page.getByRole("button", { name: "Switch to dark mode" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Switch to light mode" })).toBeVisible();
  await desk.review("phone-dark-dashboard");
  // Toasts follow the theme: a dark one, checked as it shows.
  await page.getByRole("button", { name: "Clone A model with a rather long name for a small screen" }).click();
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: "Cloned A model with a rather long name" });
  await expect(toast).toBeVisible();
  await expect(page.getByRole("heading", { name: /\(copy\)$/ })).toBeVisible();
  await expect(page.locator("[data-sonner-toaster]")).toHaveAttribute("data-sonner-theme", "dark");
  await desk.review("phone-dark-toast");
  await page.getByRole("link", { name: "New model" }).click();
  await expect(page.getByRole("heading", { name: "New model" })).toBeVisible();
  expect(await page.evaluate(noHorizontalOverflow)).toBe(true);
  await desk.review("phone-dark-new-model");
});

test("every control on the model form is reachable by keyboard", async ({ desk, page }) => {
  await desk.signUp(newEmail("keys"));
  await page.goto("/models/new");
  const reached: string[] = [];
  await page.getByLabel("Name", { exact: true }).focus();
  const expected = ["name", "signature", "llm", "apiKey", "startingCash", "description", "instructions"];
  expected.push("perShare", "perOrder", "notionalBps", "minimum", "slippageBps", "participationBps", "borrowRateBps", "shortMarginRequirementBps", "allowShort", "Save", "Cancel");
  for (let i = 0; i < expected.length; i++) {
    reached.push(await page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.textContent ?? ""));
    await page.keyboard.press("Tab");
  }
  expect(reached).toEqual(expected);
});
