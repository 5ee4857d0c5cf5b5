import "server-only";
import type { Db } from "@/lib/db/client";
import { getDecisionById } from "@/lib/db/queries/decisions";
import { listDecisionOrders, type DecisionOrderRow } from "@/lib/db/queries/decision-orders";
import { listFillsByOrderIds } from "@/lib/db/queries/fills";
import { listModelCallsByDecision, type ModelCallRow } from "@/lib/db/queries/model-calls";
import { withUser } from "@/lib/db/rls";
import { notFound } from "@/lib/errors";
import { preview } from "@/lib/viewer/fold";
import type { DecisionDetail, DecisionOrderView, ModelCallView, OrderSide, ToolCallView } from "@/lib/viewer/types";
import type { UserContext } from "./context";
import { assertId } from "./ids";
import { fillView } from "./session-view";

/**
 * A decision in full (the viewer's decision details, docs/ui.md): its text and tool calls, the model calls
 * behind it, and the orders it placed with their lives so far (fills, triggers, cancels at later bars).
 */

const money = (v: string | null) => (v === null ? null : Number(v));
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());

/** An order of a decision as the viewer and the audit show it (money as numbers, times as ISO). */
export function decisionOrderView(o: DecisionOrderRow): DecisionOrderView {
  return {
    id: o.id,
    decisionId: o.decisionId,
    symbol: o.symbol,
    side: o.side as OrderSide | null,
    quantity: o.quantity,
    status: o.status,
    filledQuantity: o.filledQuantity,
    referencePrice: money(o.referencePrice),
    rejectCode: o.rejectCode,
    rejectMessage: o.rejectMessage,
    placedAt: new Date(o.placedAt).toISOString(),
    type: o.type,
    timeInForce: o.timeInForce,
    orderClass: o.orderClass,
    leg: o.leg,
    parentId: o.parentId,
    limitPrice: money(o.limitPrice),
    stopPrice: money(o.stopPrice),
    trailPrice: money(o.trailPrice),
    trailPercent: money(o.trailPercent),
    triggeredAt: iso(o.triggeredAt),
    endedAt: iso(o.endedAt ?? o.replacedAt),
    statusReason: o.statusReason,
    ...(o.strategy ? { strategy: strategyView(o.strategy) } : {}),
  };
}

/** A multi-leg order's stored strategy as numbers (per unit, dollars; null: unlimited or not known). */
function strategyView(s: Record<string, unknown>): NonNullable<DecisionOrderView["strategy"]> {
  const num = (v: unknown) => (typeof v === "string" && v !== "" ? Number(v) : null);
  return {
    name: String(s.name ?? "custom"),
    label: String(s.label ?? "strategy"),
    netPrice: num(s.netPrice),
    maxProfit: num(s.maxProfit),
    maxLoss: num(s.maxLoss),
    breakevens: Array.isArray(s.breakevens) ? s.breakevens.map((b) => Number(b)) : [],
  };
}

function toolCalls(v: unknown): ToolCallView[] {
  if (!Array.isArray(v)) return [];
  return v.map((c: Record<string, unknown>, i) => ({
    id: String(c.id ?? i),
    step: Number(c.step ?? 0),
    name: String(c.name ?? "unknown"),
    input: c.input,
    ok: Boolean(c.ok),
    output: c.output,
    error: typeof c.error === "string" ? c.error : undefined,
    invalid: c.invalid === true || undefined,
    note: typeof c.note === "string" ? c.note : undefined,
  }));
}

/** A recorded model call as the decision's detail shows it: who answered, how fast, what it asked for. */
function modelCallView(c: ModelCallRow): ModelCallView {
  const response = (c.response ?? {}) as { content?: { type?: string; text?: string; toolName?: string }[]; finishReason?: { unified?: string } | string };
  const content = Array.isArray(response.content) ? response.content : [];
  const finish = typeof response.finishReason === "string" ? response.finishReason : (response.finishReason?.unified ?? null);
  return {
    index: c.callIndex,
    provider: c.provider,
    model: c.providerModel,
    latencyMs: c.latencyMs,
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    finishReason: finish,
    toolCalls: content.flatMap((p) => (p.type === "tool-call" && typeof p.toolName === "string" ? [p.toolName] : [])),
    text: content.flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : [])).join("\n").slice(0, 2_000),
  };
}

/** A decision in full, with the model calls behind it, the orders it placed and everything that became of them. */
export async function getDecisionDetail(ctx: UserContext, sessionId: string, decisionId: string, db?: Db): Promise<DecisionDetail> {
  assertId(sessionId, "Decision");
  assertId(decisionId, "Decision");
  const found = await withUser(
    ctx.claims,
    async (tx) => {
      const d = await getDecisionById(tx, { id: decisionId, userId: ctx.userId });
      if (!d || d.sessionId !== sessionId) return null;
      const [orders, calls] = await Promise.all([
        listDecisionOrders(tx, { sessionId, userId: ctx.userId, decisionId: d.id }),
        listModelCallsByDecision(tx, { decisionId: d.id, userId: ctx.userId }),
      ]);
      const fills = await listFillsByOrderIds(tx, { orderIds: orders.map((o) => o.id), userId: ctx.userId });
      return { d, orders, fills, calls };
    },
    db,
  );
  if (!found) throw notFound("Decision");
  const { d } = found;
  return {
    id: d.id,
    clock: d.clock.toISOString(),
    outcome: d.outcome,
    text: preview(d.text),
    fullText: d.text,
    toolCalls: Array.isArray(d.toolCalls) ? d.toolCalls.length : 0,
    filledOrders: d.filledOrders,
    rejectedOrders: d.rejectedOrders,
    toolErrors: d.toolErrors,
    error: d.error,
    errorCode: d.errorCode,
    latencyMs: d.latencyMs,
    llm: d.llm,
    steps: d.steps,
    finishReason: d.finishReason,
    inputTokens: d.inputTokens,
    outputTokens: d.outputTokens,
    costUsd: d.costUsd,
    tools: toolCalls(d.toolCalls),
    modelCalls: found.calls.map(modelCallView),
    orders: found.orders.map(decisionOrderView),
    fills: found.fills.map(fillView),
  };
}
