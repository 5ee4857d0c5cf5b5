import { describe, expect, it } from "vitest";
import { applyEvents, applyFill, applyStatusAnswer, prependDecisions } from "./fold";
import type { SessionEvent, ViewerState } from "./types";

const base: ViewerState = {
  session: {
    id: "s1",
    modelId: "m1",
    modelName: "Momo",
    label: null,
    llm: "builtin:momentum",
    drivenBy: null,
    instructions: "Buy strength.",
    kind: "replay",
    interval: "minute",
    status: "running",
    symbols: ["ZZSOLR"],
    rangeStart: "2025-06-10",
    rangeEnd: "2025-06-10",
    decideEvery: 1,
    paceMs: 0,
    trading: {},
    borrowFeesPaid: 0,
    cursor: 0,
    totalBars: 390,
    startingCash: 10_000,
    createdAt: "2026-01-01T00:00:00.000Z",
    startedAt: "2026-01-01T00:00:00.000Z",
    heartbeatAt: null,
    finishedAt: null,
    error: null,
    errorCode: null,
    metrics: null,
    benchmarkMetrics: null,
    benchmarkName: null,
    data: { synthetic: true, derived: false, sources: ["synthetic"] },
  },
  lastSeq: 1,
  olderDecisions: 0,
  equity: [],
  decisions: [],
  fills: [],
  workingOrders: [],
  positions: [],
  cash: 10_000,
  benchmark: [10_005, 10_007],
  settlements: [],
  marginCalls: [],
};

const at = "2025-06-10T13:30:00.000Z";
const bar = (seq: number, i: number, filled: boolean): SessionEvent[] => [
  { seq, type: "decision", at, payload: { id: `d${i}`, outcome: filled ? "traded" : "held", text: "x".repeat(400), toolCalls: 2, filledOrders: filled ? 1 : 0, rejectedOrders: 0, toolErrors: 0, error: null, latencyMs: 3 } },
  ...(filled
    ? ([
        { seq: seq + 1, type: "order", at, payload: { id: `o${i}`, decisionId: `d${i}`, symbol: "ZZSOLR", side: "buy", quantity: 10, status: "filled", filledQuantity: 10, referencePrice: "100.000000" } },
        { seq: seq + 2, type: "fill", at, payload: { id: `f${i}`, orderId: `o${i}`, symbol: "ZZSOLR", side: "buy", quantity: 10, price: "100.000000", fee: "0", cashAfter: "9000.000000", realizedPnl: null, quantityAfter: 10, filledAt: "2025-06-10T13:30:00+00:00" } },
      ] as SessionEvent[])
    : []),
  { seq: filled ? seq + 3 : seq + 1, type: "equity", at, payload: { barIndex: i, at, equity: "10010.000000", cash: filled ? "9000.000000" : "10000.000000", done: i + 1, total: 390 } },
];

describe("applyStatusAnswer", () => {
  const paused = { ...base, session: { ...base.session, status: "paused" as const }, lastSeq: 10 };
  const status = (seq: number, s: string): SessionEvent => ({ seq, type: "status", at: null, payload: { status: s } });

  it("shows a Resume's answer at once while the stream has not delivered its status event", () => {
    const answered = applyStatusAnswer(paused, "pending", 11);
    expect([answered.session.status, answered.lastSeq]).toEqual(["pending", 10]);
    // The stream still delivers everything after seq 10: the answer's own event, then the runner's claim.
    expect(applyEvents(answered, [status(11, "pending"), status(12, "running")]).session.status).toBe("running");
  });

  it("never takes a running session back to pending: an answer slower than the stream is ignored", () => {
    // Under load the runner claimed the session and the stream delivered both events before the action answered.
    const streamed = applyEvents(paused, [status(11, "pending"), status(12, "running")]);
    expect(applyStatusAnswer(streamed, "pending", 11)).toBe(streamed);
    expect(applyStatusAnswer(applyEvents(paused, [status(11, "pending")]), "pending", 11).session.status).toBe("pending");
  });
});

describe("applyEvents", () => {
  it("folds margin_call events into the feed's margin-call rows, once each", () => {
    const payload = { barIndex: 3, at: "2025-03-06T14:30:00.000Z", status: "issued", requirement: "1200.000000", cash: "1000.000000", shortfall: "200.000000", lines: [] };
    const e = (seq: number): SessionEvent => ({ seq, type: "margin_call", at: payload.at, payload });
    const once = applyEvents(base, [e(base.lastSeq + 1)]);
    expect(once.marginCalls.map((m) => [m.id, m.status])).toEqual([["margin-call:3:issued", "issued"]]);
    expect(applyEvents(once, [e(base.lastSeq + 2)]).marginCalls).toHaveLength(1); // the same call again (a reconnect): one row
    expect(base.marginCalls).toEqual([]);
  });

  it("folds a bar's decision, order, fill and equity point", () => {
    const s = applyEvents(base, bar(2, 0, true));
    expect(s.lastSeq).toBe(5);
    expect(s.decisions).toHaveLength(1);
    expect(s.decisions[0]!.text.length).toBeLessThanOrEqual(160);
    expect(s.decisions[0]!.clock).toBe(at);
    expect(s.positions).toEqual([{ symbol: "ZZSOLR", quantity: 10, costBasis: 1000, realizedPnl: 0, lastPrice: 100 }]);
    expect(s.cash).toBe(9000);
    expect(s.fills[0]!.filledAt).toBe(at); // jsonb's "+00:00" form, normalised to match the chart's categories
    expect(s.equity).toEqual([{ barIndex: 0, t: at, equity: 10010, cash: 9000, benchmark: 10_005 }]);
    expect(s.session.cursor).toBe(1);
    expect(s.session.borrowFeesPaid).toBe(0);
    // A bar that charged borrow on shorts: the account's running total comes with its equity point.
    const charged = bar(6, 1, false).map((e) => (e.type === "equity" ? { ...e, payload: { ...e.payload, borrowFeesPaid: "2.212076" } } : e));
    expect(applyEvents(s, charged).session.borrowFeesPaid).toBe(2.212076);
  });

  it("prices the open positions at the marks of each bar's equity event", () => {
    const s = applyEvents(base, bar(2, 0, true));
    const marked = bar(6, 1, false).map((e) => (e.type === "equity" ? { ...e, payload: { ...e.payload, marks: { ZZSOLR: "101.250000", ZZNONE: "5.000000" } } } : e));
    const next = applyEvents(s, marked);
    expect(next.positions).toEqual([{ symbol: "ZZSOLR", quantity: 10, costBasis: 1000, realizedPnl: 0, lastPrice: 101.25 }]); // a mark without a position adds none
    expect(s.positions[0]!.lastPrice).toBe(100); // the old state is untouched
    // Without marks (events of an older run), the last fill's price stays.
    expect(applyEvents(s, bar(6, 1, false)).positions).toBe(s.positions);
  });

  it("skips events it already has (a reconnect replays them) and rows already in the snapshot", () => {
    const once = applyEvents(base, bar(2, 0, true));
    expect(applyEvents(once, bar(2, 0, true))).toBe(once);
    // A snapshot read just after the bar committed, with an older lastSeq: the replay adds nothing twice.
    const snapshot = { ...once, lastSeq: 1 };
    const again = applyEvents(snapshot, bar(2, 0, true));
    expect(again.decisions).toHaveLength(1);
    expect(again.fills).toHaveLength(1);
    expect(again.positions[0]!.quantity).toBe(10);
    expect(again.equity).toHaveLength(1);
  });

  it("applies a batch in seq order and leaves the old state untouched", () => {
    const events = [...bar(2, 0, false), ...bar(4, 1, false)].reverse();
    const s = applyEvents(base, events);
    expect(s.decisions.map((d) => d.id)).toEqual(["d0", "d1"]);
    expect(base.decisions).toHaveLength(0);
  });

  it("takes the final metrics and the benchmark's from the completed status event", () => {
    const metrics = { totalReturn: 0.01, annualizedReturn: null, volatility: null, sharpe: 1.5, sortino: null, maxDrawdown: 0.02, calmar: null, winRate: null, tradeCount: 3, feesPaid: "0.000000" };
    const s = applyEvents(base, [
      { seq: 2, type: "status", at: null, payload: { status: "completed", from: "running", metrics, benchmark: { kind: "equal-weight", symbols: ["ZZSOLR"], metrics: { ...metrics, totalReturn: 0.005 } } } },
    ]);
    expect(s.session.status).toBe("completed");
    expect(s.session.metrics?.sharpe).toBe(1.5);
    expect(s.session.benchmarkMetrics?.totalReturn).toBe(0.005);
    expect(s.session.benchmarkName).toMatch(/Equal-weight/);
    expect(s.session.finishedAt).not.toBeNull();
  });
});

describe("prependDecisions", () => {
  it("adds the page that ends where the loaded decisions begin, once", () => {
    const loaded = applyEvents({ ...base, olderDecisions: 2 }, bar(2, 2, false));
    const page = applyEvents(base, [...bar(2, 0, false), ...bar(4, 1, false)]).decisions;
    const full = prependDecisions(loaded, page, 0);
    expect(full.decisions.map((d) => d.id)).toEqual(["d0", "d1", "d2"]);
    expect(full.olderDecisions).toBe(0);
    expect(prependDecisions(full, page, 0)).toBe(full);
  });
});

describe("applyFill", () => {
  const fill = (side: "buy" | "sell" | "sell_short" | "buy_to_cover", quantity: number, price: number, quantityAfter: number) => ({
    id: "f",
    orderId: "o",
    symbol: "X",
    side,
    quantity,
    price,
    fee: 0,
    cashAfter: 0,
    realizedPnl: null,
    quantityAfter,
    filledAt: at,
  });
  it("adds, reduces, closes and flips a position's cost basis", () => {
    let p = applyFill(undefined, fill("buy", 10, 100, 10));
    p = applyFill(p, fill("buy", 10, 110, 20));
    expect(p.costBasis).toBe(2100);
    p = applyFill(p, fill("sell", 5, 120, 15));
    expect(p.costBasis).toBeCloseTo(1575);
    p = applyFill(p, fill("sell", 15, 90, 0));
    expect(p).toMatchObject({ quantity: 0, costBasis: 0 });
    p = applyFill(p, fill("sell_short", 4, 50, -4));
    expect(p.costBasis).toBe(-200);
  });
});
