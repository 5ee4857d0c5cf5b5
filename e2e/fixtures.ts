import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export const PASSWORD = "e2e password 123";
export const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;
/** The built-in auth's publishable key (playwright.config.ts runs the app on embedded defaults). */
export const PUBLISHABLE_KEY = "sb_publishable_bullpen_local";
/** The OpenRouter key the e2e server is configured with (playwright.config.ts): a placeholder no test calls OpenRouter with. */
export const E2E_OPENROUTER_KEY = "sk-or-e2e-placeholder-never-sent";

/** Signs `email` up through the built-in auth's HTTP API, as an API client would; returns its access token. */
export async function signUpForToken(request: APIRequestContext, email: string): Promise<string> {
  const res = await request.post("/auth/v1/signup", { headers: { apikey: PUBLISHABLE_KEY }, data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
  return (await res.json()).access_token as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Page objects for what a person does, found by role and label like a screen reader would. */
export class Desk {
  constructor(readonly page: Page) {}

  async signUp(email: string, password = PASSWORD) {
    await this.page.goto("/sign-up");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign up" }).click();
    await expect(this.page).toHaveURL(/\/dashboard$/);
  }

  async signIn(email: string, password = PASSWORD) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/sign-in$/);
  }

  async fillModel(
    values: Partial<
      Record<
        | "Name"
        | "Signature"
        | "Model"
        | "Starting cash (USD)"
        | "Strategy prompt"
        | "Commission per order (USD)"
        | "Slippage (basis points)"
        | "Borrow rate (basis points a year)"
        | "Short margin (basis points of short value)",
        string
      >
    >,
  ) {
    for (const [label, value] of Object.entries(values)) {
      if (label === "Model") await this.pickModel(value);
      else await this.page.getByLabel(label, { exact: true }).fill(value);
    }
  }

  /** Chooses `llm` in the model form's list, or "Other…" and types it when the list does not have it. */
  async pickModel(llm: string) {
    const list = this.page.getByLabel("Model", { exact: true });
    if ((await list.locator("option").evaluateAll((options, id) => options.some((o) => (o as HTMLOptionElement).value === id), llm)) === true) {
      await list.selectOption(llm);
    } else {
      await list.selectOption({ label: "Other… (type a provider:model id)" });
      await this.page.getByLabel("Other model id").fill(llm);
    }
  }

  async createModel(name: string, signature: string, llm = "builtin:momentum") {
    await this.page.goto("/dashboard");
    await this.page.getByRole("link", { name: "New model" }).click();
    await this.fillModel({ Name: name, Signature: signature, Model: llm, "Starting cash (USD)": "25000" });
    await this.page.getByRole("button", { name: "Save" }).click();
    await expect(this.page).toHaveURL(/\/dashboard/);
    await expect(this.page.getByRole("heading", { name })).toBeVisible();
  }

  /**
   * A full-page screenshot, once every chart on the page is drawn whole (not aria-busy), and the page as it is
   * then checked by axe-core against WCAG 2.2 A and AA and axe's best practices: no control without a name or
   * with a name that hides its visible words, no text too faint to read, nothing a keyboard cannot reach; then
   * checked again in the other colour theme (the `dark` class on <html> flipped, and flipped back).
   */
  async review(name: string) {
    mkdirSync("e2e/screenshots", { recursive: true });
    await expect(this.page.locator('figure[aria-busy="true"]')).toHaveCount(0);
    await this.settle();
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
    await this.expectAccessible(name);
    // The same page in the other theme: dark mode's colours get the same contrast check as light mode's. The
    // toasts are left out there: their theme follows the page's through React (next-themes), not the class.
    const flip = () => this.page.evaluate(() => document.documentElement.classList.toggle("dark"));
    const dark = await flip();
    try {
      await this.expectAccessible(`${name}, in ${dark ? "dark" : "light"} mode`, ["[data-sonner-toaster]"]);
    } finally {
      await flip();
    }
  }

  /** Waits for the CSS transitions in flight: a toast sliding in, the colours a theme flip starts on buttons. */
  private settle() {
    return this.page.evaluate(async () => {
      await Promise.all(document.getAnimations().flatMap((a) => (a instanceof CSSTransition ? [a.finished.catch(() => a)] : [])));
    });
  }

  private async expectAccessible(name: string, exclude: string[] = []) {
    await this.settle(); // checked where the colours land, not halfway
    const analyze = async () => (await exclude.reduce((axe, selector) => axe.exclude(selector), new AxeBuilder({ page: this.page }).withTags(AXE_TAGS)).analyze()).violations;
    let violations = await analyze();
    // A toast that arrives or starts leaving while axe reads the page is half transparent: when toasts are all it
    // found, it reads the page again once they have settled (a toast still there is checked whole; one gone is not).
    const selectors = violations.flatMap((v) => v.nodes.map((n) => String(n.target[0])));
    // (An element gone already was a toast that has left: the second read checks the whole page again anyway.)
    const onlyToasts = selectors.length > 0 && (await this.page.evaluate((all) => all.every((sel) => { const el = document.querySelector(sel); return !el || el.closest("[data-sonner-toast]") !== null; }), selectors));
    if (onlyToasts) {
      await this.page.waitForTimeout(800);
      await this.settle();
      violations = await analyze();
    }
    const found = violations.map((v) => `${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`);
    expect(found, `accessibility violations on ${name}`).toEqual([]);
  }
}

// Playwright's fixture callback is named `use`; it is not a React hook.
/* eslint-disable react-hooks/rules-of-hooks */
export const test = base.extend<{ desk: Desk }>({
  // Every page of every test runs under the CSP (proxy.ts): a report in the console fails the test.
  page: async ({ page }, use) => {
    const refused: string[] = [];
    page.on("console", (m) => void (/Content Security Policy|Refused to/.test(m.text()) && refused.push(m.text())));
    await use(page);
    expect(refused, "CSP violations in the console").toEqual([]);
  },
  desk: async ({ page }, use) => use(new Desk(page)),
});
/* eslint-enable react-hooks/rules-of-hooks */
export { expect };
