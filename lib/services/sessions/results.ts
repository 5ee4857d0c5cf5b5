import "server-only";
import type { Db, Executor } from "@/lib/db/client";
import { getAccountBySessionId } from "@/lib/db/queries/accounts";
import { selectBars } from "@/lib/db/queries/bars";
import { listEquityBySession } from "@/lib/db/queries/equity";
import { listFillsBySession } from "@/lib/db/queries/fills";
import { readSessionResults } from "@/lib/db/queries/session-results";
import { lockSessionAdmissionsOfUser, refuseIfQueued, refuseUnlessFinishing, setTradingSessionStatus, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { cancelOpenOrdersAtSessionEnd } from "@/lib/db/queries/working-orders";
import { abortOf, oneTripAsCore, withCore, type Claims } from "@/lib/db/rls";
import { computeMetrics, parseMoney, type MetricsInterval } from "@/lib/engine";
import { createMemoryBarSource, quotesInMemory, type Bar, type Interval } from "@/lib/market";
import { benchmarkMetrics, buyAndHoldCurve, metricsJson, type MetricsJson } from "./benchmark";
import { openAdmissions, type Admission } from "./admission";

export const BENCHMARK_SYMBOL = "QQQ";

export interface BenchmarkJson {
  /** "QQQ": buy-and-hold of QQQ; "equal-weight": buy-and-hold of the universe, equal weights. */
  kind: "QQQ" | "equal-weight";
  symbols: string[];
  /** Value at each bar time, same starting cash, in dollars (2 decimals). */
  curve: number[];
  metrics: MetricsJson;
}

/** The session's metrics so far: its equity curve from the starting cash, fills (closing P&L, count) and fees (lib/engine computeMetrics). */
export async function computeSessionMetrics(tx: Executor, session: Pick<TradingSessionRow, "id" | "userId" | "interval">): Promise<MetricsJson | null> {
  const [points, fills, account] = await Promise.all([
    listEquityBySession(tx, { sessionId: session.id, userId: session.userId }),
    listFillsBySession(tx, { sessionId: session.id, userId: session.userId }),
    getAccountBySessionId(tx, { sessionId: session.id, userId: session.userId }),
  ]);
  if (!account) return null;
  return metricsOf({
    interval: session.interval,
    account,
    equity: points.map((p) => ({ at: p.at, equity: p.equity })),
    closingPnls: fills.flatMap((f) => (f.realizedPnl === null ? [] : [f.realizedPnl])),
    tradeCount: fills.length,
  });
}

function metricsOf(r: {
  interval: string;
  account: { startingCash: string; feesPaid: string };
  equity: { at: Date | string; equity: string }[];
  closingPnls: string[];
  tradeCount: number;
}): MetricsJson {
  return metricsJson(
    computeMetrics({
      equityCurve: r.equity.map((p) => ({ time: new Date(p.at), equity: parseMoney(p.equity) })),
      startingEquity: parseMoney(r.account.startingCash),
      interval: r.interval as MetricsInterval,
      closingPnls: r.closingPnls.map(parseMoney),
      tradeCount: r.tradeCount,
      feesPaid: parseMoney(r.account.feesPaid),
    }),
  );
}

/**
 * Buy-and-hold over the session's own bar times, priced exactly as the account is (the market view's
 * quote at each bar time): QQQ when it has a fresh price at every bar time (no older than the previous
 * bar; a daily session may use QQQ's hourly closes), else an equal-weight basket of the universe.
 */
export async function computeBenchmark(
  db: Executor,
  session: Pick<TradingSessionRow, "interval" | "symbols" | "schedule" | "startingCash">,
): Promise<BenchmarkJson | null> {
  const times = session.schedule.map((s) => new Date(s));
  if (times.length === 0) return null;
  const interval = session.interval as Interval;
  const cash = Number(session.startingCash);
  // The bar times' own range and each symbol's last bar before it: every quote the curve takes, exactly.
  const from = times[0]!;
  const to = times[times.length - 1]!;

  const qqqIntervals: Interval[] = interval === "day" ? ["day", "hour"] : [interval];
  const qqqBars = (await Promise.all(qqqIntervals.map((i) => selectBars(db, { symbols: [BENCHMARK_SYMBOL], interval: i, from, to, withPrior: true })))).flat() as Bar[];
  const qqq = pricesAt([BENCHMARK_SYMBOL], times, qqqBars, qqqIntervals, true);
  if (qqq) {
    const curve = buyAndHoldCurve(qqq, cash);
    if (curve) return { kind: "QQQ", symbols: [BENCHMARK_SYMBOL], curve: curve.map(cents), metrics: benchmarkMetrics(curve, interval) };
  }
  const bars = (await selectBars(db, { symbols: session.symbols, interval, from, to, withPrior: true })) as Bar[];
  const basket = pricesAt(session.symbols, times, bars, [interval], false);
  const curve = basket && buyAndHoldCurve(basket, cash);
  if (!curve) return null;
  return { kind: "equal-weight", symbols: [...session.symbols], curve: curve.map(cents), metrics: benchmarkMetrics(curve, interval) };
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * prices[symbol][bar] as the market view quotes them at each bar time (null: no price yet). With `fresh`,
 * null as a whole unless every price is newer than the previous bar time (the first: than 5 days before).
 */
function pricesAt(
  symbols: readonly string[],
  times: readonly Date[],
  bars: readonly Bar[],
  intervals: readonly Interval[],
  fresh: boolean,
): (number | null)[][] | null {
  if (bars.length === 0) return null;
  const source = createMemoryBarSource(bars);
  const out = symbols.map(() => [] as (number | null)[]);
  // Synchronously: an await per bar time and symbol (11,700 for a 30-symbol minute replay) is slow to
  // render in development, where React records every await of a server component's render.
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const newerThan = i === 0 ? t.getTime() - 5 * 86_400_000 : times[i - 1]!.getTime();
    const quotes = quotesInMemory(source, symbols, intervals, t);
    for (let s = 0; s < symbols.length; s++) {
      const q = quotes[s];
      if (fresh && (!q || q.at.getTime() <= newerThan)) return null;
      out[s]!.push(q ? q.price : null);
    }
  }
  return out;
}

/**
 * Ends a run whose bars are all recorded: metrics and benchmark stored, status completed, one `status`
 * event carrying them. Only the session's current runner may do it; false when it was not (any more) its.
 * The results are read first; the write goes in one trip (oneTripAsCore) unless sessions of the user wait
 * for a slot: then it is made again with their admission, in one ordinary transaction.
 */
export async function finalizeSession({
  db,
  sessionId,
  userId,
  claims,
  runnerId,
  admission,
}: {
  db: Db;
  sessionId: string;
  userId: string;
  claims: Claims;
  runnerId: string;
  /** Its slot goes to the user's oldest queued session, in the same transaction. */
  admission: Admission;
}): Promise<boolean> {
  const session = await readSessionResults(db, claims, { id: sessionId });
  if (!session) return false;
  const metrics = session.account && metricsOf({ ...session, account: session.account });
  const benchmark = await computeBenchmark(db, session);
  const summary = benchmark && { kind: benchmark.kind, symbols: benchmark.symbols, metrics: benchmark.metrics };
  // Lock order (admission.ts): the session row, then the user's admissions.
  const finish = (tx: Executor) => [
    refuseUnlessFinishing(tx, { id: sessionId, userId, runnerId }),
    // Working orders still open when the run ends are cancelled and recorded (docs/trading.md, "Working orders").
    cancelOpenOrdersAtSessionEnd(tx, { sessionId, userId }),
    setTradingSessionStatus(tx, { id: sessionId, userId, status: "completed", runnerId: null, metrics, benchmark, payload: { from: "running", metrics, benchmark: summary } }),
    lockSessionAdmissionsOfUser(tx, { userId }),
  ];
  try {
    await oneTripAsCore(claims, (tx) => [...finish(tx), refuseIfQueued(tx, { userId })], { db }).catch(async (err: unknown) => {
      if (abortOf(err)?.code !== "ADMISSION_NEEDED") throw err;
      await withCore(claims, async (tx) => {
        await Promise.all(finish(tx));
        await openAdmissions(tx, userId, admission);
      }, db);
    });
    return true;
  } catch (err) {
    if (abortOf(err)?.code === "NOT_OURS") return false;
    throw err;
  }
}
