import { moneyToNumber } from "@/lib/engine/money";
import { OPTION_MULTIPLIER, parseOccSymbol } from "@/lib/engine/options/occ";
import { formatMoney } from "./format";
import type { MarginCallRow } from "./margin-calls";
import { num, str } from "./payload-values";
import { EXPIRY_OUTCOMES, type DecisionSummary, type ExpiryOutcome, type OrderSide, type SettlementOrderView } from "./types";

/**
 * Option expiries in the decision feed. At an expiry the session itself places the orders that settle each contract
 * (lib/trading/settle-expiries.ts: no decision, the reason on the order): the contract closed (at 0, or at its intrinsic
 * value) and, when exercised or assigned, the shares delivered at the strike. The viewer reads those orders from the
 * `order` events (and the page's snapshot of them) and shows each contract's settlement as one row of the feed.
 */

const OUTCOMES: ReadonlySet<string> = new Set(EXPIRY_OUTCOMES);

/** The settlement order of an `order` event's payload (or the snapshot's row in that shape); null for any other order. */
export function settlementFromPayload(p: Record<string, unknown>): SettlementOrderView | null {
  const reason = str(p.statusReason);
  if (p.decisionId !== null && p.decisionId !== undefined) return null;
  if (reason === null || !OUTCOMES.has(reason) || str(p.status) !== "filled") return null;
  const placed = str(p.placedAt);
  return {
    id: String(p.id),
    symbol: String(p.symbol),
    side: String(p.side) as OrderSide,
    quantity: num(p.quantity) ?? 0,
    price: num(p.referencePrice) ?? 0,
    reason: reason as ExpiryOutcome,
    placedAt: placed ? new Date(placed).toISOString() : new Date(0).toISOString(),
  };
}

/** One contract's settlement, a row of the feed. */
export interface ExpiryRow {
  readonly kind: "expiry";
  /** The contract's closing order. */
  readonly id: string;
  readonly clock: string;
  readonly symbol: string;
  readonly outcome: ExpiryOutcome;
  readonly contracts: number;
  /** The contracts were written (short): closed by a buy. */
  readonly written: boolean;
  /** The contract's closing price per share (0, or the intrinsic value). */
  readonly price: number;
  readonly delivery: { readonly symbol: string; readonly side: OrderSide; readonly quantity: number; readonly price: number } | null;
  /** In words: "AAPL251017C00250000 assigned: 100 AAPL sold at $250.00". */
  readonly text: string;
}

/** Settlement orders (oldest first) as one row per contract: each contract's close with the shares it delivered. */
export function expiryRows(orders: readonly SettlementOrderView[]): ExpiryRow[] {
  const used = new Set<string>();
  const rows: ExpiryRow[] = [];
  for (const o of orders) {
    const parsed = parseOccSymbol(o.symbol);
    if (!parsed.ok) continue; // a delivery: taken with its contract below
    const c = parsed.value;
    const strike = moneyToNumber(c.strike);
    const d = orders.find(
      (x) => !used.has(x.id) && x.symbol === c.underlying && x.reason === o.reason && x.placedAt === o.placedAt && x.quantity === o.quantity * OPTION_MULTIPLIER && Math.abs(x.price - strike) < 1e-9,
    );
    if (d) used.add(d.id);
    const row = { kind: "expiry" as const, id: o.id, clock: o.placedAt, symbol: o.symbol, outcome: o.reason, contracts: o.quantity, written: o.side === "buy" || o.side === "buy_to_cover", price: o.price };
    const delivery = d ? { symbol: d.symbol, side: d.side, quantity: d.quantity, price: d.price } : null;
    rows.push({ ...row, delivery, text: expiryText({ ...row, delivery }) });
  }
  return rows;
}

const contractsText = (n: number, written: boolean) => `${n.toLocaleString("en-US")} contract${n === 1 ? "" : "s"} ${written ? "written" : "held"}`;

export function expiryText(r: Omit<ExpiryRow, "text" | "kind" | "id" | "clock">): string {
  const held = contractsText(r.contracts, r.written);
  if (r.outcome === "expired_worthless") return `${r.symbol} expired worthless (${held})`;
  if (r.outcome === "closed_at_intrinsic") {
    return `${r.symbol} closed at its intrinsic value, ${formatMoney(r.price)} a share (${held}): the account could not take the shares`;
  }
  const verb = r.outcome === "exercised" ? "exercised" : "assigned";
  if (!r.delivery) return `${r.symbol} ${verb} (${held})`;
  const bought = r.delivery.side === "buy" || r.delivery.side === "buy_to_cover";
  return `${r.symbol} ${verb}: ${r.delivery.quantity.toLocaleString("en-US")} ${r.delivery.symbol} ${bought ? "bought" : "sold"} at ${formatMoney(r.delivery.price)} (${held})`;
}

export type FeedItem = DecisionSummary | ExpiryRow | MarginCallRow;
export const isExpiryRow = (x: FeedItem): x is ExpiryRow => (x as ExpiryRow).kind === "expiry";
export const isMarginCallRow = (x: FeedItem): x is MarginCallRow => (x as MarginCallRow).kind === "margin_call";

/** The session's own rows of the feed (expiries, margin calls) in clock order, an expiry before a margin call of the same bar (settled first). */
export function sessionRows(expiries: readonly ExpiryRow[], marginCalls: readonly MarginCallRow[]): readonly (ExpiryRow | MarginCallRow)[] {
  if (marginCalls.length === 0) return expiries;
  return [...expiries, ...marginCalls].sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : a.kind === b.kind ? 0 : a.kind === "expiry" ? -1 : 1));
}

/**
 * The feed's rows, oldest first: the decisions with the expiries among them by clock, an expiry before the decision of
 * its bar (contracts are settled before the model decides). While older decisions are still to load, the expiries
 * before the first one loaded wait for them. Without expiries, the decisions list itself.
 */
export function feedItems(decisions: readonly DecisionSummary[], expiries: readonly (ExpiryRow | MarginCallRow)[], olderPending: boolean): readonly FeedItem[] {
  if (expiries.length === 0) return decisions;
  const from = olderPending ? (decisions[0]?.clock ?? null) : "";
  if (from === null) return decisions;
  const shown = expiries.filter((e) => e.clock >= from);
  const out: FeedItem[] = [];
  let j = 0;
  for (const d of decisions) {
    while (j < shown.length && shown[j]!.clock <= d.clock) out.push(shown[j++]!);
    out.push(d);
  }
  while (j < shown.length) out.push(shown[j++]!);
  return out;
}
