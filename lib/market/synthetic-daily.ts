import { isTradingDay, nextTradingDay } from "./calendar";
import { MarketDataError } from "./errors";
import { Rng } from "./rng";
import { SYNTHETIC_PROFILES, SYNTHETIC_SECTORS } from "./synthetic-instruments";
import { nextRegime, REGIME_PARAMS, type Regime } from "./synthetic-regimes";

/** The synthetic market starts on the calendar's first trading day; every day is simulated from here. */
export const SYNTHETIC_EPOCH = "2024-01-02";

/** Share of each day's return that happens overnight (as the gap from yesterday's close to the open). */
const OVERNIGHT_SHARE = 0.25;

export interface SyntheticDayState {
  day: string;
  regime: Regime;
  /** Per instrument, in SYNTHETIC_PROFILES order. */
  open: readonly number[];
  close: readonly number[];
}

/**
 * The day-level path of the synthetic market (regime, open and close of each instrument), simulated
 * sequentially from SYNTHETIC_EPOCH with one seeded stream. A day's prices depend only on the seed,
 * never on which range was asked for first.
 */
export class SyntheticDailyPath {
  private readonly rng: Rng;
  private readonly days: SyntheticDayState[] = [];
  private readonly byDay = new Map<string, SyntheticDayState>();

  constructor(seed: number) {
    this.rng = Rng.of(seed, "synthetic-daily");
  }

  get(day: string): SyntheticDayState {
    if (day < SYNTHETIC_EPOCH || !isTradingDay(day)) {
      throw new MarketDataError("INVALID_REQUEST", `the synthetic market has no session on ${day} (it trades NYSE days from ${SYNTHETIC_EPOCH})`);
    }
    while (!this.byDay.has(day)) this.extend();
    const state = this.byDay.get(day);
    if (!state) throw new Error(`synthetic daily path lost ${day}`);
    return state;
  }

  private extend(): void {
    const last = this.days[this.days.length - 1];
    const day = last ? nextTradingDay(last.day) : SYNTHETIC_EPOCH;
    const regime: Regime = last ? nextRegime(last.regime, this.rng.uniform()) : "calm-bull";
    const p = REGIME_PARAMS[regime];
    const market = p.drift + p.vol * this.rng.normal();
    const sectors = SYNTHETIC_SECTORS.map(() => p.sectorVol * this.rng.normal());
    const open: number[] = [];
    const close: number[] = [];
    SYNTHETIC_PROFILES.forEach((prof, i) => {
      const r = prof.beta * market + (sectors[prof.sectorIndex] ?? 0) + prof.idioVol * this.rng.normal();
      const prevClose = last?.close[i];
      const o = prevClose === undefined ? prof.initialPrice : prevClose * Math.exp(OVERNIGHT_SHARE * r);
      open.push(o);
      close.push(o * Math.exp((prevClose === undefined ? 1 : 1 - OVERNIGHT_SHARE) * r));
    });
    const state = { day, regime, open, close };
    this.days.push(state);
    this.byDay.set(day, state);
  }
}
