import { DEFAULT_SHORT_MARGIN_BPS, type TradingDefaults } from "@/lib/schemas/session";
import type { SessionStatus } from "./types";

/** Display formats for the desk's pages (money math lives in lib/engine). */
const pct = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
const usd0 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const usd2 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

const pctWhole = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero" });
/** "+2.95%"; past ±1,000% without decimals ("+153,472%"), as annualised minute returns can be. */
export const formatPct = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : Math.abs(v) >= 10 ? pctWhole.format(v) : pct.format(v);
const share = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A share or a spread, never a gain or a loss: "41.33%" (win rate, volatility). */
export const formatShare = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : share.format(v));
export const formatRatio = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(2));
export const formatMoney = (v: number | null | undefined, cents = true) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : (cents ? usd2 : usd0).format(v);
const usdSigned = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", signDisplay: "exceptZero" });
/** A gain or a loss in dollars: "+$112.20", "-$5.00", "$0.00". */
export const formatSignedMoney = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : usdSigned.format(v));
/** The colour of a gain or a loss (none for zero or unknown); always shown with its sign in words too. */
export const toneOf = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) || v === 0 ? "" : v < 0 ? "text-destructive" : "text-success");
/** A session's pace (settings.paceMs): 0 → "As fast as possible", 100 → "10 bars a second", 2500 → "1 bar every 2.5 s". */
export function formatPace(ms: number): string {
  if (ms <= 0) return "As fast as possible";
  const perSecond = Number((1000 / ms).toFixed(1));
  return perSecond >= 1 ? `${perSecond} bar${perSecond === 1 ? "" : "s"} a second` : `1 bar every ${Number((ms / 1000).toFixed(1))} s`;
}
/** Drawdown is stored as a positive fraction; show it as a loss. */
export const formatDrawdown = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatPct(-Math.abs(v)));

const NY = "America/New_York";
// Formatters are built once: Date#toLocale*String with options builds a new Intl.DateTimeFormat per call
// (milliseconds each), which a scrolling feed of thousands of rows cannot afford.
const timeFmt = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: NY });
const dayFmt = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: NY });
const dayTimeFmt = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: NY });

/** "10:31" in New York time (the session clock's zone). */
export const formatClockTime = (iso: string) => timeFmt.format(new Date(iso));
export const formatClock = (iso: string, interval: "day" | "hour" | "minute" = "minute") => (interval === "day" ? dayFmt : dayTimeFmt).format(new Date(iso));

export const SIDE_LABEL: Record<string, string> = { buy: "Buy", sell: "Sell", sell_short: "Short", buy_to_cover: "Cover" };
export const STATUS_LABEL: Record<SessionStatus, string> = {
  queued: "Queued",
  pending: "Pending",
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};
/** A session's name: its model's, and the user's label for the run when it has one ("Momentum · prompt v2"). */
export const sessionTitle = (s: { modelName: string; label: string | null }) => (s.label ? `${s.modelName} · ${s.label}` : s.modelName);
export const KIND_LABEL: Record<string, string> = { backtest: "Backtest", replay: "Intraday replay", paper: "Paper" };

/** "$0.005", "$1.00": cents always, more decimals only when the amount has them. */
const formatRate = (dollars: string) => {
  const n = Number(dollars);
  return n === Math.round(n * 100) / 100 ? usd2.format(n) : `$${n}`;
};

/**
 * A model's or a session's trading rules in words, e.g. "$0.005/share + $1.00/order · 5 bps slippage ·
 * shorting at 150 % margin, 300 bps/yr borrow" or "No commission · no slippage · long only".
 */
export function describeTrading(t: TradingDefaults): string {
  const f = t.fees ?? {};
  const fees = [
    Number(f.perShare ?? 0) > 0 && `${formatRate(f.perShare!)}/share`,
    Number(f.perOrder ?? 0) > 0 && `${formatRate(f.perOrder!)}/order`,
    (f.notionalBps ?? 0) > 0 && `${f.notionalBps} bps of value`,
  ].filter(Boolean);
  const minimum = Number(f.minimum ?? 0) > 0 ? `min ${formatRate(f.minimum!)}/order` : "";
  const commission = fees.length === 0 ? minimum || "No commission" : fees.join(" + ") + (minimum && ` (${minimum})`);
  const slippage = (t.slippageBps ?? 0) > 0 ? `${t.slippageBps} bps slippage` : "no slippage";
  const borrow = (t.borrowRateBps ?? 0) > 0 ? `${t.borrowRateBps} bps/yr borrow` : "no borrow fee";
  const shorting = t.allowShort ? `shorting at ${(t.shortMarginRequirementBps ?? DEFAULT_SHORT_MARGIN_BPS) / 100} % margin, ${borrow}` : "long only";
  const cap = t.participationBps === undefined ? [] : [`working orders fill at most ${t.participationBps / 100} % of a bar's volume`];
  return [commission, slippage, shorting, ...cap].join(" · ");
}

const greek = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: "exceptZero" });
/** A position's delta or gamma in share-equivalents: "+112.4", "-35.0". */
export const formatShares = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : greek.format(v));
const days = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
/** Calendar days to an expiry: "16.3". */
export const formatDays = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : days.format(v));
