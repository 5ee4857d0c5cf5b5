/** A tradable instrument as lib/market describes it. */
export interface Instrument {
  symbol: string;
  name: string;
  /** "SYNTH" for the synthetic market; the listing exchange for real data ("NASDAQ", …). */
  exchange: string;
  assetClass: "equity";
  sector: string;
}
