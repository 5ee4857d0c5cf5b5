import { formatMoney } from "./format";
import { num, str } from "./payload-values";

/**
 * Margin calls in the decision feed (lib/trading/margin-call.ts): the `margin_call` events, one row each, by the clock
 * of the bar they were made at, before that bar's decision. "issued": the shorts required more cash than there was;
 * "forced_close": the call was not met by the next decision and the session bought shorts back.
 */
export interface MarginCallRow {
  readonly kind: "margin_call";
  /** The bar and status: one event each. */
  readonly id: string;
  readonly clock: string;
  readonly status: "issued" | "forced_close";
  readonly text: string;
}

/** A `margin_call` event's payload as a row (null for a payload that is not one). */
export function marginCallFromPayload(p: Record<string, unknown>): MarginCallRow | null {
  const status = str(p.status);
  const clock = str(p.at);
  const requirement = num(p.requirement);
  const cash = num(p.cash);
  if ((status !== "issued" && status !== "forced_close") || clock === null || requirement === null || cash === null) return null;
  const need = `the shorts required ${formatMoney(requirement)} of cash, there was ${formatMoney(cash)} (short by ${formatMoney(requirement - cash)})`;
  const closed = Array.isArray(p.closed) ? p.closed.map(String) : [];
  const text =
    status === "issued"
      ? `Margin call: ${need}; to be met by the next decision, or the session buys the shorts back`
      : `Margin call not met: ${need}; the session bought back ${closed.length > 0 ? closed.join(", ") : "nothing it could pay for"}${num(p.requirementAfter) !== null ? `, leaving ${formatMoney(num(p.requirementAfter)!)} required` : ""}`;
  return { kind: "margin_call", id: `margin-call:${num(p.barIndex) ?? clock}:${status}`, clock: new Date(clock).toISOString(), status, text };
}
