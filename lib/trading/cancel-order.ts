import { cancelWorkingOrder, EngineError } from "@/lib/engine";
import type { BookOrder, SessionBook } from "./book";
import { applyEngineResult } from "./book-fills";

/**
 * The owner cancels one of the session's working orders on the book (lib/engine/cancel-working-order.ts):
 * what it reserved is free at once, its held legs follow it (cancelled, or active for what its entry filled).
 * The book holds only this session's orders, so an id of another session's or user's order is UNKNOWN_ORDER,
 * the same answer as an id that never existed, and nothing changes. Written with the bar. `by`: the model
 * (`requested`, its cancel_order tool) or a person (`requested_by_user`).
 */
export function cancelOrderOnBook(
  ctx: { book: SessionBook; sessionId: string; clock: { now(): Date } },
  id: string,
  by: "requested" | "requested_by_user" = "requested",
): BookOrder {
  const before = ctx.book.working();
  const cancelled = cancelWorkingOrder(before, id, ctx.clock.now().getTime(), by);
  if (!cancelled.ok) throw EngineError.from(cancelled.error);
  applyEngineResult(ctx.book, ctx.sessionId, before, cancelled.value);
  return ctx.book.orderById(id)!;
}

/**
 * A person's cancel requests on the book, at the start of a bar, before its working orders are matched
 * (run-bar.ts): each order still working is cancelled (reason `requested_by_user`, its held legs with it);
 * one that ended meanwhile (filled at the bar the request came in, expired, cancelled with its entry) is left
 * as it is. Each request is recorded as applied by the bar's commit (`book.pending.cancelRequests`).
 */
export function applyCancelRequests(ctx: { book: SessionBook; sessionId: string; clock: { now(): Date } }): void {
  const requests = ctx.book.cancelRequests;
  ctx.book.cancelRequests = [];
  for (const orderId of requests) {
    // Asked of the book as it is now: a bracket's held leg may have gone with its entry, cancelled by an earlier request.
    const open = ctx.book.working().some((o) => o.id === orderId);
    if (open) cancelOrderOnBook(ctx, orderId, "requested_by_user");
    ctx.book.pending.cancelRequests.push({ orderId, outcome: open ? "cancelled" : "ended" });
  }
}
