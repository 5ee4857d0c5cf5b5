import { expect, type Page } from "@playwright/test";
import { Desk } from "./fixtures";

/** The session pages as a person uses them: the Start-session dialog, the viewer, the leaderboard. */
export class SessionDesk extends Desk {
  constructor(page: Page) {
    super(page);
  }

  dialog() {
    return this.page.getByRole("dialog", { name: "Start a session" });
  }

  async openStartDialog() {
    await this.page.goto("/dashboard");
    // A click that lands before the page has hydrated opens nothing (seen once in CI under load): click again until it opens.
    await expect(async () => {
      await this.page.getByRole("button", { name: "Start session" }).click();
      await expect(this.dialog()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }

  /** Fills the dialog; `kind` first, since it decides which date fields exist. */
  async fillSession(v: { model?: string; kind: "Backtest" | "Intraday replay"; interval?: "Day" | "Hour"; start?: string; end?: string; day?: string; every?: string; symbols?: string; pace?: string; trading?: Record<string, string> }) {
    const d = this.dialog();
    if (v.model) await d.getByLabel("Model", { exact: true }).selectOption({ label: v.model });
    await d.getByLabel("Kind").selectOption({ label: v.kind });
    if (v.interval) await d.getByLabel("Interval").selectOption({ label: v.interval });
    if (v.start !== undefined) await d.getByLabel("Start", { exact: true }).fill(v.start);
    if (v.end !== undefined) await d.getByLabel("End", { exact: true }).fill(v.end);
    if (v.day !== undefined) await d.getByLabel("Day", { exact: true }).fill(v.day);
    if (v.every !== undefined) await d.getByLabel("Decide every (minutes)").fill(v.every);
    if (v.symbols !== undefined) await d.getByLabel("Symbols").fill(v.symbols);
    if (v.pace) await d.getByLabel("Pace").selectOption({ label: v.pace });
    if (v.trading) {
      const summary = d.getByText("Trading settings", { exact: true });
      if (!(await summary.locator("..").evaluate((e) => (e as HTMLDetailsElement).open))) await summary.click();
      for (const [label, value] of Object.entries(v.trading)) await d.getByLabel(label, { exact: true }).fill(value);
    }
  }

  /** Submits the dialog and lands on the new session's viewer; returns its id. */
  async submitSession(): Promise<string> {
    await this.dialog().getByRole("button", { name: "Start session" }).click();
    await expect(this.page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    return /\/sessions\/([0-9a-f-]{36})/.exec(this.page.url())![1]!;
  }

  /** A decision's disclosure button in the feed, by its time ("11:00", "Mar 10, 2025"), which starts its name. */
  decisionButton(when: string | RegExp) {
    const name = typeof when === "string" ? new RegExp(`^${when.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `) : when;
    return this.page.getByRole("list", { name: "Decisions, newest first" }).getByRole("button", { name });
  }

  /** The number in the feed's heading, "Decisions (123)". */
  async decisionCount(): Promise<number> {
    const text = (await this.page.getByRole("heading", { name: /^Decisions \(/ }).textContent()) ?? "";
    return Number(/\(([\d,]+)\)/.exec(text)?.[1]?.replaceAll(",", "") ?? NaN);
  }

  async barsDone(): Promise<number> {
    const text = (await this.page.getByTestId("bars-done").first().textContent()) ?? "";
    return Number(/^([\d,]+)/.exec(text.trim())?.[1]?.replaceAll(",", "") ?? NaN);
  }

  status() {
    return this.page.getByTestId("session-status").first();
  }

  async waitForCompleted(timeout = 180_000) {
    await expect(this.status()).toHaveText("Completed", { timeout });
  }
}

export const noHorizontalOverflow = () => document.documentElement.scrollWidth <= window.innerWidth;
