import type { Instrument } from "./instrument";
import { hashLabels } from "@/lib/engine/hash";

/**
 * The synthetic market's tickers: "ZZ" + four letters. Real NASDAQ and NYSE symbols have at most five
 * characters (four letters plus a class or status letter), so a six-letter symbol can never collide
 * with one; the ZZ prefix also makes them read as fictional. synthetic.test.ts checks the shape and
 * that none appears in the NASDAQ-100 data set. Company names are invented.
 */
export const SYNTHETIC_SECTORS = ["Technology", "Healthcare", "Energy", "Financials", "Consumer", "Industrials"] as const;
export type SyntheticSector = (typeof SYNTHETIC_SECTORS)[number];

const LISTING: Readonly<Record<SyntheticSector, readonly (readonly [string, string])[]>> = {
  Technology: [["ZZQBIT", "Qubitfield Systems"], ["ZZNIMB", "Nimbus Lattice Software"], ["ZZHALO", "Halocore Semiconductors"], ["ZZPIXL", "Pixelgrove Networks"], ["ZZVOLT", "Voltwren Devices"]],
  Healthcare: [["ZZCURA", "Curaline Therapeutics"], ["ZZHELX", "Helixmoor Biotech"], ["ZZMEDI", "Meditrove Health"], ["ZZVITA", "Vitalbrook Diagnostics"], ["ZZGENO", "Genomira Labs"]],
  Energy: [["ZZSOLR", "Solarreach Power"], ["ZZPETR", "Petrolune Resources"], ["ZZWIND", "Windhollow Energy"], ["ZZGRID", "Gridmarch Utilities"], ["ZZFUEL", "Fuelstone Midstream"]],
  Financials: [["ZZBANK", "Bankmoor Financial"], ["ZZLEDG", "Ledgerly Payments"], ["ZZVAUL", "Vaultmere Capital"], ["ZZCRED", "Credenza Lending"], ["ZZTRST", "Trustwell Assurance"]],
  Consumer: [["ZZBREW", "Brewhaven Beverages"], ["ZZSHOP", "Shopwillow Retail"], ["ZZSNAK", "Snackery Foods"], ["ZZWEAR", "Wearloft Apparel"], ["ZZPLAY", "Playforge Games"]],
  Industrials: [["ZZFORG", "Forgewell Industries"], ["ZZRAIL", "Railcrest Logistics"], ["ZZAERO", "Aerolith Dynamics"], ["ZZBILD", "Buildmark Materials"], ["ZZROBO", "Robotine Automation"]],
};

export const SYNTHETIC_INSTRUMENTS: readonly Instrument[] = SYNTHETIC_SECTORS.flatMap((sector) =>
  LISTING[sector].map(([symbol, name]) => ({ symbol, name, exchange: "SYNTH", assetClass: "equity" as const, sector })),
);

/** How an instrument behaves: fixed per symbol (the seed changes the paths, not the characters). */
export interface SyntheticProfile {
  symbol: string;
  sectorIndex: number;
  initialPrice: number;
  beta: number;
  /** Daily volatility of the instrument's own (idiosyncratic) moves. */
  idioVol: number;
  /** Typical shares traded per day. */
  dailyVolume: number;
}

function unit(symbol: string, what: string): number {
  return (hashLabels("synthetic-profile", symbol, what) >>> 0) / 2 ** 32;
}

export const SYNTHETIC_PROFILES: readonly SyntheticProfile[] = SYNTHETIC_INSTRUMENTS.map((inst) => ({
  symbol: inst.symbol,
  sectorIndex: SYNTHETIC_SECTORS.indexOf(inst.sector as SyntheticSector),
  initialPrice: Math.round(15 * Math.exp(unit(inst.symbol, "price") * Math.log(400 / 15)) * 100) / 100,
  beta: 0.7 + 0.7 * unit(inst.symbol, "beta"),
  idioVol: 0.01 + 0.015 * unit(inst.symbol, "vol"),
  dailyVolume: Math.round(5e5 * Math.exp(unit(inst.symbol, "volume") * Math.log(40))),
}));
