import { cancelWorkingOrder, EngineError } from "@/lib/engine";
import type { BookOrder, SessionBook } from "./book";
import { applyEngineResult } from "./book-fills";

/**
 * The owner cancels one of the session's working orders on the book (lib/engine/cancel-working-order.ts):
 * what it reserved is free at once, its held legs follow it (cancelled, or active for what its entry filled).
 * The book holds only this session's orders, so an id of another session's or user's order is UNKNOWN_ORDER,
 * the same answer as an id that never existed, and nothing changes. Written with the bar.
 */
export function cancelOrderOnBook(ctx: { book: SessionBook; sessionId: string; clock: { now(): Date } }, id: string): BookOrder {
  const before = ctx.book.working();
  const cancelled = cancelWorkingOrder(before, id, ctx.clock.now().getTime());
  if (!cancelled.ok) throw EngineError.from(cancelled.error);
  applyEngineResult(ctx.book, ctx.sessionId, before, cancelled.value);
  return ctx.book.orderById(id)!;
}
