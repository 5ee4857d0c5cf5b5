import type { OptionInstrument } from "../instrument";
import type { Money } from "../money";
import { divRound } from "../rounding";

/**
 * What a short option position must hold as collateral (issue #23 item 5), per contract set, in exact micros.
 *
 * Uncovered (naked) equity options, the Cboe/Reg-T rule (Cboe Margin Manual, "Short Put or Short Call"):
 *   100 % of the option's current value, plus the greater of
 *     20 % of the underlying's value less the out-of-the-money amount, and
 *     10 % of the underlying's value (a call) or of the strike (a put),
 *   times the multiplier and the number of contracts. Re-marked every bar with the option's and the underlying's
 *   prices then. Rounded up to the micro (a requirement is never understated).
 * Covered calls (each short call against 100 shares held long: coveredContracts) need no cash (the shares are their
 * collateral, held back from sale); a cash-secured put holds its strike's worth of cash (cashSecuredPutReserve).
 */
export interface ShortOptionInputs {
  readonly contract: Pick<OptionInstrument, "right" | "strike" | "multiplier">;
  /** Contracts short (> 0). */
  readonly contracts: number;
  /** The option's price per share now (its mark). */
  readonly optionPrice: Money;
  /** The underlying's price now. */
  readonly underlyingPrice: Money;
}

/** Percent of the underlying (or strike) in the rule, as basis points. */
export const NAKED_BASE_BPS = 2_000n;
export const NAKED_MINIMUM_BPS = 1_000n;

const bps = (amount: Money, rate: bigint) => divRound(amount * rate, 10_000n, "ceil");

/** The out-of-the-money amount per share: how far the strike is beyond the underlying's price; 0 in the money. */
export function outOfTheMoney(right: "call" | "put", strike: Money, underlying: Money): Money {
  const otm = right === "call" ? strike - underlying : underlying - strike;
  return otm > 0n ? otm : 0n;
}

/** The Cboe/Reg-T requirement of an uncovered short option: premium + max(20 % of underlying − OTM, 10 % of underlying or strike). */
export function nakedOptionRequirement(i: ShortOptionInputs): Money {
  const { right, strike, multiplier } = i.contract;
  const base = bps(i.underlyingPrice, NAKED_BASE_BPS) - outOfTheMoney(right, strike, i.underlyingPrice);
  const minimum = bps(right === "call" ? i.underlyingPrice : strike, NAKED_MINIMUM_BPS);
  const perShare = i.optionPrice + (base > minimum ? base : minimum);
  return perShare * BigInt(multiplier) * BigInt(i.contracts);
}

/** The contracts of a short call that shares held long cover (a multiplier's worth each); the rest are uncovered. */
export function coveredContracts(contracts: number, multiplier: number, sharesLong: number): number {
  return Math.max(0, Math.min(contracts, Math.floor(Math.max(0, sharesLong) / multiplier)));
}

/** A cash-secured put's reserve: the strike × multiplier × contracts (what assignment would cost), the premium apart. */
export function cashSecuredPutReserve(contract: Pick<OptionInstrument, "strike" | "multiplier">, contracts: number): Money {
  return contract.strike * BigInt(contract.multiplier) * BigInt(contracts);
}
